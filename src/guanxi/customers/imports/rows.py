"""Validating one imported row into clean values, or a list of (column, reason) errors."""

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from guanxi.customers.choices import Gender, Source
from guanxi.customers.matching.keys import phone_key
from guanxi.customers.normalize import InvalidContact, normalize_email, normalize_wechat

NAME_MAX = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_GENDERS = {
    "男": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "先生": Gender.MALE,
    "女": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "女士": Gender.FEMALE,
}
_TAG_SPLIT = re.compile(r"[|,，;；、]")


@functools.cache
def _limits() -> dict[str, int]:
    """Longest value each column may hold, from the fields it is stored in."""
    from guanxi.customers.models import ContactPoint, ImportRecord

    contact = ContactPoint._meta
    return {
        "external_id": ImportRecord._meta.get_field("external_id").max_length,
        "province": contact.get_field("province").max_length,
        "city": contact.get_field("city").max_length,
        "district": contact.get_field("district").max_length,
        "address": contact.get_field("value").max_length,
        "email": 254,
        "wechat": 20,
        "source": 200,
        "tags": 1000,
    }


def _source_lookup() -> dict[str, str]:
    from django.utils import translation

    table = {}
    for value, label in Source.choices:
        table[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                table[str(label).lower()] = value
    return table


@dataclass(slots=True)
class CleanRow:
    row_number: int
    external_id: str
    key: str
    name: str
    mobiles: list[str] = field(default_factory=list)
    landlines: list[str] = field(default_factory=list)
    email: str = ""
    wechat: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    birthday: datetime.date | None = None
    gender: str = ""
    source: str = ""
    source_detail: str = ""
    tags: list[str] = field(default_factory=list)
    # Filled by imports/prepare.py for the writer: organisation?, stored name keys
    # (pinyin, initials, key), the address contact point's normalised form.
    is_org: bool = False
    name_keys: tuple[str, str, str] = ("", "", "")
    address_key: str = ""
    contacts: tuple = ()  # a new party's contact point values (prepare.contact_values)


def parse_date(text: str) -> datetime.date | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups()[:3])
            return datetime.date(year, month, day)
    return None


class RowValidator:
    """Turns raw rows (lists of strings) into CleanRows using a column mapping."""

    def __init__(self, mapping: dict[int, str], *, today: datetime.date | None = None):
        self.mapping = mapping
        self.today = today or datetime.date.today()
        self.sources = _source_lookup()

    def values(self, raw: list[str]) -> dict[str, str]:
        width = len(raw)
        return {
            column: (raw[index] or "").strip()
            for index, column in self.mapping.items()
            if index < width
        }

    def validate(
        self, row_number: int, raw: list[str]
    ) -> tuple[CleanRow | None, list[tuple[str, str]]]:
        v = self.values(raw)
        errors: list[tuple[str, str]] = []
        if _CONTROL.search("".join(v.values())):  # one search per row, column by column if found
            for column, text in v.items():
                if _CONTROL.search(text):
                    errors.append((column, _("contains a control character")))
                    v[column] = ""
        name = v.get("name", "")
        if not name:
            if not any(column == "name" for column, _reason in errors):
                errors.append(("name", _("a name is required")))
        elif len(name) > NAME_MAX:
            errors.append(
                (
                    "name",
                    _("longer than %(max)s characters (%(n)s)") % {"max": NAME_MAX, "n": len(name)},
                )
            )
        for column, limit in _limits().items():
            if len(v.get(column, "")) > limit:
                errors.append((column, _("longer than %(max)s characters") % {"max": limit}))
                v[column] = ""
        mobiles: list[str] = []
        landlines: list[str] = []
        for column in ("mobile", "phone"):
            text = v.get(column, "")
            if not text:
                continue
            try:
                e164, is_mobile = phone_key(text)
            except InvalidContact:
                errors.append(
                    (column, _("not a valid phone number: %(value)s") % {"value": text[:40]})
                )
                continue
            (mobiles if is_mobile else landlines).append(e164)
        email = wechat = ""
        if v.get("email"):
            try:
                email = normalize_email(v["email"])
            except InvalidContact:
                errors.append(("email", _("not a valid email address")))
        if v.get("wechat"):
            try:
                wechat = normalize_wechat(v["wechat"])
            except InvalidContact:
                errors.append(("wechat", _("not a valid WeChat ID")))
        birthday = None
        if v.get("birthday"):
            try:
                birthday = parse_date(v["birthday"])
            except ValueError:
                birthday = None
            if birthday is None:
                errors.append(("birthday", _("not a date (use YYYY-MM-DD)")))
            elif not datetime.date(1900, 1, 1) <= birthday <= self.today:
                errors.append(("birthday", _("not a plausible birthday")))
        gender = ""
        if v.get("gender"):
            gender = _GENDERS.get(v["gender"].lower(), "")
            if not gender:
                errors.append(("gender", _("use 男/女 or male/female")))
        source, detail = "", ""
        if v.get("source"):
            source = self.sources.get(v["source"].lower(), "")
            if not source:
                source, detail = Source.OTHER, v["source"][:200]
        if errors:
            return None, errors
        external_id = v.get("external_id", "")
        key = (
            external_id
            or "sha256:"
            + hashlib.sha256("\x1f".join(f"{k}={v[k]}" for k in sorted(v)).encode()).hexdigest()
        )
        return (
            CleanRow(
                row_number=row_number,
                external_id=external_id,
                key=key,
                name=name,
                mobiles=mobiles,
                landlines=landlines,
                email=email,
                wechat=wechat,
                province=v.get("province", ""),
                city=v.get("city", ""),
                district=v.get("district", ""),
                address=v.get("address", ""),
                birthday=birthday,
                gender=gender,
                source=source,
                source_detail=detail,
                tags=[t.strip()[:50] for t in _TAG_SPLIT.split(v.get("tags", "")) if t.strip()],
            ),
            [],
        )
