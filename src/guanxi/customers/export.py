"""Spreadsheet output that opens correctly in Excel and cannot run formulas."""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value) -> str:
    """Text Excel will not run as a formula (CSV injection) and can store (no control
    characters, which also make openpyxl refuse the cell)."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    """CSV text line by line, with the BOM Excel needs to read UTF-8 Chinese."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(v) for v in header])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def xlsx_file(header: list, rows: Iterable[list], *, sheet: str = "Sheet1"):
    """An XLSX workbook in a temporary file (rewound), every cell text-safe.

    openpyxl's write-only mode streams rows to disk, so a large export stays small in
    memory. Every value is written as a string, so a long number or an ID never turns
    into 1.38E+10 and nothing is ever read as a formula.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=str(sheet)[:31])
    ws.append([neutralise(v) for v in header])
    for row in rows:
        ws.append([neutralise(v) for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    book.save(handle)
    handle.seek(0)
    return handle
