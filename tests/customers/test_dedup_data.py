"""The duplicate-detection benchmark data: exact, deterministic, realistic, honest truth."""

import ast
import csv
import re
import sys
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import phonenumbers
import pytest
from benchmarks import dedup_data

ROWS = 20_000
PROVINCES = {
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省",
    "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "四川省", "贵州省", "云南省", "西藏自治区",
    "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
}  # fmt: skip
SHORT_PROVINCES = {re.sub("(壮族|回族|维吾尔)?(自治区|省|市)$", "", p) for p in PROVINCES}
ORGANISATION = re.compile(
    "公司|药房|商行|养生馆|美容院|用品店|超市|科技|贸易|商贸|日用品|保健品销售"
)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("dedup") / "rows.csv"
    stats = dedup_data.write_csv(path, ROWS)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return path, rows, stats


@pytest.fixture(scope="module")
def rows(data):
    return data[1]


@pytest.fixture(scope="module")
def by_entity(rows):
    groups = defaultdict(list)
    for row in rows:
        groups[row["entity_id"]].append(row)
    return groups


def phone_key(raw: str) -> str:
    number = phonenumbers.parse(raw, "CN")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 1000])
def test_exactly_n_rows_of_strings_with_unique_external_ids(n):
    rows = list(dedup_data.generate(n, seed=5))
    assert len(rows) == n
    assert all(list(row) == dedup_data.COLUMNS for row in rows)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    assert len({row["external_id"] for row in rows}) == n


def test_same_seed_same_rows_other_seed_other_rows():
    first = list(dedup_data.generate(3000, seed=11))
    assert first == list(dedup_data.generate(3000, seed=11))
    assert first != list(dedup_data.generate(3000, seed=12))


def test_share_of_duplicate_rows(rows, by_entity, data):
    stats = data[2]
    extra_rows = len(rows) - len(by_entity)
    assert extra_rows == round(ROWS * 0.2) == stats["duplicate_rows"]
    assert stats["entities"] == len(by_entity)
    sizes = Counter(len(group) for group in by_entity.values())
    assert set(sizes) == {1, 2, 3, 4}
    assert sizes[2] > 4 * (sizes[3] + sizes[4])  # most duplicated entities have two rows
    none = list(dedup_data.generate(2000, dup_share=0))
    assert len({row["entity_id"] for row in none}) == 2000


def test_rows_are_shuffled(rows):
    adjacent = sum(a["entity_id"] == b["entity_id"] for a, b in pairwise(rows))
    assert adjacent < len(rows) * 0.005
    assert [row["entity_id"] for row in rows] != sorted(row["entity_id"] for row in rows)


def test_every_duplicate_kind_is_planted(data):
    kinds = data[2]["kinds"]
    assert set(kinds) == set(dedup_data.DUPLICATE_KINDS)
    assert all(count > 0 for count in kinds.values()), kinds


def test_duplicate_kinds_show_in_the_rows(by_entity):
    seen = Counter()
    for group in by_entity.values():
        for a in group:
            for b in group:
                if a is b:
                    continue
                name_a, name_b = a["name"], b["name"]
                if re.fullmatch(r"[A-Za-z][A-Za-z -]+", name_a) and not name_b.isascii():
                    seen["pinyin"] += 1
                if re.search("[張劉陳黃楊趙吳偉華麗強軍國東紅]", name_a) and len(name_a) == len(
                    name_b
                ):
                    seen["traditional"] += 1
                if (
                    len(name_a) == len(name_b) == 3
                    and name_a == name_b[0] + name_b[:0:-1] != name_b
                ):
                    seen["name_swap"] += 1
                if len(name_a) == len(name_b) and sum(map(str.__ne__, name_a, name_b)) == 1:
                    seen["typo or homophone"] += 1
                if a["mobile"] and b["mobile"] and a["mobile"].isdigit() != b["mobile"].isdigit():
                    seen["phone_format"] += 1
                if a["mobile"] and not b["mobile"] and b["phone"]:
                    seen["landline_instead"] += 1
                if a["province"] and not b["province"] and b["address"]:
                    seen["address_abbrev"] += 1
                if (
                    a["email"]
                    and a["email"] != b["email"]
                    and a["email"].lower() == b["email"].lower()
                ):
                    seen["email_case"] += 1
                if a["birthday"] and not b["birthday"]:
                    seen["missing_fields"] += 1
    assert len(seen) == 9 and min(seen.values()) >= 10, seen


def test_every_duplicate_can_be_found(by_entity):
    def linked(a, b):
        if a["mobile"] and b["mobile"] and phone_key(a["mobile"]) == phone_key(b["mobile"]):
            return True
        if a["email"] and a["email"].lower() == b["email"].lower():
            return True
        if a["wechat"] and a["wechat"] == b["wechat"]:
            return True
        if a["birthday"] and a["birthday"] == b["birthday"]:
            return True
        if a["phone"] and b["phone"] and phone_key(a["phone"]) == phone_key(b["phone"]):
            return True
        streets = sorted((a["address"], b["address"]), key=len)
        return bool(streets[0]) and streets[1].endswith(streets[0])

    for group in by_entity.values():
        for row in group if len(group) > 1 else ():
            assert any(linked(row, other) for other in group if other is not row), group


def test_identifiers_belong_to_one_entity(rows):
    owners = defaultdict(set)
    for row in rows:
        if row["mobile"]:
            owners["mobile", phone_key(row["mobile"])].add(row["entity_id"])
        if row["email"]:
            owners["email", row["email"].lower()].add(row["entity_id"])
        if row["wechat"]:
            owners["wechat", row["wechat"].lower()].add(row["entity_id"])
    assert all(len(entities) == 1 for entities in owners.values())


def test_namesakes_share_a_name_and_a_city_but_nothing_else(rows, by_entity):
    people = defaultdict(set)
    for row in rows:
        people[row["name"], row["city"], row["district"]].add(row["entity_id"])
    crowded = {key: ids for key, ids in people.items() if len(ids) >= 3}
    assert len(crowded) >= 20
    in_one_city = defaultdict(set)
    for row in rows:
        in_one_city[row["name"], row["city"]].add(row["entity_id"])
    assert any(len(ids) > 1 for (name, _), ids in in_one_city.items() if name == "张伟")
    for ids in crowded.values():
        mobiles = [{phone_key(r["mobile"]) for r in by_entity[i] if r["mobile"]} for i in ids]
        mobiles = [m for m in mobiles if m]
        assert len(set().union(*mobiles)) == len(mobiles)  # each person their own
        birthdays = [{r["birthday"] for r in by_entity[i] if r["birthday"]} for i in ids]
        birthdays = [b for b in birthdays if b]
        assert len(set().union(*birthdays)) == len(birthdays)
    zhang_wei = {row["entity_id"] for row in rows if row["name"] == "张伟"}
    assert len(zhang_wei) >= 10


def test_families_share_address_and_landline_but_not_entity(rows, data):
    households = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["phone"]:
            households[phone_key(row["phone"])][row["entity_id"]].append(row)
    families = [members for members in households.values() if len(members) > 1]
    assert len(families) >= data[2]["families"] * 0.95
    assert 0.04 < data[2]["family_members"] / data[2]["entities"] < 0.07
    for members in families:
        assert 2 <= len(members) <= 4
        streets = {r["address"] for group in members.values() for r in group if r["province"]}
        assert len(streets - {""}) == 1
        names = [{r["name"] for r in group} for group in members.values()]
        assert sum(len(n) for n in names) == len(set().union(*names))  # nobody's name shared
        birthdays = [{r["birthday"] for r in group} - {""} for group in members.values()]
        birthdays = [b for b in birthdays if b]
        assert len(set().union(*birthdays)) == len(birthdays)


def test_mobiles_are_valid_chinese_mobiles(rows):
    for row in rows:
        if row["mobile"]:
            number = phonenumbers.parse(row["mobile"], "CN")
            assert phonenumbers.is_valid_number(number), row["mobile"]
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        if row["phone"]:
            number = phonenumbers.parse(row["phone"], "CN")
            assert phonenumbers.is_valid_number(number), row["phone"]
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE


def test_field_formats_and_shares(rows):
    wechat = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")
    for row in rows:
        assert not row["wechat"] or wechat.match(row["wechat"]), row["wechat"]
        assert not row["email"] or re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-zA-Z]+", row["email"])
        birthday = row["birthday"]
        assert not birthday or re.fullmatch(r"(19[5-9]\d|200[0-5])-\d\d-\d\d", birthday)
        assert row["gender"] in ("male", "female", "")
        assert row["source"] in dedup_data.SOURCES
        assert not row["tags"] or set(row["tags"].split("|")) <= set(dedup_data.TAG_NAMES)
        assert row["province"] in PROVINCES | SHORT_PROVINCES | {""}, row["province"]
    share = {f: sum(bool(r[f]) for r in rows) / len(rows) for f in dedup_data.COLUMNS}
    assert 0.8 < share["mobile"] < 0.92
    assert 0.2 < share["phone"] < 0.35
    assert 0.28 < share["email"] < 0.4
    assert 0.15 < share["wechat"] < 0.25
    assert 0.6 < share["birthday"] < 0.75


def test_names_follow_chinese_frequencies(rows):
    surnames = Counter(row["name"][0] for row in rows)
    assert {s for s, _ in surnames.most_common(3)} == {"王", "李", "张"}
    names = Counter(row["name"] for row in rows)
    common = {"张伟", "王伟", "王芳", "李娜", "李伟", "刘伟", "张敏", "王静"}
    assert common <= {name for name, _ in names.most_common(80)}
    organisations = {r["entity_id"] for r in rows if ORGANISATION.search(r["name"])}
    assert 0.02 < len(organisations) / len({r["entity_id"] for r in rows}) < 0.05
    assert all(
        not r["birthday"] and not r["gender"] for r in rows if r["entity_id"] in organisations
    )


def test_every_mainland_province_is_in_the_table():
    assert {city.province for city, _ in dedup_data._CITIES} == PROVINCES


def test_csv_round_trip_and_true_pairs(tmp_path):
    rows = list(dedup_data.generate(3000, seed=3))
    for encoding in ("utf-8", "gb18030"):
        path = tmp_path / f"rows-{encoding}.csv"
        stats = dedup_data.write_csv(path, 3000, seed=3, encoding=encoding)
        with open(path, newline="", encoding=encoding) as handle:
            assert list(csv.DictReader(handle)) == rows
        pairs = dedup_data.true_pairs(path)
        assert pairs == dedup_data.true_pairs(rows) == dedup_data.true_pairs(str(path))
        assert len(pairs) == stats["true_pairs"]
        assert stats["rows"] == 3000
    by_id = {row["external_id"]: row["entity_id"] for row in rows}
    assert all(a < b and by_id[a] == by_id[b] for a, b in pairs)


def test_module_uses_the_standard_library_only():
    tree = ast.parse(Path(dedup_data.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules <= sys.stdlib_module_names, modules
