"""Reading, validating and normalising an import file, chunk by chunk.

This is the part of an import that needs no database: parse the file, validate each row
(column by column, imports/columns.py; row by row here for rows with problems), and
compute what matching and writing need (name sound key, address forms, the stored
pinyin keys). A large file is prepared in a second process, one chunk ahead of the main
process, which matches and writes: the two cores work at once. A chunk crosses between
them as plain tuples packed with `marshal` (no objects), because unpickling rich objects
costs about as much as preparing them.
"""

import contextlib
import datetime
import functools
import marshal
import multiprocessing
import os
import queue
import sys
import threading
import traceback
from collections.abc import Iterator

from guanxi.customers.choices import ContactKind
from guanxi.customers.imports.reader import FileProblem, open_table
from guanxi.customers.imports.rows import CleanRow, RowValidator
from guanxi.customers.matching.engine import Features, features
from guanxi.customers.normalize import address_key
from guanxi.customers.services.parties import stored_name_keys

ORG_WORDS = ("公司", "有限", "集团", "药房", "药店", "商行", "超市", "工厂", "门店", "中心", "医院")
# Files larger than this are prepared in a second process (smaller ones are not worth it).
PROCESS_FROM_BYTES = 4 * 1024 * 1024
# Plain strings: marshal takes no str subclasses such as choices.
_MOBILE, _LANDLINE, _EMAIL, _WECHAT, _ADDRESS = (
    str(kind)
    for kind in (
        ContactKind.MOBILE,
        ContactKind.LANDLINE,
        ContactKind.EMAIL,
        ContactKind.WECHAT,
        ContactKind.ADDRESS,
    )
)


@functools.lru_cache(maxsize=1 << 16)
def is_org(name: str) -> bool:
    return any(word in name for word in ORG_WORDS)


_name_keys = functools.lru_cache(maxsize=1 << 18)(stored_name_keys)


def contact_values(row: CleanRow, have: Features | None) -> list[tuple]:
    """Contact point values (ContactPoint columns from kind to district) the row adds to
    a new party (`have` None) or to the matched party `have`."""
    out = []
    first = have is None
    for i, e164 in enumerate(row.mobiles):
        if have is None or e164 not in have.mobiles:
            out.append((_MOBILE, e164, e164, "", first and i == 0, "", "", ""))
    for i, e164 in enumerate(row.landlines):
        if have is None or e164 not in have.landlines:
            out.append((_LANDLINE, e164, e164, "", first and i == 0, "", "", ""))
    if row.email and (have is None or row.email not in have.emails):
        out.append((_EMAIL, row.email, row.email, "", first, "", "", ""))
    if row.wechat and (have is None or row.wechat not in have.wechats):
        out.append((_WECHAT, row.wechat, row.wechat, "", first, "", "", ""))
    if row.address and (have is None or not have.address):
        out.append(
            (_ADDRESS, row.address, row.address_key, "", first)
            + (row.province, row.city, row.district)
        )
    return out


def _prepared(row: CleanRow) -> tuple:
    """A valid row as plain values: the CleanRow's, its matching features, its keys."""
    org = is_org(row.name)
    f = features(
        0,
        name=row.name,
        mobiles=row.mobiles,
        landlines=row.landlines,
        emails=[row.email] if row.email else [],
        wechats=[row.wechat] if row.wechat else [],
        birthday=row.birthday,
        city=row.city,
        province=row.province,
        district=row.district,
        street=row.address,
        is_org=org,
    )
    if row.address:
        row.address_key = address_key(row.province, row.city, row.district, row.address)
    return (
        row.row_number,
        row.external_id,
        row.key,
        row.name,
        tuple(row.mobiles),
        tuple(row.landlines),
        row.email,
        row.wechat,
        row.province,
        row.city,
        row.district,
        row.address,
        row.birthday.toordinal() if row.birthday else 0,
        str(row.gender),  # marshal takes no str subclasses (choices)
        str(row.source),
        row.source_detail,
        tuple(row.tags),
        f.name,
        f.sound,
        f.is_cjk,
        f.city,
        f.address,
        f.house,
        org,
        _name_keys(row.name),
        row.address_key,
        tuple(contact_values(row, None)),
        f.block_keys(),
    )


def prepare_chunk(validator: RowValidator, chunk: list[tuple[int, list[str]]]) -> list[tuple]:
    """Per row: the prepared tuple, or (row_number, external_id, errors) for a bad row."""
    out = []
    for row_number, raw in chunk:
        row, errors = validator.validate(row_number, raw)
        if row is None:
            external_id = validator.values(raw).get("external_id", "")[:200]
            out.append((row_number, external_id, tuple(errors)))
        else:
            out.append(_prepared(row))
    return out


def unpack(item: tuple) -> tuple[CleanRow, Features]:
    """The CleanRow and the Features (ref: minus the row number) of a prepared row."""
    birthday = datetime.date.fromordinal(item[12]) if item[12] else None
    row = CleanRow(
        row_number=item[0],
        external_id=item[1],
        key=item[2],
        name=item[3],
        mobiles=list(item[4]),
        landlines=list(item[5]),
        email=item[6],
        wechat=item[7],
        province=item[8],
        city=item[9],
        district=item[10],
        address=item[11],
        birthday=birthday,
        gender=item[13],
        source=item[14],
        source_detail=item[15],
        tags=list(item[16]),
        is_org=item[23],
        name_keys=item[24],
        address_key=item[25],
        contacts=item[26],
    )
    record = Features(
        ref=-item[0],
        name=item[17],
        sound=item[18],
        is_cjk=item[19],
        mobiles=frozenset(item[4]),
        landlines=frozenset(item[5]),
        emails=frozenset((item[6],)) if item[6] else frozenset(),
        wechats=frozenset((item[7],)) if item[7] else frozenset(),
        birthday=birthday,
        gender=item[13],
        city=item[20],
        address=item[21],
        house=item[22],
        is_org=item[23],
        keys=item[27],
    )
    return row, record


def _preparer(mapping: dict[int, str]) -> "ColumnPreparer":  # noqa: F821
    # imports/columns.py builds on this module's row-by-row preparation (its fallback),
    # so it is imported here rather than at the top.
    from guanxi.customers.imports.columns import ColumnPreparer

    return ColumnPreparer(RowValidator(mapping))


def raw_chunks(rows, header_row: int, size: int) -> Iterator[list[tuple[int, list[str]]]]:
    """Non-blank rows with their spreadsheet row numbers, `size` at a time."""
    chunk: list[tuple[int, list[str]]] = []
    row_number = header_row
    for raw in rows:
        row_number += 1
        if not "".join(raw).strip():  # blank (one join instead of a strip per cell)
            continue
        chunk.append((row_number, raw))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _work(conn, other_end, path, mapping: dict[int, str], size: int) -> None:
    """The second process: prepare every chunk of the file and send it, then "done"."""
    sys.setprofile(None)  # a profiler of the main process (cProfile) is not ours to carry
    # Without the receiving end, a send fails once the main process is gone (killed):
    # this process then ends instead of waiting for a reader forever.
    other_end.close()
    try:
        table = open_table(path)
        preparer = _preparer(mapping)
        for chunk in raw_chunks(table.rows, table.header_row, size):
            conn.send_bytes(marshal.dumps(("chunk", preparer.prepare(chunk))))
        conn.send_bytes(marshal.dumps(("done", None)))
    except FileProblem as exc:
        conn.send_bytes(marshal.dumps(("problem", str(exc))))
    except (BrokenPipeError, ConnectionError):
        pass  # the main process is gone
    except BaseException:  # noqa: BLE001 — reported to the main process, which raises
        with contextlib.suppress(OSError):
            conn.send_bytes(marshal.dumps(("crash", traceback.format_exc())))
    finally:
        conn.close()


def _in_process(path, mapping, size: int, ahead: int) -> Iterator[list[tuple]]:
    """Chunks prepared by a forked process. A thread of this process receives them as
    they come (up to `ahead` chunks), so the second process never waits for the first."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(send, receive, path, mapping, size), daemon=True)
    worker.start()
    send.close()
    received: queue.Queue = queue.Queue(maxsize=max(ahead, 1))
    stop = threading.Event()

    def drain() -> None:
        while not stop.is_set():
            try:
                # our own child wrote these bytes, a moment ago
                message = marshal.loads(receive.recv_bytes())  # noqa: S302
            except (EOFError, OSError):
                message = ("stopped", None)
            while not stop.is_set():
                try:
                    received.put(message, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if message[0] != "chunk":
                return

    reader = threading.Thread(target=drain, name="import-receive", daemon=True)
    reader.start()
    try:
        while True:
            tag, value = received.get()
            if tag == "chunk":
                yield value
            elif tag == "done":
                return
            elif tag == "problem":
                raise FileProblem(value)
            elif tag == "crash":
                raise RuntimeError(f"the import's reading process failed:\n{value}")
            else:
                raise RuntimeError("the import's reading process stopped")
    finally:
        stop.set()
        if worker.is_alive():
            worker.terminate()
        worker.join()
        reader.join()
        receive.close()


def prepared_chunks(
    table,
    path,
    mapping: dict[int, str],
    size: int,
    *,
    ahead: int = 1,
    second_process: bool | None = None,
) -> Iterator[list[tuple]]:
    """The file's chunks of `size` rows, prepared (see `prepare_chunk`), in order.

    `table` is the file as the caller opened it; a second process (when the file is
    large, or `second_process` says so, and fork is available) reads it again by path
    and prepares up to `ahead` chunks ahead of the caller.
    """
    if second_process is None:
        second_process = os.path.getsize(path) >= PROCESS_FROM_BYTES
    if second_process and "fork" in multiprocessing.get_all_start_methods():
        yield from _in_process(path, mapping, size, ahead)
        return
    preparer = _preparer(mapping)
    for chunk in raw_chunks(table.rows, table.header_row, size):
        yield preparer.prepare(chunk)
