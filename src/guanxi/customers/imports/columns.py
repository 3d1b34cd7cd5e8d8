"""Preparing a chunk of an import column by column: the reading process's hot path.

`prepare.prepare_chunk` validates and normalises row by row; this does the same work a
column at a time, with each value's work (a name's pinyin and sound keys, a date, a
gender, a tag list, a place) done once per distinct value through dictionaries that
live as long as the reading process, and a plain 11-digit mobile checked by its number
block without libphonenumber. Rows it cannot vouch for (any error, a short row, a
mapping that names a column twice) go through `prepare_chunk` itself, so their error
lists are the validator's own. The result is `prepare_chunk`'s, item for item
(tests/customers/test_import_columns.py holds it to that with arbitrary rows).

Python lists, not polars frames: a chunk is 5,000 rows, and moving its values into
Arrow and back costs more than the string work done on them here (measured; see
docs/benchmarks.md).
"""

import datetime
import hashlib
import re

from guanxi.customers.choices import Source
from guanxi.customers.imports.prepare import (
    _ADDRESS,
    _EMAIL,
    _LANDLINE,
    _MOBILE,
    _WECHAT,
    _name_keys,
    is_org,
    prepare_chunk,
)
from guanxi.customers.imports.rows import (
    _CONTROL,
    _GENDERS,
    _TAG_SPLIT,
    NAME_MAX,
    RowValidator,
    _limits,
    parse_date,
)
from guanxi.customers.matching.keys import (
    _cn_mobile_block,
    address_forms,
    name_forms,
    org_name,
    phone_key,
    place_key,
)
from guanxi.customers.normalize import (
    InvalidContact,
    address_key,
    normalize_email,
    normalize_wechat,
)

_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: others need NFKC
_BAD = object()  # a value that makes its row an error
_NAMES_MAX = 1 << 19  # distinct values remembered per column (then forgotten, not grown)


class ColumnPreparer:
    """Prepares chunks for one validator; remembers per-value results across chunks."""

    def __init__(self, validator: RowValidator) -> None:
        self.validator = validator
        self.names: dict[str, tuple] = {}
        self.dates: dict[str, object] = {}
        self.tags: dict[str, tuple] = {}
        self.sources: dict[str, tuple[str, str]] = {}
        self.places: dict[str, str] = {}
        columns = list(validator.mapping.values())
        # A column named twice reads the last mapped cell a row has: the row path does it.
        self.simple = len(columns) == len(set(columns))
        self.index = {column: index for index, column in validator.mapping.items()}
        self.width = max(self.index.values(), default=-1) + 1

    # ---- per distinct value ------------------------------------------------------

    def _name(self, name: str) -> tuple:
        found = self.names.get(name)
        if found is None:
            if len(self.names) >= _NAMES_MAX:
                self.names.clear()
            clean, sound, is_cjk = name_forms(name)
            found = self.names[name] = (clean, sound, is_cjk, is_org(name), _name_keys(name))
        return found

    def _date(self, text: str):
        found = self.dates.get(text)
        if found is None:
            try:
                found = parse_date(text)
            except ValueError:
                found = None
            if found is None or not datetime.date(1900, 1, 1) <= found <= self.validator.today:
                found = _BAD
            self.dates[text] = found
        return found

    def _tag_list(self, text: str) -> tuple:
        found = self.tags.get(text)
        if found is None:
            found = self.tags[text] = tuple(
                t.strip()[:50] for t in _TAG_SPLIT.split(text) if t.strip()
            )
        return found

    def _source(self, text: str) -> tuple[str, str]:
        found = self.sources.get(text)
        if found is None:
            source = self.validator.sources.get(text.lower(), "")
            found = (str(source), "") if source else (str(Source.OTHER), text[:200])
            self.sources[text] = found
        return found

    def _place(self, city: str) -> str:
        found = self.places.get(city)
        if found is None:
            found = self.places[city] = place_key(city)
        return found

    # ---- a chunk -------------------------------------------------------------------

    def prepare(self, chunk: list[tuple[int, list[str]]]) -> list[tuple]:
        """`prepare_chunk(validator, chunk)`, column by column."""
        if not self.simple or "name" not in self.index:
            return prepare_chunk(self.validator, chunk)
        width = self.width
        raws = [raw for _n, raw in chunk]
        bad = [len(raw) < width for raw in raws]
        cols: dict[str, list[str]] = {}
        for column, index in self.index.items():
            cols[column] = [(raw[index] or "").strip() if len(raw) > index else "" for raw in raws]
        empty = [""] * len(chunk)
        for values in cols.values():
            if _CONTROL.search("".join(values)):
                for i, text in enumerate(values):
                    if _CONTROL.search(text):
                        bad[i] = True
        limits = _limits()
        for column, values in cols.items():
            limit = NAME_MAX if column == "name" else limits.get(column)
            if limit is not None and max(map(len, values), default=0) > limit:
                for i, text in enumerate(values):
                    if len(text) > limit:
                        bad[i] = True
        names = cols["name"]
        for i, text in enumerate(names):
            if not text:
                bad[i] = True
        phones = [self._phones(cols.get(c, empty), bad) for c in ("mobile", "phone")]
        emails = self._contacts(cols.get("email", empty), normalize_email, bad)
        wechats = self._contacts(cols.get("wechat", empty), normalize_wechat, bad)
        birthdays = self._values(cols.get("birthday", empty), self._date, bad)
        genders = self._values(
            cols.get("gender", empty), lambda text: _GENDERS.get(text.lower(), _BAD), bad
        )
        out = []
        rows = zip(
            chunk,
            bad,
            names,
            phones[0],
            phones[1],
            emails,
            wechats,
            birthdays,
            genders,
            cols.get("external_id", empty),
            cols.get("province", empty),
            cols.get("city", empty),
            cols.get("district", empty),
            cols.get("address", empty),
            cols.get("source", empty),
            cols.get("tags", empty),
            strict=True,
        )
        for i, (item, is_bad, name, *rest) in enumerate(rows):
            if is_bad:
                out.extend(prepare_chunk(self.validator, [item]))
            else:
                key = rest[6] or self._content_key(cols, i)
                out.append(self._prepared(item[0], key, name, *rest))
        return out

    def _phones(self, values: list[str], bad: list[bool]) -> list:
        found: list = []
        for i, text in enumerate(values):
            if not text:
                found.append(None)
            elif _PLAIN_MOBILE.fullmatch(text) and _cn_mobile_block(text[:5]):
                found.append(("+86" + text, True))  # what phone_key answers, sooner
            else:
                try:
                    found.append(phone_key(text))
                except InvalidContact:
                    found.append(None)
                    bad[i] = True
        return found

    @staticmethod
    def _contacts(values: list[str], normalise, bad: list[bool]) -> list[str]:
        found = []
        for i, text in enumerate(values):
            if text:
                try:
                    text = normalise(text)
                except InvalidContact:
                    bad[i] = True
            found.append(text)
        return found

    @staticmethod
    def _values(values: list[str], convert, bad: list[bool]) -> list:
        found = []
        for i, text in enumerate(values):
            value = convert(text) if text else None
            if value is _BAD:
                bad[i] = True
            found.append(value)
        return found

    def _content_key(self, cols: dict[str, list[str]], i: int) -> str:
        """A row without external_id is known by its content (as `RowValidator`)."""
        text = "\x1f".join(f"{k}={cols[k][i]}" for k in sorted(cols))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()

    def _prepared(
        self,
        row_number,
        key,
        name,
        mobile,
        phone,
        email,
        wechat,
        birthday,
        gender,
        external_id,
        province,
        city,
        district,
        street,
        source_text,
        tags_text,
    ) -> tuple:
        """The tuple `prepare._prepared` makes of the same row."""
        mobiles, landlines = [], []
        for found in (mobile, phone):
            if found is not None:
                (mobiles if found[1] else landlines).append(found[0])
        clean, sound, is_cjk, org, name_keys = self._name(name)
        city_key = self._place(city)
        if org and is_cjk:  # 成都德润商行 and 德润商行 in 成都 are one shop
            bare = org_name(clean, city_key)
            if bare != clean:
                clean, sound = bare, name_forms(bare)[1]
        if street:
            address, house = address_forms(province, city, district, street)
            street_key = address_key(province, city, district, street)
        else:
            address = house = street_key = ""
        source, detail = self._source(source_text) if source_text else ("", "")
        contacts = [(_MOBILE, e164, e164, "", i == 0, "", "", "") for i, e164 in enumerate(mobiles)]
        contacts.extend(
            (_LANDLINE, e164, e164, "", i == 0, "", "", "") for i, e164 in enumerate(landlines)
        )
        if email:
            contacts.append((_EMAIL, email, email, "", True, "", "", ""))
        if wechat:
            contacts.append((_WECHAT, wechat, wechat, "", True, "", "", ""))
        if street:
            contacts.append((_ADDRESS, street, street_key, "", True, province, city, district))
        return (
            row_number,
            external_id,
            key,
            name,
            tuple(mobiles),
            tuple(landlines),
            email,
            wechat,
            province,
            city,
            district,
            street,
            birthday.toordinal() if birthday else 0,
            str(gender) if gender else "",
            source,
            detail,
            self._tag_list(tags_text) if tags_text else (),
            clean,
            sound,
            is_cjk,
            city_key,
            address,
            house,
            org,
            name_keys,
            street_key,
            tuple(contacts),
            _block_keys(
                mobiles,
                landlines,
                email,
                wechat,
                sound,
                birthday,
                house,
                city_key,
                org,
                clean,
                is_cjk,
            ),
        )


def _block_keys(
    mobiles, landlines, email, wechat, sound, birthday, house, city, org, clean, is_cjk
):
    """`Features.block_keys()` of the row (the same keys in the same order)."""
    # Features keeps phones in frozensets: with two of a kind, their order is the set's.
    keys = ["m:" + v for v in (frozenset(mobiles) if len(mobiles) > 1 else mobiles)]
    keys.extend("l:" + v for v in (frozenset(landlines) if len(landlines) > 1 else landlines))
    if email:
        keys.append("e:" + email)
    if wechat:
        keys.append("w:" + wechat)
    sound, house = sound[:100], house[:40]
    if sound:
        if birthday:
            keys.append(f"nb:{sound}|{birthday.isoformat()}")
        if house:
            keys.append(f"nh:{sound}|{house}")
        if city and org:
            keys.append(f"nc:{sound}|{city[:50]}")
    if clean and is_cjk and house:  # a typo in the given name
        keys.append(f"sh:{clean[0]}|{house}")
    return tuple(keys)
