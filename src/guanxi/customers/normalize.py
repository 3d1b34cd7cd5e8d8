"""Matching keys for names, phones, emails and addresses. Pure functions, no Django."""

import re
import unicodedata

import phonenumbers
from pypinyin import Style, lazy_pinyin

DEFAULT_REGION = "CN"
_SPACE_PUNCT = re.compile(r"[\s\u3000·•.,，。、\-_/\\()（）]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WECHAT = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")


class InvalidContact(ValueError):
    """The value cannot be a contact of that kind."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _split_latin(chunk: str) -> list[str]:
    return [w for w in re.split(r"[^0-9A-Za-z]+", chunk) if w]


def pinyin_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials, lower-case without spaces: 张伟 → ("zhangwei", "zw").

    Latin words are kept as words, so "Zhang Wei" gives ("zhangwei", "zw") as well.
    """
    syllables = lazy_pinyin(_fold(name), style=Style.NORMAL, errors=_split_latin)
    words = [s.lower() for s in syllables if s.strip()]
    return "".join(words), "".join(w[0] for w in words if w)


def name_key(name: str) -> str:
    """Name as compared for duplicates: width-folded, lower-case, no spaces or dots."""
    return _SPACE_PUNCT.sub("", _fold(name)).lower()


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> tuple[str, bool]:
    """E.164 form and whether it is a mobile number; raises InvalidContact."""
    text = _fold(raw)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact(f"not a valid phone number: {raw!r}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    is_mobile = kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    return e164, is_mobile


def normalize_email(raw: str) -> str:
    email = _fold(raw).lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidContact(f"not a valid email address: {raw!r}")
    return email


def normalize_wechat(raw: str) -> str:
    wechat = _fold(raw)
    if not _WECHAT.match(wechat):
        raise InvalidContact(f"not a valid WeChat ID: {raw!r}")
    return wechat.lower()


def address_key(province: str, city: str, district: str, street: str) -> str:
    """One comparable string for a postal address."""
    return _SPACE_PUNCT.sub("", _fold(f"{province}{city}{district}{street}")).lower()


def looks_like_phone(text: str) -> bool:
    digits = re.sub(r"[\s\-+()]", "", _fold(text))
    return digits.isdigit() and len(digits) >= 7


def looks_like_pinyin(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z ]+", _fold(text)))
