"""Reading customer files: CSV or XLSX, UTF-8 (with or without BOM) or GB18030/GBK.

`open_table` looks at the bytes, decides the format and encoding, and returns the header
and an iterator over the rows as lists of strings. Every problem a person can fix is
raised as `FileProblem` with a message for them.
"""

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

csv.field_size_limit(1 << 20)

STANDARD_COLUMNS = (
    "external_id",
    "name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "province",
    "city",
    "district",
    "address",
    "birthday",
    "gender",
    "source",
    "tags",
)
# Header spellings seen in Chinese spreadsheets, folded to lower case without spaces.
SYNONYMS = {
    "external_id": ["externalid", "id", "编号", "客户编号", "外部编号", "会员编号", "序号id"],
    "name": ["姓名", "名字", "客户名称", "客户姓名", "名称", "fullname"],
    "mobile": ["手机", "手机号", "手机号码", "移动电话", "cell", "cellphone", "mobilephone"],
    "phone": ["电话", "固话", "座机", "固定电话", "联系电话", "telephone", "tel", "landline"],
    "email": ["邮箱", "电子邮箱", "电子邮件", "e-mail", "mail"],
    "wechat": ["微信", "微信号", "weixin", "wechatid"],
    "province": ["省", "省份", "省/直辖市"],
    "city": ["市", "城市", "地市"],
    "district": ["区", "区县", "区/县", "县区"],
    "address": ["地址", "详细地址", "街道地址", "通讯地址", "street"],
    "birthday": ["生日", "出生日期", "出生年月日", "birthdate", "dateofbirth", "dob"],
    "gender": ["性别", "sex"],
    "source": ["来源", "客户来源", "渠道"],
    "tags": ["标签", "tag"],
}
_LOOKUP = {
    alias: column
    for column, aliases in SYNONYMS.items()
    for alias in [column, *aliases, column.replace("_", "")]
}
MAX_BYTES = 200 * 1024 * 1024
_SNIFF = 1 << 20


class FileProblem(ValueError):
    """The file as a whole cannot be imported; the message is for the user."""


@dataclass
class Table:
    format: str
    encoding: str
    header: list[str]
    rows: Iterator[list[str]]
    header_row: int = 1  # the header's row number in the sheet (blank rows may precede it)


def _fold(name: str) -> str:
    return "".join(str(name or "").split()).lower().replace("_", "")


def guess_mapping(header: list[str]) -> dict[int, str]:
    """Column index → standard column, for the headers we recognise (first wins)."""
    mapping: dict[int, str] = {}
    taken = set()
    for index, title in enumerate(header):
        column = _LOOKUP.get(_fold(title)) or _LOOKUP.get(str(title).strip().lower())
        if column and column not in taken:
            mapping[index] = column
            taken.add(column)
    return mapping


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(_("The file is in UTF-16. Save it as CSV UTF-8 or as an Excel file."))
    if b"\x00" in head:
        raise FileProblem(_("This is not a text file (it contains NUL bytes)."))
    for encoding in ("utf-8", "gb18030"):
        try:
            # The sample may end inside a character; decode all but that last one.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileProblem(
        _("The file's encoding is neither UTF-8 nor GB18030/GBK. Save it as CSV UTF-8.")
    )


def _csv_rows(path: Path, encoding: str) -> Iterator[list[str]]:
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise FileProblem(
                _("The file is not valid %(encoding)s text after row %(row)s.")
                % {"encoding": encoding, "row": reader.line_num}
            ) from exc
        except csv.Error as exc:
            raise FileProblem(
                _("The CSV file is malformed near line %(row)s: %(error)s")
                % {"row": reader.line_num, "error": exc}
            ) from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 13800138000.0 is a phone number typed into Excel
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def open_table(path: str | Path) -> Table:
    """Header and rows of a CSV or XLSX file; raises FileProblem."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise FileProblem(_("The file is empty."))
    if size > MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise FileProblem(_("The Excel file is damaged."))
        fmt, encoding, rows = "xlsx", "", _xlsx_rows(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Old .xls files are not supported; save the sheet as .xlsx or CSV."))
    else:
        fmt, encoding = "csv", _detect_encoding(head)
        rows = _csv_rows(path, encoding)
    header_row = 1
    header = next(rows, None)
    while header is not None and not any(cell.strip() for cell in header):
        header, header_row = next(rows, None), header_row + 1
    if header is None:
        raise FileProblem(_("The file has no rows."))
    header = [cell.strip() for cell in header]
    return Table(format=fmt, encoding=encoding, header=header, rows=rows, header_row=header_row)


def read_upload_head(path: str | Path, *, limit: int = 20) -> tuple[Table, list[list[str]]]:
    """The table and its first `limit` data rows, for the wizard's preview."""
    table = open_table(path)
    preview = []
    for row in table.rows:
        preview.append(row)
        if len(preview) >= limit:
            break
    return table, preview
