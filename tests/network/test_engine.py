"""The commission engine: the issue's worked examples, and properties against the oracle."""

from decimal import Decimal
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.network.engine import reference
from guanxi.network.engine import tree as tree_module
from guanxi.network.engine.errors import InputError
from guanxi.network.engine.payout import compute
from guanxi.network.engine.plan import parse_plan
from guanxi.network.engine.tree import levels, subtree_sums

STAIRSTEP = """
[stairstep]
schedule = [[0, 0], [60000, 0.09], [120000, 0.12], [240000, 0.15], [600000, 0.21], [1000000, 0.25]]
leadership_rate = 0.04
"""


def cents(*values) -> np.ndarray:
    return np.array([round(Decimal(str(v)) * 100) for v in values], dtype=np.int64)


def test_stairstep_worked_example():
    """600,000 BV at 21% over frontline groups 120,000, 120,000, 60,000 and 240,000."""
    plan = parse_plan(STAIRSTEP)
    # member 0 with 60,000 of its own; four frontline members carry their groups alone
    parent = np.array([-1, 0, 0, 0, 0])
    volume = cents(60_000, 120_000, 120_000, 60_000, 240_000)
    result = compute(plan, parent, volume, volume, volume * 0)
    assert list(result.rate) == [2100, 1200, 1200, 900, 1500]
    assert result.group_pv[0] == 600_000 * 100
    assert result.performance_bonus[0] == 55_800 * 100  # 126,000 − 70,200
    assert list(result.performance_bonus[1:]) == cents(14_400, 14_400, 5_400, 36_000).tolist()
    assert result.leadership_bonus.sum() == 0


def test_a_top_rate_child_breaks_away_and_pays_leadership():
    plan = parse_plan(STAIRSTEP)
    parent = np.array([-1, 0, 1])
    volume = cents(1_000_000, 1_000_000, 100)
    result = compute(plan, parent, volume, volume, volume * 0)
    assert result.broken_away.tolist() == [True, True, False]
    assert result.group_pv.tolist() == cents(1_000_000, 1_000_100, 100).tolist()
    # member 0 keeps its own group; the leg of member 1 pays it 4% leadership
    assert result.performance_bonus[0] == 250_000 * 100
    assert result.leadership_bonus[0] == cents(0.04 * 1_000_100).item()


@pytest.mark.parametrize(("compression", "expected"), [(False, "10.80"), (True, "23.30")])
def test_unilevel_worked_example(compression, expected):
    """Rates 10/5/3%, min 100 PV, over a chain of 90, 120, 160 and 110 PV below the earner."""
    plan = parse_plan(
        f"[unilevel]\nlevels = [0.10, 0.05, 0.03]\nmin_pv = 100\n"
        f"compression = {str(compression).lower()}\n"
    )
    parent = np.array([-1, 0, 1, 2, 3])
    volume = cents(100, 90, 120, 160, 110)
    result = compute(plan, parent, volume, volume, volume * 0)
    assert result.unilevel_bonus[0] == cents(expected).item()
    oracle = reference.compute(plan, parent.tolist(), volume.tolist(), volume.tolist(), [0] * 5)
    assert oracle[0]["unilevel_bonus"] == Decimal(expected)


def test_personal_sales_is_capped_and_never_negative():
    plan = parse_plan("[personal_sales]\nschedule = [[0, 0.05], [1000, 0.4]]\ncap_ratio = 0.3\n")
    amount = cents(999.99, 2000, -500)
    result = compute(plan, np.array([-1, -1, -1]), amount * 0, amount * 0, amount)
    assert result.personal_sales_bonus.tolist() == cents(50.00, 600, 0).tolist()


def test_rounding_is_half_up_per_member_and_component():
    plan = parse_plan("[personal_sales]\nschedule = [[0, 0.05]]\ncap_ratio = 1\n")
    result = compute(plan, np.array([-1]), cents(0), cents(0), cents(0.1))
    assert result.personal_sales_bonus[0] == 1  # 0.005 rounds up to 0.01


def test_a_sponsor_cycle_is_named():
    with pytest.raises(InputError, match="M[123] loops"):
        levels(np.array([-1, 2, 3, 1]), ["M0", "M1", "M2", "M3"])


def test_a_deep_chain_needs_no_recursion():
    n = 100_000
    parent = np.arange(-1, n - 1)
    tree = levels(parent)
    assert tree.depth[-1] == n - 1 and tree.deep  # the compiled loops take it
    plan = parse_plan(STAIRSTEP)
    volume = np.full(n, 1000, dtype=np.int64)
    result = compute(plan, parent, volume, volume, volume, tree=tree)
    # 10 PV each: the whole chain is one group of exactly 1,000,000 PV at the root
    assert result.group_pv[0] == 1_000_000 * 100
    assert result.broken_away.tolist() == [True] + [False] * (n - 1)
    # 25% of 1,000,000 less 21% of the 999,990 below the root
    assert result.performance_bonus[0] == 25_000_000 - 20_999_790


# ---- properties -------------------------------------------------------------------


@st.composite
def networks(draw):
    n = draw(st.integers(1, 40))
    parent = [draw(st.integers(-1, i - 1)) if i else -1 for i in range(n)]
    shuffle = draw(st.permutations(range(n)))  # members in any file order
    where = {old: new for new, old in enumerate(shuffle)}
    permuted = [-1] * n
    for old in range(n):
        permuted[where[old]] = where[parent[old]] if parent[old] >= 0 else -1
    volume = st.integers(-50_000, 2_000_000)
    pv = [draw(volume) for _ in range(n)]
    bv = [draw(st.sampled_from([v, v // 2, max(v, 0)])) for v in pv]
    amount = [draw(volume) for _ in range(n)]
    return permuted, pv, bv, amount


@st.composite
def plan_sources(draw):
    """The TOML text of a random plan with all three components."""
    rate = st.integers(0, 3000)
    rows = draw(st.integers(1, 5))
    thresholds = sorted(draw(st.sets(st.integers(0, 5_000_000), min_size=rows, max_size=rows)))
    rates = sorted(draw(rate) for _ in range(rows))
    schedule = ", ".join(
        f"[{t / 100}, {r / 10000}]" for t, r in zip(thresholds, rates, strict=True)
    )
    levels = ", ".join(str(draw(rate) / 10000) for _ in range(draw(st.integers(1, 6))))
    compression = draw(st.booleans())
    return (
        f"[stairstep]\nschedule = [{schedule}]\nleadership_rate = {draw(rate) / 10000}\n"
        f"[unilevel]\nlevels = [{levels}]\nmin_pv = {draw(st.integers(0, 5000))}\n"
        f"compression = {str(compression).lower()}\n"
        f"[personal_sales]\nschedule = [{schedule}]\ncap_ratio = {draw(rate) / 10000}\n"
    )


plans = plan_sources().map(parse_plan)


COLUMNS = (
    "group_pv",
    "rate",
    "performance_bonus",
    "leadership_bonus",
    "unilevel_bonus",
    "personal_sales_bonus",
    "total",
)


@settings(max_examples=300, deadline=None)
@given(networks(), plans, st.booleans())
def test_engine_agrees_with_the_member_by_member_oracle(network, plan, compiled):
    """Both paths: numpy level by level, and the compiled loops deep networks take."""
    parent, pv, bv, amount = network
    with mock.patch.object(tree_module, "DEEP", -1 if compiled else tree_module.DEEP):
        result = compute(plan, np.array(parent), np.array(pv), np.array(bv), np.array(amount))
    oracle = reference.compute(plan, parent, pv, bv, amount)
    for i, row in enumerate(oracle):
        got = {
            "group_pv": Decimal(int(result.group_pv[i])) / 100,
            "rate": Decimal(int(result.rate[i])) / 10000,
            **{c: Decimal(int(getattr(result, c)[i])) / 100 for c in COLUMNS[2:]},
        }
        assert got == {c: row[c] for c in COLUMNS}, i


@settings(max_examples=300, deadline=None)
@given(networks(), plans, st.sampled_from([1, 2, 4]))
def test_payout_invariants(network, plan, ratio):
    """With BV in proportion to PV (as products carry them), so a group's BV has its PV's sign;
    arbitrary BV is covered by the oracle test above."""
    parent, pv, _bv, amount = network
    pv = [v * ratio for v in pv]
    bv = [v // ratio for v in pv]
    parent = np.array(parent)
    r = compute(plan, parent, np.array(pv), np.array(bv), np.array(amount))
    # total group volume at the roots is the total volume less the broken-away legs
    heads = (parent < 0) | r.broken_away
    assert r.group_pv[heads].sum() == sum(pv)
    assert r.group_bv[heads].sum() == sum(bv)
    for column in ("performance_bonus", "leadership_bonus", "unilevel_bonus"):
        assert (getattr(r, column) >= 0).all()
    assert (r.personal_sales_bonus >= 0).all()
    # the differential never exceeds rate × own group BV
    ceiling = (np.maximum(r.rate * r.group_bv, 0) + 5000) // 10000
    assert (r.performance_bonus <= ceiling).all()
    assert (
        r.total
        == r.performance_bonus + r.leadership_bonus + r.unilevel_bonus + r.personal_sales_bonus
    ).all()


@settings(max_examples=100, deadline=None)
@given(networks())
def test_team_sums_agree_level_by_level_and_compiled(network):
    parent, pv, _bv, _amount = network
    tree = levels(np.array(parent))
    by_levels = subtree_sums(tree, np.array(pv))
    with mock.patch.object(tree_module, "DEEP", -1):
        assert (subtree_sums(levels(np.array(parent)), np.array(pv)) == by_levels).all()
    heads = np.array(parent) < 0
    assert by_levels[heads].sum() == sum(pv)
