"""Network health by month: joins, activity, retention by join cohort, depth and width,
rank distribution, and who is at risk of dropping out. "Active" in a month means
positive personal PV in that month's ledger."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Sum
from django.utils import timezone

from guanxi.network.choices import DistributorStatus, RunStatus
from guanxi.network.models import (
    CommissionResult,
    CommissionRun,
    Distributor,
    HealthReport,
    TeamStat,
    VolumeEntry,
)
from guanxi.network.periods import next_period, period_of

AT_RISK_LIMIT = 200


@dataclass
class Month:
    period: str
    new: int
    active: int
    inactive: int
    terminated: int


def months_back(last: str, count: int) -> list[str]:
    periods = [last]
    for _ in range(count - 1):
        year, month = map(int, periods[-1].split("-"))
        periods.append(f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}")
    return list(reversed(periods))


def _active_by_period(periods: list[str]) -> dict[str, set[int]]:
    rows = (
        VolumeEntry.objects.filter(period__in=periods)
        .values("period", "distributor_id")
        .annotate(pv=Sum("pv"))
        .filter(pv__gt=0)
        .values_list("period", "distributor_id")
    )
    active: dict[str, set[int]] = {p: set() for p in periods}
    for period, distributor_id in rows:
        active[period].add(distributor_id)
    return active


def monthly(periods: list[str]) -> tuple[list[Month], dict[str, set[int]]]:
    active = _active_by_period(periods)
    joined = Counter(
        period_of(day)
        for day in Distributor.objects.filter(
            join_date__gte=datetime.date.fromisoformat(periods[0] + "-01")
        ).values_list("join_date", flat=True)
    )
    months = []
    for period in periods:
        end = datetime.date.fromisoformat(next_period(period) + "-01")
        members = Distributor.objects.filter(join_date__lt=end)
        terminated = members.filter(
            status=DistributorStatus.TERMINATED, status_changed_at__lt=end
        ).count() + members.filter(
            status=DistributorStatus.TERMINATED, status_changed_at__isnull=True
        ).count() * (period == periods[-1])
        total = members.count()
        months.append(
            Month(
                period=period,
                new=joined.get(period, 0),
                active=len(active[period]),
                inactive=max(total - len(active[period]) - terminated, 0),
                terminated=terminated,
            )
        )
    return months, active


def retention(periods: list[str], active: dict[str, set[int]]) -> list[dict]:
    """Per join cohort (month), the share of its members active in each later month."""
    start = datetime.date.fromisoformat(periods[0] + "-01")
    cohorts: dict[str, set[int]] = {}
    for pk, day in Distributor.objects.filter(join_date__gte=start).values_list("pk", "join_date"):
        cohorts.setdefault(period_of(day), set()).add(pk)
    rows = []
    for cohort in periods:
        members = cohorts.get(cohort, set())
        if not members:
            continue
        later = periods[periods.index(cohort) :]
        rows.append(
            {
                "cohort": cohort,
                "size": len(members),
                "shares": [round(100 * len(members & active[p]) / len(members)) for p in later],
            }
        )
    return rows


def shape() -> dict:
    """Depth and width from the team statistics."""
    by_depth = dict(TeamStat.objects.values_list("depth").annotate(n=Count("pk")).order_by("depth"))
    frontline = Counter(
        Distributor.objects.exclude(sponsor=None).values_list("sponsor_id", flat=True)
    )
    return {
        "max_depth": max(by_depth, default=0),
        "by_depth": sorted(by_depth.items()),
        "widest_level": max(by_depth.values(), default=0),
        "max_frontline": max(frontline.values(), default=0),
        "with_recruits": len(frontline),
        "as_of": TeamStat.objects.aggregate(at=Max("computed_at"))["at"],
    }


def ranks() -> tuple[CommissionRun | None, list[tuple]]:
    run = (
        CommissionRun.objects.filter(status=RunStatus.COMMITTED)
        .select_related("period")
        .order_by("-period__period")
        .first()
    )
    if run is None:
        return None, []
    rows = (
        CommissionResult.objects.filter(run=run)
        .values_list("rate")
        .annotate(n=Count("pk"))
        .order_by("rate")
    )
    return run, list(rows)


def at_risk_ids(period: str, active: dict[str, set[int]], previous: str) -> list[int]:
    """Active members that were active last period and have no volume this period."""
    ids = active.get(previous, set()) - active.get(period, set())
    return sorted(
        Distributor.objects.filter(pk__in=list(ids), status=DistributorStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )


def at_risk(user, ids: list[int]) -> list[Distributor]:
    """The first AT_RISK_LIMIT of `ids` that `user` may see."""
    return list(
        Distributor.objects.visible_to(user)
        .filter(pk__in=ids[: AT_RISK_LIMIT * 5])
        .select_related("party", "sponsor")
        .order_by("member_id")[:AT_RISK_LIMIT]
    )


def build_report(period: str) -> dict:
    """Every figure of the health page for the twelve months up to `period`, as JSON."""
    periods = months_back(period, 12)
    months, active = monthly(periods)
    run, rank_rows = ranks()
    figures = shape()
    risk = at_risk_ids(periods[-1], active, periods[-2])
    return {
        "periods": periods,
        "months": [vars(m) for m in months],
        "retention": retention(periods, active),
        "shape": {**figures, "as_of": str(figures["as_of"] or "")},
        "rank_period": run.period.period if run else "",
        "ranks": [[str(rate), n] for rate, n in rank_rows],
        "at_risk": risk[: AT_RISK_LIMIT * 5],
        "at_risk_count": len(risk),
    }


def report_refresh(period: str) -> HealthReport:
    report, _created = HealthReport.objects.update_or_create(
        period=period, defaults={"data": build_report(period), "computed_at": timezone.now()}
    )
    return report
