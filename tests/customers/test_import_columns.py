"""Column-by-column preparation gives what row-by-row preparation gives, for any rows."""

import datetime

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.customers.imports.columns import ColumnPreparer
from guanxi.customers.imports.prepare import prepare_chunk
from guanxi.customers.imports.reader import STANDARD_COLUMNS
from guanxi.customers.imports.rows import RowValidator

COLUMNS = list(STANDARD_COLUMNS)
MAPPING = dict(enumerate(COLUMNS))
TODAY = datetime.date(2026, 11, 23)

names = st.sampled_from(
    ["张伟", "張偉", "ZHANG Wei", "Wei Zhang", "zhangwei", "曾伟", "欧阳娜娜", "成都德润商行",
     "深圳市康泰医药有限公司", "Ｚｈａｎｇ", " 王强 ", "李", "", "a" * 201, "银行", "X\x01Y"]
)  # fmt: skip
phones = st.sampled_from(
    ["13800138000", "+86 138 0013 8000", "0086-13800138000", "138-0013-8000",
     "１３８００１３８０００", "138００138000", "13٨00138000", "17400012345", "0755-8600 1234",
     "075586001234", "010-12345678",
     "12345", "+1 650 253 0000", "+8613800138000", "8613800138000", "19912345678", "", "abc",
     "11111111111", "0" * 30]
)  # fmt: skip
texts = st.text(alphabet=st.sampled_from("深圳南山区科技园路1号-栋A a\u3000\x0b,，|、市省"))
cells = {
    "external_id": st.one_of(st.just(""), st.text(alphabet="AB12", max_size=4), st.just("x" * 201)),
    "name": st.one_of(names, st.text(max_size=6)),
    "mobile": st.one_of(phones, st.text(alphabet="0123456789+- ", max_size=16)),
    "phone": phones,
    "email": st.sampled_from(["", "A@Example.com", "bad@", "ｘ@ｙ.com", "a b@c.d"]),
    "wechat": st.sampled_from(["", "wxid_abc123", "Zhang_Wei-88", "1abc", "太长" * 20]),
    "province": st.sampled_from(["", "广东省", "廣東", "浙江"]),
    "city": st.sampled_from(["", "深圳市", "成都", "宁波市 "]),
    "district": st.sampled_from(["", "南山区", "鄞州"]),
    "address": st.one_of(texts, st.sampled_from(["", "振兴路273号28栋602室", "x" * 300])),
    "birthday": st.sampled_from(
        [
            "",
            "1980-02-02",
            "1980/2/2",
            "19800202",
            "1980年2月2日",
            "2099-01-01",
            "1800-01-01",
            "1980-02-30",
            "soon",
            "1980-2-2 10:00",
        ]
    ),  # fmt: skip
    "gender": st.sampled_from(["", "男", "女", "M", "female", "先生", "x"]),
    "source": st.sampled_from(["", "partner", "Purchased list", "购买名单", "某展会"]),
    "tags": st.sampled_from(["", "VIP|高意向", " a , b ;c、", "|||", "x" * 1001]),
}
INVALID_PHONES = ("12345", "abc", "11111111111", "0" * 30)
# Mostly valid rows (a bad cell sends a row down the row path, which proves little):
# odd but valid names, phones, places and dates, with now and then any cell at all.
valid = {
    **cells,
    "external_id": st.sampled_from(["", "E1", "E2"]),
    "name": names.filter(lambda n: n.strip() and len(n) <= 200 and "\x01" not in n),
    "mobile": phones.filter(lambda p: p not in INVALID_PHONES),
    "email": st.sampled_from(["", "A@Example.com", "ｘ@ｙ.com"]),
    "wechat": st.sampled_from(["", "wxid_abc123", "Zhang_Wei-88"]),
    "address": st.one_of(texts.filter(lambda t: "\x0b" not in t), st.just("振兴路273号")),
    "birthday": st.sampled_from(["", "1980-02-02", "1980/2/2", "19800202", "1980年2月2日"]),
    "gender": st.sampled_from(["", "男", "女", "M", "female", "先生"]),
    "tags": st.sampled_from(["", "VIP|高意向", " a , b ;c、", "|||"]),
}
rows = st.one_of(st.fixed_dictionaries(valid), st.fixed_dictionaries(cells)).map(
    lambda d: [d[c] for c in COLUMNS]
)
# Some rows are cut short (a CSV line with fewer cells than the header).
raw_rows = st.one_of(rows, rows.flatmap(lambda r: st.integers(0, len(r)).map(lambda n: r[:n])))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_rows, min_size=1, max_size=12))
def test_columns_prepare_what_rows_prepare(raws):
    chunk = [(i + 2, raw) for i, raw in enumerate(raws)]
    by_rows = prepare_chunk(RowValidator(MAPPING, today=TODAY), chunk)
    by_columns = ColumnPreparer(RowValidator(MAPPING, today=TODAY)).prepare(chunk)
    assert by_columns == by_rows


def test_values_remembered_from_an_earlier_chunk_give_the_same_keys():
    preparer = ColumnPreparer(RowValidator(MAPPING, today=TODAY))
    row = ["E1", "張偉", "+86 138 0013 8000", "", "", "", "广东省", "深圳市", "南山区",
           "科技园路1号", "1980-02-02", "男", "partner", "VIP"]  # fmt: skip
    first = preparer.prepare([(2, row)])[0]
    again = preparer.prepare([(3, ["E2", *row[1:]])])[0]
    assert again[3:] == first[3:]
    assert first[17:19] == ("张伟", "weizhang")  # clean name and sound key
    assert first[4] == ("+8613800138000",)
    assert "nb:weizhang|1980-02-02" in first[27] and "sh:张|1" in first[27]


def test_a_column_mapped_twice_is_left_to_the_row_path():
    mapping = {0: "name", 1: "mobile", 2: "mobile"}
    chunk = [(2, ["王强", "13800138000", "bad"]), (3, ["李娜", "bad", "13900139000"])]
    validator = RowValidator(mapping, today=TODAY)
    assert ColumnPreparer(validator).prepare(chunk) == prepare_chunk(validator, chunk)
    assert len(ColumnPreparer(validator).prepare(chunk)[0]) == 3  # the last cell: an error


def test_bad_rows_carry_the_validators_own_errors():
    validator = RowValidator(MAPPING, today=TODAY)
    row = ["E1", "", "12345", "", "bad@", "", "", "", "", "", "2099-01-01", "x", "", ""]
    (item,) = ColumnPreparer(validator).prepare([(7, row)])
    assert item[:2] == (7, "E1")
    assert [column for column, _reason in item[2]] == [
        "name",
        "mobile",
        "email",
        "birthday",
        "gender",
    ]
