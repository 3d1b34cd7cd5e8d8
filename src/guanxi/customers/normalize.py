"""Matching keys for names, phones, emails and addresses. Pure functions, no Django."""

import functools
import re
import unicodedata

import phonenumbers
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

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


# Surnames read differently from the character's everyday reading (曾 is zeng, not ceng).
SURNAME_READINGS = {
    "尉迟": ["yu", "chi"],
    "万俟": ["mo", "qi"],
    "长孙": ["zhang", "sun"],
    "单于": ["chan", "yu"],
    "澹台": ["tan", "tai"],
    "曾": ["zeng"],
    "单": ["shan"],
    "解": ["xie"],
    "仇": ["qiu"],
    "区": ["ou"],
    "查": ["zha"],
    "朴": ["piao"],
    "尉": ["wei"],
    "乐": ["yue"],
    "盖": ["ge"],
    "覃": ["qin"],
    "缪": ["miao"],
    "繁": ["po"],
    "秘": ["bi"],
    "员": ["yun"],
    "种": ["chong"],
    "翟": ["zhai"],
    "句": ["gou"],
    "召": ["shao"],
    "折": ["she"],
    "冼": ["xian"],
    "黑": ["he"],
    "隗": ["wei"],
    "阚": ["kan"],
    "角": ["jue"],
}
PERSON_NAME_MAX = 4  # longer strings are organisations; their first character is no surname


_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


@functools.lru_cache(maxsize=1 << 15)
def char_pinyin(char: str) -> str:
    """The everyday reading of one Chinese character, without tone."""
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _no_phrase(text: str) -> bool:
    """True when pypinyin would read `text` character by character: every character has
    a reading and no run of two or more is in its phrase dictionary (most given names)."""
    if not all(ord(c) in PINYIN_DICT for c in text):
        return False
    n = len(text)
    return not any(text[i:j] in PHRASES_DICT for i in range(n) for j in range(i + 2, n + 1))


def _syllables(text: str) -> list[str]:
    """Characters are read from a cache; text that holds a known phrase is read as
    phrases (银行 is yin hang), also cached, as imports repeat the same names many times.
    Both paths give what `lazy_pinyin` gives (tested); the first skips its segmenter."""
    if len(text) <= PERSON_NAME_MAX and _no_phrase(text):
        return [char_pinyin(c) for c in text]
    return list(_phrase_syllables(text))


@functools.lru_cache(maxsize=1 << 18)
def _phrase_syllables(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=_split_latin))


def pinyin_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials, lower-case without spaces: 张伟 → ("zhangwei", "zw").

    Latin words are kept as words, so "Zhang Wei" gives ("zhangwei", "zw") as well, and
    a personal name's surname is read as a surname (曾伟 → "zengwei").
    """
    text = _fold(name)
    syllables = None
    if 1 < len(text) <= PERSON_NAME_MAX:
        for surname in (text[:2], text[:1]):
            if surname in SURNAME_READINGS:
                syllables = SURNAME_READINGS[surname] + _syllables(text[len(surname) :])
                break
    if syllables is None:
        syllables = _syllables(text)
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


def pinyin_query(text: str) -> str:
    """Typed pinyin as stored: width-folded, lower-case, without (ideographic) spaces."""
    return re.sub(r"\s+", "", _fold(text)).lower()


def looks_like_pinyin(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z ]+", _fold(text)))
