"""A distributor's statement (奖金明细): every line that makes up each amount of a run,
so that anyone can check the total by hand. Built from the run's stored results, the
tree and the ledger, with the same definitions as the engine (tests check that the lines
add up to the stored amounts for every member)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from guanxi.network.engine.plan import CENTS, RATE_SCALE, Plan, parse_plan
from guanxi.network.models import (
    CommissionAdjustment,
    CommissionResult,
    CommissionRun,
    Distributor,
    VolumeEntry,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)


def money(value: Decimal) -> Decimal:
    return max(value, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(units: int) -> Decimal:
    return Decimal(units) / RATE_SCALE


@dataclass
class Line:
    """One step of a computation: who or what, the base, the rate, and the amount."""

    text: str
    member: Distributor | None = None
    level: int | None = None
    base: Decimal | None = None
    rate: Decimal | None = None
    amount: Decimal = ZERO


@dataclass
class Section:
    """One component: its lines, their exact sum, and the amount paid (rounded)."""

    key: str
    lines: list[Line] = field(default_factory=list)
    paid: Decimal = ZERO
    note: str = ""

    @property
    def exact(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass
class Statement:
    run: CommissionRun
    distributor: Distributor
    result: CommissionResult
    plan: Plan
    orders: list[VolumeEntry]
    group: list[CommissionResult]  # children whose group counts in this member's group
    broken_away: list[CommissionResult]
    sections: list[Section]
    adjustments: list[CommissionAdjustment]
    next_rate: tuple[Decimal, Decimal] | None  # (rate, PV still needed)

    @property
    def total(self) -> Decimal:
        return self.result.total

    def hide_names_except(self, visible_ids: set[int]) -> None:
        """For display to staff: members whose records the viewer may not see keep their
        member number but lose their name (the objects are never saved)."""
        for member in self.members():
            if member.pk not in visible_ids:
                member.party.name = ""

    def members(self) -> list[Distributor]:
        rows = [*self.group, *self.broken_away]
        found = [r.distributor for r in rows]
        found += [line.member for s in self.sections for line in s.lines if line.member]
        return found

    @property
    def adds_up(self) -> bool:
        """Each section's lines, rounded, make what it paid, and those make the total."""
        if any(money(s.exact) != s.paid for s in self.sections):
            return False
        paid = sum((s.paid for s in self.sections), ZERO)
        adjusted = sum((a.amount for a in self.adjustments), ZERO)
        return paid + adjusted == self.result.total


def statement(run: CommissionRun, distributor: Distributor) -> Statement:
    plan = parse_plan(run.plan_version.source)
    result = CommissionResult.objects.get(run=run, distributor=distributor)
    below = list(  # the tree the run paid on, not today's
        CommissionResult.objects.filter(run=run, sponsor_at_run=distributor.pk)
        .select_related("distributor__party")
        .order_by("distributor__member_id")
    )
    group = [r for r in below if not r.broken_away]
    away = [r for r in below if r.broken_away]
    sections = []
    if plan.stairstep:
        sections += _stairstep(plan, result, group, away)
    if plan.unilevel:
        sections.append(_unilevel(plan, run, result))
    if plan.personal_sales:
        sections.append(_personal_sales(plan, result))
    orders = list(
        VolumeEntry.objects.filter(
            distributor=distributor, period=run.period.period, booked_period=run.period.period
        ).order_by("date", "id")
    )
    adjustments = list(
        CommissionAdjustment.objects.filter(run=run, distributor=distributor).order_by("for_period")
    )
    return Statement(
        run=run,
        distributor=distributor,
        result=result,
        plan=plan,
        orders=orders,
        group=group,
        broken_away=away,
        sections=sections,
        adjustments=adjustments,
        next_rate=_next_rate(plan, result),
    )


def _next_rate(plan: Plan, result: CommissionResult) -> tuple[Decimal, Decimal] | None:
    if not plan.stairstep:
        return None
    for threshold, rate in zip(plan.stairstep.thresholds, plan.stairstep.rates, strict=True):
        needed = Decimal(threshold) / CENTS - result.group_pv
        if needed > 0:
            return _rate(rate), needed
    return None


def _stairstep(plan, result, group, away) -> list[Section]:
    s = plan.stairstep
    performance = Section("performance_bonus", paid=result.performance_bonus)
    performance.lines.append(
        Line(
            "own_group",
            base=result.group_bv,
            rate=result.rate,
            amount=result.rate * result.group_bv,
        )
    )
    for child in group:
        performance.lines.append(
            Line(
                "child_group",
                member=child.distributor,
                base=child.group_bv,
                rate=child.rate,
                amount=-(child.rate * child.group_bv),
            )
        )
    leadership = Section("leadership_bonus", paid=result.leadership_bonus)
    lead_rate = _rate(s.leadership_rate)
    if result.rate == _rate(s.top_rate):
        for child in away:
            leadership.lines.append(
                Line(
                    "broken_away_group",
                    member=child.distributor,
                    base=child.group_bv,
                    rate=lead_rate,
                    amount=lead_rate * child.group_bv,
                )
            )
    elif away:
        leadership.note = "not_top_rate"
    return [performance, leadership]


def _unilevel(plan, run, result) -> Section:
    u = plan.unilevel
    section = Section("unilevel_bonus", paid=result.unilevel_bonus)
    min_pv = Decimal(u.min_pv) / CENTS
    if result.personal_pv < min_pv:
        section.note = "not_qualified"
        return section
    levels = [_rate(r) for r in u.levels]
    step = "CASE WHEN r.personal_pv >= %(min)s THEN 1 ELSE 0 END" if u.compression else "1"
    sql = (  # `step` is one of two constant expressions; every value is a parameter
        "WITH RECURSIVE down(id, level) AS ("  # noqa: S608
        f" SELECT r.distributor_id, {step} FROM network_commissionresult r"
        " WHERE r.run_id = %(run)s AND r.sponsor_at_run = %(me)s"
        " UNION ALL"
        f" SELECT r.distributor_id, down.level + {step} FROM network_commissionresult r"
        " JOIN down ON r.sponsor_at_run = down.id"
        " WHERE r.run_id = %(run)s AND down.level < %(levels)s"
        ") SELECT down.id, down.level FROM down"
        " JOIN network_commissionresult r ON r.distributor_id = down.id AND r.run_id = %(run)s"
        " WHERE down.level BETWEEN 1 AND %(levels)s AND r.personal_pv >= %(min)s"
    )
    params = {"run": run.pk, "me": result.distributor_id, "levels": len(levels), "min": min_pv}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        level_of = dict(cursor.fetchall())
    paid = (
        CommissionResult.objects.filter(run=run, distributor_id__in=list(level_of))
        .select_related("distributor__party")
        .order_by("distributor__member_id")
    )
    for row in sorted(paid, key=lambda r: (level_of[r.distributor_id], r.distributor.member_id)):
        level = level_of[row.distributor_id]
        rate = levels[level - 1]
        section.lines.append(
            Line(
                "downline_volume",
                member=row.distributor,
                level=level,
                base=row.personal_bv,
                rate=rate,
                amount=rate * row.personal_bv,
            )
        )
    return section


def _personal_sales(plan, result) -> Section:
    p = plan.personal_sales
    section = Section("personal_sales_bonus", paid=result.personal_sales_bonus)
    rate = ZERO
    for threshold, r in zip(p.thresholds, p.rates, strict=True):
        if Decimal(threshold) / CENTS <= result.amount:
            rate = _rate(r)
    cap = _rate(p.cap_ratio)
    amount = result.amount
    if rate * amount <= cap * amount:
        section.lines.append(Line("own_sales", base=amount, rate=rate, amount=rate * amount))
    else:
        section.lines.append(Line("own_sales_capped", base=amount, rate=cap, amount=cap * amount))
    return section
