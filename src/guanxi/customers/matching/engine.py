"""Record linkage for customers: features, blocking, pair scores and clusters. No Django.

A pair's score is a sum of evidence weights, in bits (log2 of how much likelier the
evidence is for one person than for two): a shared mobile is strong evidence, a shared
name weak (张伟 is common), a different birthday strong evidence against. Weights were
set by reasoning about each field and checked on the synthetic benchmark data
(benchmarks/dedup_bench.py); docs/decisions.md explains them.

Blocking: only records that share one of a few keys are compared (the same mobile,
email, WeChat ID or landline; the same name sound with the same birthday or house
number; the same surname with the same house number), so the work grows with the number
of records, not its square.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from guanxi.customers.matching.keys import address_forms, name_forms, org_name, place_key

# A pair at or above MATCH_AT is one customer; between REVIEW_AT and MATCH_AT a person
# decides. The score shown to users is the weight mapped to 0..1 (see `probability`).
MATCH_AT = 9.0
REVIEW_AT = 5.0
BLOCK_CAP = 60  # a key shared by more records than this says nothing (a switchboard number)

W_MOBILE, W_MOBILE_DIFF = 10.0, -4.0
W_EMAIL, W_EMAIL_DIFF = 9.0, -1.0
W_WECHAT, W_WECHAT_DIFF = 9.0, -1.0
# Household evidence: a family shares its flat and its landline, so the two together
# count little more than either alone.
W_ADDRESS, W_ADDRESS_NEAR, W_ADDRESS_DIFF = 5.5, 2.5, -1.5
W_LANDLINE, W_LANDLINE_DIFF = 5.0, -1.0
W_HOUSEHOLD_BOTH = 1.0
W_CITY_SAME, W_CITY_DIFF = 0.5, -1.0
# Names: siblings share a generation character (张伟明, 张伟亮), so one character off is
# no evidence by itself, and a pair like that is never merged on one agreeing field alone
# (a shared mobile sends it to review); in a two-character name one character off is
# another given name altogether. A different name is strong evidence of another person.
W_NAME_EXACT, W_NAME_SOUND, W_NAME_TYPO, W_NAME_NEAR, W_NAME_DIFF = 4.0, 3.5, 0.0, -2.0, -8.0
W_NAME_TYPO_SHORT = -4.0
W_BIRTHDAY, W_BIRTHDAY_DIFF = 5.5, -5.0
W_GENDER_DIFF = -4.0
W_KIND_DIFF = -10.0


def probability(weight: float) -> float:
    """The score users see: 0.5 at the review line, 0.94 at the match line."""
    return round(1.0 / (1.0 + 2.0 ** (REVIEW_AT - weight)), 4)


@dataclass(slots=True)
class Features:
    """What matching knows about one record (a party, or an import row)."""

    ref: int
    name: str = ""
    sound: str = ""
    is_cjk: bool = False
    mobiles: frozenset[str] = frozenset()
    landlines: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    wechats: frozenset[str] = frozenset()
    birthday: datetime.date | None = None
    gender: str = ""
    city: str = ""
    address: str = ""
    house: str = ""
    is_org: bool = False
    keys: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    def block_keys(self) -> tuple[str, ...]:
        """Blocking keys (computed once): records sharing none are never compared."""
        if self.keys is None:
            self.keys = tuple(self._block_keys())
        return self.keys

    def _block_keys(self) -> Iterator[str]:
        for value in self.mobiles:
            yield "m:" + value
        for value in self.landlines:
            yield "l:" + value
        for value in self.emails:
            yield "e:" + value
        for value in self.wechats:
            yield "w:" + value
        # Fuzzy keys are stored (MatchKey.key, 160 characters): long parts are cut.
        sound, house = self.sound[:100], self.house[:40]
        if sound:
            if self.birthday:
                yield f"nb:{sound}|{self.birthday.isoformat()}"
            if house:
                yield f"nh:{sound}|{house}"
            if self.city and self.is_org:
                yield f"nc:{sound}|{self.city[:50]}"
        if self.name and self.is_cjk and house:  # a typo in the given name
            yield f"sh:{self.name[0]}|{house}"


def features(
    ref: int,
    *,
    name: str,
    mobiles: Iterable[str] = (),
    landlines: Iterable[str] = (),
    emails: Iterable[str] = (),
    wechats: Iterable[str] = (),
    birthday: datetime.date | None = None,
    gender: str = "",
    province: str = "",
    city: str = "",
    district: str = "",
    street: str = "",
    is_org: bool = False,
) -> Features:
    """Features from normalised values (phones in E.164, emails lower-case)."""
    clean, sound, is_cjk = name_forms(name)
    city_key = place_key(city)
    if is_org and is_cjk:  # 成都德润商行 and 德润商行 in 成都 are one shop
        bare = org_name(clean, city_key)
        if bare != clean:
            clean, sound = bare, name_forms(bare)[1]
    address, house = address_forms(province, city, district, street) if street else ("", "")
    return Features(
        ref=ref,
        name=clean,
        sound=sound,
        is_cjk=is_cjk,
        mobiles=frozenset(mobiles),
        landlines=frozenset(landlines),
        emails=frozenset(emails),
        wechats=frozenset(wechats),
        birthday=birthday,
        gender=gender,
        city=city_key,
        address=address,
        house=house,
        is_org=is_org,
    )


def _set_weight(a: frozenset, b: frozenset, same: float, differ: float) -> float | None:
    if not a or not b:
        return None
    return same if a & b else differ


def _name_weight(a: Features, b: Features) -> tuple[float, str]:
    if a.name == b.name:
        return W_NAME_EXACT, "name"
    if a.sound and a.sound == b.sound:
        return W_NAME_SOUND, "name_sound"
    if a.is_cjk and b.is_cjk:
        if (
            len(a.name) == len(b.name) >= 2
            and a.name[0] == b.name[0]
            and Levenshtein.distance(a.name, b.name) == 1
        ):
            if len(a.name) == 2:  # 王强 / 王刚: brothers as likely as a typo
                return W_NAME_TYPO_SHORT, "name_typo"
            return W_NAME_TYPO, "name_typo"
        return W_NAME_DIFF, ""
    # Characters against pinyin: one syllable off may be a typo on either side.
    if a.sound and b.sound and Levenshtein.distance(a.sound, b.sound) <= 2:
        return W_NAME_NEAR, ""
    return W_NAME_DIFF, ""


def _household_weight(a: Features, b: Features) -> tuple[float, list[str]]:
    """Address and landline together, as one piece of household evidence."""
    total, reasons = 0.0, []
    address = None
    if a.address and b.address:
        if a.house != b.house:
            address = W_ADDRESS_DIFF
        elif a.address == b.address or (
            len(a.address) >= 6
            and len(b.address) >= 6
            and (a.address.endswith(b.address) or b.address.endswith(a.address))
        ):
            address = W_ADDRESS if a.house else W_ADDRESS_NEAR
            reasons.append("address" if a.house else "address_near")
        elif ratio(a.address, b.address) >= 80:
            address = W_ADDRESS_NEAR
            reasons.append("address_near")
        else:
            address = W_ADDRESS_DIFF
    elif a.city and b.city:
        total += W_CITY_SAME if a.city == b.city else W_CITY_DIFF
    landline = _set_weight(a.landlines, b.landlines, W_LANDLINE, W_LANDLINE_DIFF)
    if landline is not None and landline > 0:
        reasons.append("landline")
    if address is not None and landline is not None and address > 0 and landline > 0:
        return total + max(address, landline) + W_HOUSEHOLD_BOTH, reasons
    return total + (address or 0.0) + (landline or 0.0), reasons


def compare(a: Features, b: Features) -> tuple[float, str]:
    """Evidence weight that a and b are one customer, and the agreeing fields."""
    total = 0.0
    reasons = []
    for pair_weight, reason in (
        (_set_weight(a.mobiles, b.mobiles, W_MOBILE, W_MOBILE_DIFF), "mobile"),
        (_set_weight(a.emails, b.emails, W_EMAIL, W_EMAIL_DIFF), "email"),
        (_set_weight(a.wechats, b.wechats, W_WECHAT, W_WECHAT_DIFF), "wechat"),
    ):
        if pair_weight is not None:
            total += pair_weight
            if pair_weight > 0:
                reasons.append(reason)
    weight, name_reason = _name_weight(a, b)
    total += weight
    if name_reason:
        reasons.append(name_reason)
    if a.birthday and b.birthday:
        if a.birthday == b.birthday:
            total += W_BIRTHDAY
            reasons.append("birthday")
        else:
            total += W_BIRTHDAY_DIFF
    if a.gender and b.gender and a.gender != b.gender:
        total += W_GENDER_DIFF
    weight, household = _household_weight(a, b)
    total += weight
    reasons.extend(household)
    if a.is_org != b.is_org:
        total += W_KIND_DIFF
    if name_reason == "name_typo" and len(reasons) < 3:  # the typo and one more field at most
        total = min(total, MATCH_AT - 0.5)
    return total, "+".join(reasons)


@dataclass(slots=True)
class Pair:
    a: int
    b: int
    weight: float
    reason: str

    @property
    def score(self) -> float:
        return probability(self.weight)


class BlockIndex:
    """Records by blocking key, for finding a record's candidates."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[Features]] = defaultdict(list)

    def add(self, record: Features) -> None:
        for key in record.block_keys():
            self.blocks[key].append(record)

    def candidates(self, record: Features) -> dict[int, Features]:
        found: dict[int, Features] = {}
        for key in record.block_keys():
            members = self.blocks.get(key)
            if members and len(members) <= BLOCK_CAP:
                for other in members:
                    if other.ref != record.ref:
                        found[other.ref] = other
        return found


def best_match(
    record: Features, candidates: Iterable[Features], *, skip: set[int] = frozenset()
) -> Pair | None:
    """The strongest candidate for `record` at or above the review line, if any."""
    best = None
    for other in candidates:
        if other.ref in skip:
            continue
        weight, reason = compare(record, other)
        if weight >= REVIEW_AT and (best is None or weight > best.weight):
            best = Pair(record.ref, other.ref, weight, reason)
    return best


def scored_pairs(
    records: Iterable[Features], *, threshold: float = MATCH_AT, distinct=frozenset()
) -> Iterator[Pair]:
    """Every pair of records sharing a blocking key and scoring at least `threshold`.

    `distinct` holds (low, high) ref pairs people said are not the same; they are skipped.
    """
    blocks: dict[str, list[Features]] = defaultdict(list)
    for record in records:
        for key in record.block_keys():
            blocks[key].append(record)
    return score_blocks(blocks.values(), threshold=threshold, distinct=distinct)


def score_blocks(
    blocks: Iterable[list[Features]], *, threshold: float = MATCH_AT, distinct=frozenset()
) -> Iterator[Pair]:
    """Pairs within each block (records sharing a key) at or above `threshold`, once each."""
    seen: set[tuple[int, int]] = set()
    for members in blocks:
        if len(members) < 2 or len(members) > BLOCK_CAP:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                low, high = (a.ref, b.ref) if a.ref < b.ref else (b.ref, a.ref)
                if low == high or (low, high) in seen:
                    continue
                seen.add((low, high))
                if (low, high) in distinct:
                    continue
                weight, reason = compare(a, b)
                if weight >= threshold:
                    yield Pair(low, high, weight, reason)


def clusters(pairs: Iterable[Pair], *, distinct=frozenset()) -> list[list[tuple[int, Pair]]]:
    """Connected components of the pairs: per cluster, (ref, its strongest pair).

    Strongest pairs join first, and a join that would put two records people said are
    not the same (`distinct`, (low, high) pairs) into one cluster is skipped.
    """
    parent: dict[int, int] = {}
    members: dict[int, set[int]] = {}
    apart: dict[int, set[int]] = defaultdict(set)
    for low, high in distinct:
        apart[low].add(high)
        apart[high].add(low)

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    strongest: dict[int, Pair] = {}
    for pair in sorted(pairs, key=lambda p: -p.weight):
        ra, rb = find(pair.a), find(pair.b)
        if ra != rb:  # join the two clusters, unless that puts "not the same" together
            group_a = members.setdefault(ra, {ra})
            group_b = members.setdefault(rb, {rb})
            small, large = sorted((group_a, group_b), key=len)
            if any(apart[x] & large for x in small if x in apart):
                continue
            root, other = min(ra, rb), max(ra, rb)
            parent[other] = root
            members[root] = group_a | group_b
            members.pop(other, None)
        for ref in (pair.a, pair.b):
            if ref not in strongest or pair.weight > strongest[ref].weight:
                strongest[ref] = pair
    groups: dict[int, list[tuple[int, Pair]]] = defaultdict(list)
    for ref, pair in strongest.items():
        groups[find(ref)].append((ref, pair))
    return sorted(
        (sorted(group, key=lambda m: m[0]) for group in groups.values() if len(group) > 1),
        key=lambda group: group[0][0],
    )
