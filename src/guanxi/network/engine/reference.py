"""The plan definitions transcribed member by member, in Decimal: the oracle.

Slow on purpose and obviously right: tests check the engine against it, and the
benchmark runs it as the straightforward per-member implementation that open-source
MLM scripts use (walk each member's downline for group volume, walk each order's
upline for levels). Recursion is avoided so a deep chain cannot overflow the stack.
"""

from decimal import ROUND_HALF_UP, Decimal

from guanxi.network.engine.plan import CENTS, RATE_SCALE, Plan

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return max(value, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def compute(plan: Plan, parent: list[int], pv: list[int], bv: list[int], amount: list[int]):
    """A dict per member: personal_pv, group_pv, rate and the components, in Decimal CNY."""
    n = len(parent)
    children: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(parent):
        if p >= 0:
            children[p].append(i)
    money = [Decimal(v) / CENTS for v in pv], [Decimal(v) / CENTS for v in bv]
    own_pv, own_bv = money
    sales = [Decimal(v) / CENTS for v in amount]
    rows = [
        {
            "personal_pv": own_pv[i],
            "group_pv": own_pv[i],
            "group_bv": own_bv[i],
            "rate": Decimal(0),
            "performance_bonus": Decimal(0),
            "leadership_bonus": Decimal(0),
            "unilevel_bonus": Decimal(0),
            "personal_sales_bonus": Decimal(0),
        }
        for i in range(n)
    ]
    if plan.stairstep:
        _stairstep(plan, children, rows)
    if plan.unilevel:
        _unilevel(plan, parent, own_pv, own_bv, rows)
    if plan.personal_sales:
        s = plan.personal_sales
        for i in range(n):
            rate = _rate_of(s.thresholds, s.rates, sales[i])
            cap = Decimal(s.cap_ratio) / RATE_SCALE
            rows[i]["personal_sales_bonus"] = _money(min(rate * sales[i], cap * sales[i]))
    for row in rows:
        row["total"] = sum(
            row[c]
            for c in (
                "performance_bonus",
                "leadership_bonus",
                "unilevel_bonus",
                "personal_sales_bonus",
            )
        )
    return rows


def _rate_of(thresholds, rates, value: Decimal) -> Decimal:
    rate = Decimal(0)
    for threshold, r in zip(thresholds, rates, strict=True):
        if Decimal(threshold) / CENTS <= value:
            rate = Decimal(r) / RATE_SCALE
    return rate


def _stairstep(plan: Plan, children, rows) -> None:
    s = plan.stairstep
    top = Decimal(s.top_rate) / RATE_SCALE
    done = [False] * len(rows)

    def group(i: int) -> None:
        """Group volume of i's children first (an explicit stack, not recursion)."""
        stack = [(i, False)]
        while stack:
            node, expanded = stack.pop()
            if done[node]:
                continue
            if not expanded:
                stack.append((node, True))
                stack.extend((c, False) for c in children[node] if not done[c])
                continue
            row = rows[node]
            for c in children[node]:
                if rows[c]["rate"] != top:
                    row["group_pv"] += rows[c]["group_pv"]
                    row["group_bv"] += rows[c]["group_bv"]
            row["rate"] = _rate_of(s.thresholds, s.rates, row["group_pv"])
            done[node] = True

    for i in range(len(rows)):
        group(i)
    lead = Decimal(s.leadership_rate) / RATE_SCALE
    for i, row in enumerate(rows):
        away = [c for c in children[i] if rows[c]["rate"] == top]
        kept = [c for c in children[i] if rows[c]["rate"] != top]
        diff = row["rate"] * row["group_bv"] - sum(
            (rows[c]["rate"] * rows[c]["group_bv"] for c in kept), Decimal(0)
        )
        row["performance_bonus"] = _money(diff)
        if row["rate"] == top:
            row["leadership_bonus"] = _money(
                lead * sum((rows[c]["group_bv"] for c in away), Decimal(0))
            )


def _unilevel(plan: Plan, parent, own_pv, own_bv, rows) -> None:
    u = plan.unilevel
    min_pv = Decimal(u.min_pv) / CENTS
    levels = [Decimal(r) / RATE_SCALE for r in u.levels]
    qualified = [v >= min_pv for v in own_pv]
    earned = [Decimal(0)] * len(rows)
    for d in range(len(rows)):
        if not qualified[d]:
            continue
        level, up = 0, parent[d]
        counted = 1 if u.compression else 0  # qualified members in (up, d]
        depth = 1
        while up >= 0:
            level = counted if u.compression else depth
            if level > len(levels):
                break
            if qualified[up]:
                earned[up] += levels[level - 1] * own_bv[d]
            if u.compression and qualified[up]:
                counted += 1
            depth += 1
            up = parent[up]
    for i, row in enumerate(rows):
        row["unilevel_bonus"] = _money(earned[i]) if qualified[i] else Decimal(0)
