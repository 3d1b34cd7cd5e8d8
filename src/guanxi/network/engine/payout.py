"""Per-member component amounts of a plan, exactly as the plan format defines them.

Inputs are integer cents per member (personal PV, BV and net sales amount of the
period); products with rates are integers in cents × RATE_SCALE, and each component is
rounded half-up to a cent per member once, at the end. Components are never negative.
"""

from dataclasses import dataclass, field

import numba
import numpy as np

from guanxi.network.engine.plan import RATE_SCALE, PersonalSales, Plan, Stairstep, Unilevel
from guanxi.network.engine.tree import top_down_order

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
    order: np.ndarray | None = None,
) -> Payout:
    """Every component of `plan` for every member; volumes in cents (int64)."""
    parent = np.ascontiguousarray(parent, dtype=np.int64)
    pv, bv, amount = (np.ascontiguousarray(a, dtype=np.int64) for a in (pv, bv, amount))
    if order is None:
        order = top_down_order(parent)
    n = parent.shape[0]
    zero = np.zeros(n, dtype=np.int64)
    group_pv, group_bv, rate, broken = pv.copy(), bv.copy(), zero.copy(), np.zeros(n, bool)
    performance = leadership = unilevel = personal_sales = zero
    if plan.stairstep:
        group_pv, group_bv, rate, broken, performance, leadership = stairstep(
            plan.stairstep, parent, order, pv, bv
        )
    if plan.unilevel:
        unilevel = unilevel_bonus(plan.unilevel, parent, order, pv, bv)
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


def stairstep(plan: Stairstep, parent, order, pv, bv):
    """(group_pv, group_bv, rate, broken_away, performance, leadership), in cents."""
    group_pv, group_bv, rate, broken, performance, leadership = _stairstep(
        parent,
        order,
        pv,
        bv,
        np.asarray(plan.thresholds, dtype=np.int64),
        np.asarray(plan.rates, dtype=np.int64),
        plan.top_rate,
        plan.leadership_rate,
    )
    return group_pv, group_bv, rate, broken, to_cents(performance), to_cents(leadership)


@numba.njit(cache=True, nogil=True)
def _stairstep(parent, order, pv, bv, thresholds, rates, top, leadership_rate):
    n = parent.shape[0]
    group_pv = pv.copy()
    group_bv = bv.copy()
    below = np.zeros(n, dtype=np.int64)  # Σ rate(c)·group_bv(c) over the group's children
    away_bv = np.zeros(n, dtype=np.int64)  # Σ group_bv(c) over broken-away children
    rate = np.zeros(n, dtype=np.int64)
    broken = np.zeros(n, dtype=np.bool_)
    performance = np.zeros(n, dtype=np.int64)
    leadership = np.zeros(n, dtype=np.int64)
    for k in range(n - 1, -1, -1):  # children before their sponsor
        i = order[k]
        r = 0
        for s in range(thresholds.shape[0]):
            if thresholds[s] > group_pv[i]:
                break
            r = rates[s]
        rate[i] = r
        performance[i] = r * group_bv[i] - below[i]
        if r == top:
            broken[i] = True
            leadership[i] = leadership_rate * away_bv[i]
        up = parent[i]
        if up >= 0:
            if r == top:
                away_bv[up] += group_bv[i]
            else:
                group_pv[up] += group_pv[i]
                group_bv[up] += group_bv[i]
                below[up] += r * group_bv[i]
    return group_pv, group_bv, rate, broken, performance, leadership


# ---- unilevel -----------------------------------------------------------------


def unilevel_bonus(plan: Unilevel, parent, order, pv, bv) -> np.ndarray:
    qualified = pv >= plan.min_pv
    up = compressed_parent(parent, order, qualified) if plan.compression else parent
    raw = _unilevel(up, qualified, bv, np.asarray(plan.levels, dtype=np.int64))
    return to_cents(raw)


def compressed_parent(parent, order, qualified) -> np.ndarray:
    """Each member's nearest qualified upline member, or -1."""
    return _compressed_parent(parent, order, qualified)


@numba.njit(cache=True, nogil=True)
def _compressed_parent(parent, order, qualified):
    up = np.full(parent.shape[0], -1, dtype=np.int64)
    for i in order:  # sponsors first
        p = parent[i]
        if p >= 0:
            up[i] = p if qualified[p] else up[p]
    return up


@numba.njit(cache=True, nogil=True)
def _unilevel(up, qualified, bv, levels):
    raw = np.zeros(up.shape[0], dtype=np.int64)
    for d in range(up.shape[0]):
        if not qualified[d]:
            continue
        u = up[d]
        for level in range(levels.shape[0]):
            if u < 0:
                break
            if qualified[u]:
                raw[u] += levels[level] * bv[d]
            u = up[u]
    return raw


# ---- personal sales -------------------------------------------------------------


def personal_sales_bonus(plan: PersonalSales, amount: np.ndarray) -> np.ndarray:
    rate = rates_for(plan.thresholds, plan.rates, amount)
    raw = np.minimum(rate * amount, plan.cap_ratio * amount)
    return to_cents(raw)


def warm_up() -> None:
    """Load every compiled function from numba's cache (or compile it) on tiny input."""
    from guanxi.network.engine.plan import parse_plan

    plan = parse_plan(
        "[stairstep]\nschedule = [[0, 0.1]]\n[unilevel]\nlevels = [0.1]\ncompression = true\n"
        "[personal_sales]\nschedule = [[0, 0.1]]\ncap_ratio = 0.3\n"
    )
    one = np.ones(2, dtype=np.int64)
    compute(plan, np.array([-1, 0], dtype=np.int64), one, one, one)
