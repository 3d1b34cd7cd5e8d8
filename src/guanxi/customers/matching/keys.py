"""Comparable forms of names, phones and addresses for record matching. No Django.

Everything here is cached or table-driven, because an import normalises a million
rows: a name is folded to simplified characters with one `str.translate`, its pinyin
is read character by character from a cached table, and a Chinese mobile is checked
against libphonenumber once per 5-digit number prefix rather than once per number.
"""

import functools
import re
import unicodedata
from pathlib import Path

import opencc
import phonenumbers
from pypinyin.pinyin_dict import pinyin_dict

from guanxi.customers.normalize import (
    SURNAME_READINGS,
    InvalidContact,
    char_pinyin,
    normalize_phone,
)

_TS_TABLE_FILE = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
_NON_WORD = re.compile(r"[\s\u3000·•.,，。、'’\-_/\\()（）]+")
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_LATIN_WORD = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d+")
_PHONE_NOISE = re.compile(r"[\s\-()（）.]+")


@functools.cache
def _traditional_table() -> dict[int, str]:
    """Traditional → simplified, one character to one character (OpenCC's table)."""
    table = {}
    for line in _TS_TABLE_FILE.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1:
            table[ord(source)] = target
    return table


@functools.cache
def _simplified_table() -> dict[int, str]:
    table = {}
    path = _TS_TABLE_FILE.with_name("STCharacters.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1:
            table[ord(source)] = target
    return table


def traditional(text: str) -> str:
    """Simplified → traditional characters, one to one (for sample data): 张伟 → 張偉."""
    return text.translate(_simplified_table())


def simplify(text: str) -> str:
    """Width-folded, simplified characters, lower-case Latin: 張偉 → 张伟."""
    return unicodedata.normalize("NFKC", text or "").translate(_traditional_table()).lower()


@functools.cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (from pypinyin's dictionary)."""
    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading)
            plain = "".join(c for c in plain if c.isascii()).replace("v", "u")
            if plain.isalpha():
                found.add(plain.lower())
    return frozenset(found)


@functools.lru_cache(maxsize=1 << 16)
def split_pinyin(word: str) -> tuple[str, ...] | None:
    """Split run-together pinyin into syllables (zhangwei → zhang, wei), or None."""
    syllables = _syllables()
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        if i and word[i] in "aeo":
            continue  # inside a word such a syllable needs an apostrophe (xi'an)
        for j in range(min(n, i + 6), i, -1):  # longest syllable first
            rest = best[j]
            if rest is not None and word[i:j] in syllables:
                best[i] = (word[i:j], *rest)
                break
    return best[0]


@functools.lru_cache(maxsize=1 << 18)
def name_syllables(clean: str) -> tuple[str, ...]:
    """Pinyin syllables of a simplified, space-free name; Latin words are split."""
    if not clean:
        return ()
    if _CJK.search(clean):
        head: list[str] = []
        rest = clean
        if len(clean) <= 4:
            for surname in (clean[:2], clean[:1]):
                if surname in SURNAME_READINGS:
                    head = list(SURNAME_READINGS[surname])
                    rest = clean[len(surname) :]
                    break
        syllables = head + [char_pinyin(c) for c in rest if not c.isspace()]
        return tuple(s for s in syllables if s)
    return tuple(_LATIN_WORD.findall(clean))


@functools.lru_cache(maxsize=1 << 18)
def name_forms(raw: str) -> tuple[str, str, bool]:
    """(clean name, sorted-syllable key, written in Chinese characters?).

    张伟, 張偉, "ZHANG Wei", "Wei Zhang" and "zhangwei" share the key "weizhang";
    张伟明 and 张明伟 share one too. The clean name keeps characters and their order.
    """
    folded = simplify(raw)
    is_cjk = bool(_CJK.search(folded))
    if is_cjk:
        clean = _NON_WORD.sub("", folded)
        syllables = name_syllables(clean)
    else:
        words = _LATIN_WORD.findall(folded)
        syllables = []
        for word in words:
            syllables.extend(split_pinyin(word) or (word,))
        clean = "".join(words)
    return clean, "".join(sorted(syllables)), is_cjk


# ---- phones -------------------------------------------------------------------

_CN_MOBILE = re.compile(r"1[3-9]\d{9}")


@functools.lru_cache(maxsize=1 << 17)
def _cn_mobile_block(block: str) -> bool:
    """Whether libphonenumber accepts 11-digit numbers starting so as CN mobiles.

    Its CN mobile ranges are told apart by at most the first five digits (1740[0-5]);
    the property test in tests/customers/test_matching.py holds us to its answers."""
    number = phonenumbers.parse(block + "0" * (11 - len(block)), "CN")
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


_CN_TRUNK = re.compile(r"0[1-9]\d{8,10}")
_landline_blocks: dict[tuple[str, int], bool] = {}


def _cn_landline(digits: str) -> str | None:
    """E.164 of a Chinese landline written with its trunk 0 (0755-86001234), or None.

    libphonenumber's CN fixed-line ranges are told apart by the first six digits after
    the trunk 0 and the length, so its answer is remembered per (prefix, length) block.
    """
    national = digits[1:]
    block = (national[:6], len(national))
    valid = _landline_blocks.get(block)
    if valid is None:
        number = phonenumbers.parse(digits, "CN")
        valid = (
            phonenumbers.is_valid_number(number)
            and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE
        )
        if len(_landline_blocks) < 1 << 17:
            _landline_blocks[block] = valid
    return "+86" + national if valid else None


def phone_key(raw: str) -> tuple[str, bool]:
    """E.164 form and whether it is a mobile; raises InvalidContact.

    Agrees with `normalize.normalize_phone` (tested), but answers a Chinese mobile
    written with +86, 0086, spaces or dashes without parsing it in full.
    """
    text = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", raw or ""))
    digits = text[1:] if text.startswith("+") else text
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13 and text.startswith(("+", "86")):
        digits = digits[2:]
    if (
        _CN_MOBILE.fullmatch(digits)
        and (text.startswith("+86") or not text.startswith("+"))
        and _cn_mobile_block(digits[:5])
    ):
        return "+86" + digits, True
    if _CN_TRUNK.fullmatch(text):
        landline = _cn_landline(text)
        if landline:
            return landline, False
    return normalize_phone(raw)


# ---- addresses ----------------------------------------------------------------

PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
]
# Longest first, so 壮族自治区 goes before 区.
_ADMIN_SUFFIX = re.compile(
    r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|新区|地区|省|市|区|县|盟|旗)"
)
_PROVINCE_PREFIX = re.compile("^(" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + ")")


@functools.lru_cache(maxsize=1 << 14)
def place_key(name: str) -> str:
    """A province, city or district without its administrative suffix: 深圳市 → 深圳."""
    return _ADMIN_SUFFIX.sub("", _NON_WORD.sub("", simplify(name)))


@functools.lru_cache(maxsize=1 << 16)
def _strip_province(text: str) -> str:
    while True:
        match = _PROVINCE_PREFIX.match(text)
        if not match:
            return text
        text = text[match.end() :]


def org_name(clean: str, city: str = "") -> str:
    """An organisation's name without a leading province or city: 阜阳市永新… → 永新…."""
    bare = _strip_province(clean)
    for place in (city,) if city else ():
        if bare.startswith(place):
            bare = bare[len(place) :]
            bare = bare[1:] if bare[:1] in ("市", "省") else bare
    return bare if len(bare) >= 2 else clean


def address_forms(province: str, city: str, district: str, street: str) -> tuple[str, str]:
    """(address without province or administrative suffixes, house-number digits).

    广东省深圳市南山区科技园路1号 and 深圳南山科技园路1号 give the same first part;
    the digits ("1") tell flats in one building apart.
    """
    text = place_key(f"{province}{city}{district}{street}")
    if not text:
        return "", ""
    return _strip_province(text), "-".join(_DIGITS.findall(simplify(street)))


__all__ = [
    "InvalidContact",
    "address_forms",
    "name_forms",
    "org_name",
    "phone_key",
    "place_key",
    "simplify",
    "split_pinyin",
    "traditional",
]
