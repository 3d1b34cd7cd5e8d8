"""Per-member component amounts of a plan, exactly as the plan format defines them.

Inputs are integer cents per member (personal PV, BV and net sales amount of the
period); products with rates are integers in cents × RATE_SCALE, and each component is
rounded half-up to a cent per member once, at the end. Components are never negative.
"""

from dataclasses import dataclass, field

import numpy as np

from guanxi.network.engine.plan import RATE_SCALE, PersonalSales, Plan, Stairstep, Unilevel
from guanxi.network.engine.tree import Levels, levels

COMPONENT_COLUMNS = (
    "performance_bonus",
    "leadership_bonus",
    "unilevel_bonus",
    "personal_sales_bonus",
)


@dataclass
class Payout:
    """One period's result, an array per column, indexed like the member arrays."""

    personal_pv: np.ndarray
    personal_bv: np.ndarray
    amount: np.ndarray
    group_pv: np.ndarray
    group_bv: np.ndarray
    rate: np.ndarray  # stairstep rate in RATE_SCALE units
    broken_away: np.ndarray
    performance_bonus: np.ndarray
    leadership_bonus: np.ndarray
    unilevel_bonus: np.ndarray
    personal_sales_bonus: np.ndarray
    total: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.total = sum(getattr(self, c) for c in COMPONENT_COLUMNS)


def compute(
    plan: Plan,
    parent: np.ndarray,
    pv: np.ndarray,
    bv: np.ndarray,
    amount: np.ndarray,
    *,
    tree: Levels | None = None,
) -> Payout:
    """Every component of `plan` for every member; volumes in cents (int64)."""
    tree = tree if tree is not None else levels(parent)
    pv, bv, amount = (np.ascontiguousarray(a, dtype=np.int64) for a in (pv, bv, amount))
    n = tree.parent.shape[0]
    zero = np.zeros(n, dtype=np.int64)
    group_pv, group_bv, rate, broken = pv.copy(), bv.copy(), zero.copy(), np.zeros(n, bool)
    performance = leadership = unilevel = personal_sales = zero
    if plan.stairstep:
        group_pv, group_bv, rate, broken, performance, leadership = stairstep(
            plan.stairstep, tree, pv, bv
        )
    if plan.unilevel:
        unilevel = unilevel_bonus(plan.unilevel, tree, pv, bv)
    if plan.personal_sales:
        personal_sales = personal_sales_bonus(plan.personal_sales, amount)
    return Payout(
        personal_pv=pv,
        personal_bv=bv,
        amount=amount,
        group_pv=group_pv,
        group_bv=group_bv,
        rate=rate,
        broken_away=broken,
        performance_bonus=performance,
        leadership_bonus=leadership,
        unilevel_bonus=unilevel,
        personal_sales_bonus=personal_sales,
    )


def to_cents(raw: np.ndarray) -> np.ndarray:
    """cents × RATE_SCALE → cents, half-up; negatives count as nothing."""
    return (np.maximum(raw, 0) + RATE_SCALE // 2) // RATE_SCALE


def rates_for(thresholds, rates, values: np.ndarray) -> np.ndarray:
    """The rate of the highest row whose threshold is ≤ the value, else 0."""
    row = np.searchsorted(np.asarray(thresholds, dtype=np.int64), values, side="right") - 1
    table = np.asarray((0, *rates), dtype=np.int64)
    return table[row + 1]


# ---- stairstep ----------------------------------------------------------------


def stairstep(plan: Stairstep, tree: Levels, pv, bv):
    """(group_pv, group_bv, rate, broken_away, performance, leadership), in cents."""
    if tree.deep:
        from guanxi.network.engine.deep import stairstep as compiled

        group_pv, group_bv, rate, broken, performance, leadership = compiled(
            tree.parent,
            tree.order,
            pv,
            bv,
            np.asarray(plan.thresholds, dtype=np.int64),
            np.asarray(plan.rates, dtype=np.int64),
            plan.top_rate,
            plan.leadership_rate,
        )
    else:
        group_pv, group_bv, rate, broken, performance, leadership = _stairstep_levels(
            plan, tree, pv, bv
        )
    return group_pv, group_bv, rate, broken, to_cents(performance), to_cents(leadership)


def _stairstep_levels(plan: Stairstep, tree: Levels, pv, bv):
    """The deepest level first: its groups are complete when its turn comes."""
    n = tree.parent.shape[0]
    group_pv, group_bv = pv.copy(), bv.copy()
    below = np.zeros(n, dtype=np.int64)  # Σ rate(c)·group_bv(c) over the group's children
    away_bv = np.zeros(n, dtype=np.int64)  # Σ group_bv(c) over broken-away children
    rate = np.zeros(n, dtype=np.int64)
    performance = np.zeros(n, dtype=np.int64)
    leadership = np.zeros(n, dtype=np.int64)
    for depth in range(tree.max_depth, -1, -1):
        members = tree.at(depth)
        gbv = group_bv[members]
        r = rates_for(plan.thresholds, plan.rates, group_pv[members])
        rate[members] = r
        performance[members] = r * gbv - below[members]
        top = r == plan.top_rate
        leadership[members] = np.where(top, plan.leadership_rate * away_bv[members], 0)
        if depth == 0:
            continue
        up = tree.parent[members]
        kept = ~top
        np.add.at(group_pv, up[kept], group_pv[members][kept])
        np.add.at(group_bv, up[kept], gbv[kept])
        np.add.at(below, up[kept], (r * gbv)[kept])
        np.add.at(away_bv, up[top], gbv[top])
    return group_pv, group_bv, rate, rate == plan.top_rate, performance, leadership


# ---- unilevel -----------------------------------------------------------------


def unilevel_bonus(plan: Unilevel, tree: Levels, pv, bv) -> np.ndarray:
    """Each qualified member pays its level's rate of its personal BV to the qualified
    upline member at each level (counted through qualified members with compression)."""
    qualified = pv >= plan.min_pv
    up = compressed_parent(tree.parent, qualified) if plan.compression else tree.parent
    raw = np.zeros(up.shape[0], dtype=np.int64)
    payer = np.flatnonzero(qualified)
    earner = up[payer]
    for rate in plan.levels:
        live = earner >= 0
        payer, earner = payer[live], earner[live]
        if payer.size == 0:
            break
        paid = qualified[earner]
        np.add.at(raw, earner[paid], rate * bv[payer[paid]])
        earner = up[earner]
    return to_cents(raw)


def compressed_parent(parent: np.ndarray, qualified: np.ndarray) -> np.ndarray:
    """Each member's nearest qualified upline member, or -1 (pointer jumping: a pointer
    to an unqualified member takes that member's pointer, until none does)."""
    up = parent.copy()
    while True:
        through = np.flatnonzero((up >= 0) & ~qualified[np.maximum(up, 0)])
        if through.size == 0:
            return up
        up[through] = up[up[through]]


# ---- personal sales -------------------------------------------------------------


def personal_sales_bonus(plan: PersonalSales, amount: np.ndarray) -> np.ndarray:
    rate = rates_for(plan.thresholds, plan.rates, amount)
    raw = np.minimum(rate * amount, plan.cap_ratio * amount)
    return to_cents(raw)
