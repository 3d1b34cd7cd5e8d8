"""Matching keys: worked examples and hypothesis properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanxi.customers import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("+86-138-0013-8000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("010-6552 9988", "+861065529988"),
        ("(021) 6888 1234", "+862168881234"),
    ],
)
def test_phones_normalise_to_e164(raw, expected):
    assert normalize.normalize_phone(raw)[0] == expected


def test_mobile_and_landline_are_told_apart():
    assert normalize.normalize_phone("13800138000")[1] is True
    assert normalize.normalize_phone("010-65529988")[1] is False


@pytest.mark.parametrize("raw", ["12345", "abc", "", "138001380001234", "0000000000"])
def test_invalid_phones_are_rejected(raw):
    with pytest.raises(normalize.InvalidContact):
        normalize.normalize_phone(raw)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张伟", "zhangwei", "zw"),
        ("Zhang Wei", "zhangwei", "zw"),
        ("ZHANG  Wei", "zhangwei", "zw"),
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("张 伟", "zhangwei", "zw"),
        ("李Lily", "lilily", "ll"),
    ],
)
def test_pinyin_keys(name, full, initials):
    assert normalize.pinyin_keys(name) == (full, initials)


def test_emails_are_lower_cased():
    assert normalize.normalize_email("  Wang.Fang@Example.CN ") == "wang.fang@example.cn"
    with pytest.raises(normalize.InvalidContact):
        normalize.normalize_email("not-an-email")


@given(st.integers(min_value=0, max_value=99_999_999), st.sampled_from(["138", "159", "186"]))
def test_phone_normalisation_is_idempotent(number, prefix):
    raw = f"{prefix}{number:08d}"
    e164, _mobile = normalize.normalize_phone(raw)
    assert normalize.normalize_phone(e164)[0] == e164
    assert normalize.normalize_phone(f"{raw[:3]} {raw[3:7]} {raw[7:]}")[0] == e164


@given(st.text(min_size=1, max_size=30))
def test_pinyin_keys_are_lowercase_ascii_or_kept_text(name):
    full, initials = normalize.pinyin_keys(name)
    assert full == full.lower()
    assert len(initials) <= len(full)
    assert " " not in full


@given(st.text(alphabet="张王李赵刘陈杨黄伟芳娜敏静", min_size=1, max_size=4))
def test_initials_are_first_letters_of_full_pinyin_syllables(name):
    full, initials = normalize.pinyin_keys(name)
    assert len(initials) == len(name)
    assert full.startswith(initials[0])


@given(st.text(max_size=40))
def test_name_key_ignores_spacing_and_width(name):
    assert normalize.name_key(name) == normalize.name_key(f"  {name} ".replace(" ", "\u3000"))


# Characters that form phrases in pypinyin's dictionary (银行, 重庆, 长大) beside common
# name characters, so drawn strings take both the fast and the phrase path.
_READING_CHARS = "张王李赵刘陈杨黄伟芳娜敏静银行重庆长大乐单曾朝阳都会解放军华为了的"


@given(st.text(alphabet=_READING_CHARS, min_size=1, max_size=normalize.PERSON_NAME_MAX))
def test_character_readings_agree_with_pypinyin(text):
    """The character-by-character path reads exactly as pypinyin's segmenter does."""
    expected = normalize.lazy_pinyin(text, style=normalize.Style.NORMAL)
    assert normalize._syllables(text) == expected


def test_phrases_still_read_as_phrases():
    assert normalize._no_phrase("伟强")
    assert not normalize._no_phrase("银行")
    assert normalize._syllables("长大") == ["zhang", "da"]
