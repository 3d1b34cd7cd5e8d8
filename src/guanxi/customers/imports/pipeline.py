"""The import pipeline: validate, match and write a customer file in batches.

Each batch of rows is one transaction: its new parties, contact points, tags, fuzzy
keys, field conflicts, review items and ImportRecords commit together. ImportRecord is
unique on (source, external_key), so a run killed midway is rerun safely: rows already
recorded are reported with their earlier outcome and not written again.

Matching looks at the database (exact keys through contact points, fuzzy keys through
MatchKey) and at the rows of the run not yet committed; earlier batches are in the
database by then. A dry run writes nothing, so it keeps every row of the run in memory.
A bulk load (a file much larger than the customers stored) sets the tables' secondary
indexes aside (imports/indexes.py) and keeps the stored customers and every row of the
run in memory instead, so that it never asks the database for candidates.
"""

import contextlib
import csv
import gc
import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.bulk import allocate_ids, db_datetime
from guanxi.customers.choices import ImportOutcome, Source
from guanxi.customers.imports import indexes
from guanxi.customers.imports.memory import KeyIndex
from guanxi.customers.imports.prepare import prepared_chunks, unpack
from guanxi.customers.imports.reader import FileProblem, open_table
from guanxi.customers.imports.rows import CleanRow
from guanxi.customers.imports.writer import (  # noqa: F401 — columns used by sample.bulk
    CONTACT_COLUMNS,
    PARTY_COLUMNS,
    BatchWriter,
    Pending,
)
from guanxi.customers.matching import store
from guanxi.customers.matching.engine import (
    BLOCK_CAP,
    MATCH_AT,
    Features,
    best_match,
)
from guanxi.customers.models import ImportBatch, ImportRecord, Party

log = logging.getLogger(__name__)

OUTCOME_COLUMNS = ["row_number", "external_id", "outcome", "party_id", "score"]
ERROR_COLUMNS = ["row_number", "column", "reason"]
# Rows per transaction. A batch writes into every index of the tables it touches at
# random places; larger batches write each changed index page once for more rows.
BATCH_ROWS = 100_000
PIECE_ROWS = 5_000  # rows the reading process hands over at a time
# A bulk load (see imports/indexes.py): the file holds at least BULK_MIN_ROWS rows and
# BULK_FACTOR times the customers stored. Rows are estimated from the file's size.
BULK_MIN_ROWS = 50_000
BULK_FACTOR = 4
BYTES_PER_ROW = 120
# Every record of a bulk load is in memory (~2.8 GB at a million rows and few stored):
# beyond this many (estimated rows + stored customers) the indexed path is used.
BULK_MAX_RECORDS = 1_300_000


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    rows: int = 0
    already: int = 0

    def as_dict(self) -> dict:
        return {
            **{k.value: self.counts[k] for k in ImportOutcome},
            "rows": self.rows,
            "already_imported": self.already,
        }


class ImportRun(BatchWriter):
    """Runs one ImportBatch; writes the outcome and error reports to open text files."""

    def __init__(
        self,
        batch: ImportBatch,
        *,
        actor=None,
        outcome_file=None,
        errors_file=None,
        progress: Callable[[int], None] | None = None,
        batch_rows: int | None = None,
        match: bool = True,
        second_process: bool | None = None,
        bulk_load: bool | None = None,
    ):
        self.batch = batch
        self.second_process = second_process
        self.bulk_load = bulk_load  # None: decided from the file's size (`_is_bulk`)
        self.bulk = False
        self.actor = actor
        self.progress = progress
        self.batch_rows = batch_rows or BATCH_ROWS
        self.match = match
        self.outcome = csv.writer(outcome_file) if outcome_file else None
        self.errors = csv.writer(errors_file) if errors_file else None
        if self.outcome:
            self.outcome.writerow(OUTCOME_COLUMNS)
        if self.errors:
            self.errors.writerow(ERROR_COLUMNS)
        self.summary = Summary()
        self.outcomes: list[list] = []
        self.seen_keys: dict[str, int] = {}
        # Rows of this run not yet in the database (all of them in a bulk load), by ref.
        self.memory_rows: dict[int, Features] = {}
        self.memory = KeyIndex(self.memory_rows)
        self.fake_id = -(10**12)  # a dry run's stand-in ids, unique over the run
        self.source_known = True  # an earlier run of this source may have recorded rows
        self.tag_ids: dict[str, int] = {}
        self.audited_creation = False  # the import's event for its new customers is written
        self.now = timezone.now()
        self.now_db = db_datetime(self.now)  # for rows written by insert_rows
        known = batch.source_name in Source.values
        self.default_source = batch.source_name if known else Source.OTHER

    # ---- reporting -------------------------------------------------------------

    def _error(self, row_number: int, column: str, reason: str) -> None:
        if self.errors:
            self.errors.writerow([row_number, column, reason])

    def _outcome(self, row_number, external_id, outcome, party_id=None, score=None) -> None:
        self.summary.counts[outcome] += 1
        self.outcomes.append(
            [row_number, external_id, outcome, party_id or "", "" if score is None else score]
        )

    def _flush(self) -> None:
        """Write the chunk's outcome rows in input order."""
        if self.outcome:
            self.outcome.writerows(sorted(self.outcomes, key=lambda r: r[0]))
        self.outcomes = []

    # ---- the run ---------------------------------------------------------------

    def _is_bulk(self) -> bool:
        """Whether this run should be a bulk load (secondary indexes set aside, matching
        in memory): a large file into a database holding few customers, small enough
        that every record fits in memory."""
        if self.batch.dry_run:
            return False
        if self.bulk_load is not None:
            return self.bulk_load
        rows = os.path.getsize(self.batch.file_path) // BYTES_PER_ROW
        if rows < BULK_MIN_ROWS:
            return False
        stored = store.party_count()
        return rows >= BULK_FACTOR * stored and rows + stored <= BULK_MAX_RECORDS

    def run(self) -> Summary:
        table = open_table(self.batch.file_path)
        with contextlib.ExitStack() as stack:
            if not self.batch.dry_run:
                # One bulk load at a time (indexes.bulk_lock); a run that cannot have the
                # lock is an ordinary one.
                self.bulk = self._is_bulk() and stack.enter_context(indexes.bulk_lock())
                # A bulk load killed midway left its indexes dropped: any later run
                # restores them (a bulk load too: its loading of the stored customers
                # reads by them), unless a bulk load is running now.
                if self.bulk:
                    indexes.restore_indexes()
                else:
                    indexes.restore_unless_bulk_running()
                self.source_known = ImportRecord.objects.filter(
                    source_name=self.batch.source_name
                ).exists()
            return self._run_tuned(table)

    def _run_tuned(self, table) -> Summary:
        if self.bulk and self.match:
            # The few stored customers, in memory: matching asks no index of the database.
            for record in store.iter_all_features():
                self.memory_rows[record.ref] = record
                self.memory.add(record)
                record.keys = None  # computed again if ever needed: memory is scarcer
        if self.bulk:
            indexes.drop_indexes()
        tuned = connection.vendor == "sqlite" and not self.batch.dry_run
        if tuned:
            # A large import inserts into big indexes at random places: a page cache of
            # 1 GB (instead of 64 MB) keeps them in memory, and checkpointing the WAL
            # every ~400 MB instead of every 4 MB writes a page changed by many batches
            # once. Both are this connection's and are put back afterwards. A bulk load
            # appends to tables without their indexes: 128 MB is plenty, and the memory
            # goes to the run's rows instead.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size={-131072 if self.bulk else -1048576}")
                cursor.execute("PRAGMA wal_autocheckpoint=100000")
        # Each batch allocates millions of short-lived objects; the cyclic collector
        # would walk the whole heap again and again. Reference counting frees them. What
        # a batch leaves is frozen after it (no collection: at a million rows collecting
        # each batch's survivors cost 4.7 s of a 99 s profile); the few cycles a batch
        # may leave are collected once the run is over and the heap unfrozen.
        gc_enabled = gc.isenabled()
        gc.freeze()
        gc.disable()
        try:
            return self._run(table)
        finally:
            if self.bulk:
                indexes.restore_indexes()
            if gc_enabled:
                gc.enable()
            gc.unfreeze()
            if tuned:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA cache_size=-64000")
                    cursor.execute("PRAGMA wal_autocheckpoint=1000")

    def _run(self, table) -> Summary:
        mapping = {int(k): v for k, v in (self.batch.mapping or {}).items()}
        if not mapping:
            from guanxi.customers.imports.reader import guess_mapping

            mapping = guess_mapping(table.header)
        if not mapping:
            raise FileProblem(
                _(
                    "No column of the header is known (%(header)s). Expected columns such as "
                    "name, mobile, email or 姓名, 手机."
                )
                % {"header": ", ".join(h[:30] for h in table.header[:8])}
            )
        if "name" not in mapping.values():
            raise FileProblem(_("The file has no name column (name / 姓名)."))
        # The file arrives in small pieces (matching can start at once) and is matched
        # and written in batches of `batch_rows` (fewer, larger transactions).
        piece = min(PIECE_ROWS, self.batch_rows)
        pieces = prepared_chunks(
            table,
            self.batch.file_path,
            mapping,
            piece,
            ahead=2 * self.batch_rows // piece,
            second_process=self.second_process,
        )
        batch: list[tuple] = []
        # The first batches are smaller, so that matching starts soon after reading does.
        size = min(self.batch_rows, 4 * piece)
        with contextlib.closing(pieces):
            for items in pieces:
                batch.extend(items)
                if len(batch) >= size:
                    self._run_chunk(batch)
                    batch = []
                    size = min(self.batch_rows, 2 * size)
                    gc.freeze()
        if batch:
            self._run_chunk(batch)
        return self.summary

    def _run_chunk(self, chunk: list[tuple]) -> None:
        valid: list[tuple[CleanRow, Features]] = []
        for item in chunk:
            self.summary.rows += 1
            if len(item) == 3:  # a bad row: (row number, external_id, errors)
                row_number, external_id, errors = item
                self._report_error(row_number, external_id, errors)
                continue
            row, record = unpack(item)
            first = self.seen_keys.get(row.key)
            if first is not None:
                column = "external_id" if row.external_id else "*"
                reason = _("repeats row %(row)s of this file") % {"row": first}
                self._report_error(row.row_number, row.external_id, [(column, reason)])
                continue
            self.seen_keys[row.key] = row.row_number
            valid.append((row, record))
        done = self._recorded([row.key for row, _record in valid])
        todo = []
        for row, record in valid:
            earlier = done.get(row.key)
            if earlier:
                self.summary.already += 1
                self._outcome(row.row_number, row.external_id, *earlier)
            else:
                todo.append(Pending(row, record))
        if todo:
            if self.batch.dry_run:
                self._match_and_write(todo)
            else:
                with transaction.atomic():
                    if connection.vendor == "postgresql":
                        # A batch lost to a crash right after its commit is redone by
                        # the rerun (its ImportRecords are lost with it).
                        with connection.cursor() as cursor:
                            cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    self._match_and_write(todo)
                if not self.bulk or not self.match:
                    # Later batches find these rows in the database; a bulk load keeps
                    # them in memory, as its indexes are set aside.
                    self.memory_rows = {}
                    self.memory = KeyIndex(self.memory_rows)
                else:
                    for item in todo:  # written and indexed: the key texts can go
                        self.memory_rows[item.party_id].keys = None
        self._flush()
        if self.progress:
            self.progress(self.summary.rows)

    def _report_error(self, row_number: int, external_id: str, errors) -> None:
        for column, reason in errors:
            self._error(row_number, column, reason)
        self._outcome(row_number, external_id, ImportOutcome.ERROR)

    def _recorded(self, keys: list[str]) -> dict[str, tuple]:
        """(outcome, party id, score) of the keys an earlier run of the source wrote."""
        found = {}
        if not self.source_known:  # a source's first run: repeats are in `seen_keys`
            return found
        with connection.cursor() as cursor:
            for start in range(0, len(keys), 5000):
                sql, params = store.text_in("external_key", keys[start : start + 5000])
                cursor.execute(  # the table is the model's; every value is a parameter
                    "SELECT external_key, outcome, party_id, score "  # noqa: S608
                    f"FROM {ImportRecord._meta.db_table} WHERE source_name = %s AND {sql}",
                    [self.batch.source_name, *params],
                )
                found.update((key, tuple(rest)) for key, *rest in cursor.fetchall())
        return found

    # ---- matching --------------------------------------------------------------

    def _match_and_write(self, pending: list[Pending]) -> None:
        by_key: dict[str, list[int]] = {}
        if self.match and not self.bulk:
            keys = {key for p in pending for key in p.record.block_keys()}
            by_key = store.candidate_ids(keys, cap=BLOCK_CAP)
        stored = store.load_features({pid for ids in by_key.values() for pid in ids})
        new_ids = (
            iter(allocate_ids(Party._meta.db_table, len(pending)))
            if not self.batch.dry_run
            else None
        )
        before: dict[int, Features] = {}  # matched parties as they were before this batch
        memory, memory_rows, match = self.memory, self.memory_rows, self.match
        for item in pending:
            record = item.record
            candidates = {}
            if stored:  # a bulk load has none: everything is in `memory`
                for key in record.block_keys():
                    for pid in by_key.get(key, ()):
                        if pid in stored and pid not in memory_rows:
                            candidates[pid] = stored[pid]
            if match:
                candidates.update(memory.candidates(record))
            best = best_match(record, candidates.values()) if candidates else None
            if best and best.weight >= MATCH_AT:
                item.outcome, item.party_id, item.score = ImportOutcome.MATCHED, best.b, best.score
                target = item.have = candidates[best.b]
                before.setdefault(best.b, target)
                merged = _combined(target, record)
                memory_rows[best.b] = merged
                memory.add(merged)
                continue
            if new_ids is not None:
                item.party_id = next(new_ids)
            else:
                self.fake_id += 1
                item.party_id = self.fake_id
            if best:
                item.outcome, item.score = ImportOutcome.REVIEW, best.score
                item.review_with, item.reason = best.b, best.reason
            record.ref = item.party_id
            memory_rows[item.party_id] = record
            if match:
                memory.add(record)
        if not self.batch.dry_run:
            self._write(pending, before)
        for item in pending:
            self._outcome(
                item.row.row_number,
                item.row.external_id,
                item.outcome,
                item.party_id if item.party_id and item.party_id > 0 else None,
                item.score,
            )


def _combined(target: Features, incoming: Features) -> Features:
    """A matched party's features with what the import adds (for later rows of the run)."""
    return Features(
        ref=target.ref,
        name=target.name,
        sound=target.sound,
        is_cjk=target.is_cjk,
        mobiles=target.mobiles | incoming.mobiles,
        landlines=target.landlines | incoming.landlines,
        emails=target.emails | incoming.emails,
        wechats=target.wechats | incoming.wechats,
        birthday=target.birthday or incoming.birthday,
        gender=target.gender or incoming.gender,
        city=target.city or incoming.city,
        address=target.address or incoming.address,
        house=target.house if target.address else incoming.house,
        is_org=target.is_org,
    )
