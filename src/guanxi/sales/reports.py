"""Funnel and forecast reports over the deals a user may see (销售漏斗 / 预测).

* funnel: per stage, how many deals reached it, the conversion to the next stage, and
  the mean time deals spent in it (from StageChange);
* weighted forecast: open deals' amount × their stage's probability, by month of
  expected close, and by rep;
* forecast from history: the same deals weighted by the win rate observed for their
  stage and age instead: of the closed deals that reached the stage and were still open
  at the deal's age (its age band), the share won; a stage and band with fewer than
  MIN_HISTORY such deals falls back to the stage's rate over all ages;
* won and lost: counts and amounts by reason, competitor and rep.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from guanxi.sales.choices import OpportunityState
from guanxi.sales.models import StageChange

# Every figure is aggregated in the database: at 200,000 open and as many closed deals
# (about a million stage changes) reading rows into Python took seconds per report.


@dataclass
class FunnelRow:
    stage: object
    reached: int
    to_next: float | None  # share of those reaching this stage that reached the next
    mean_days: float | None  # mean days spent in the stage by deals that left it


# A deal's age in days (since it was opened) falls in one of these bands: < 30, 30–89,
# 90–179, 180 and more. A deal that has lived long without closing wins less often.
AGE_BANDS = (30, 90, 180)
MIN_HISTORY = 5  # closed deals a stage-and-band rate needs before it is used


def _band(older_than) -> Case:
    """The age band as an SQL CASE: `older_than(days)` is the condition "older than
    `days`" for the rows at hand (open deals today, closed deals when they closed)."""
    whens = [
        When(older_than(days), then=Value(i + 1))
        for i, days in reversed(list(enumerate(AGE_BANDS)))
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def age_band(days: float) -> int:
    return sum(1 for edge in AGE_BANDS if days >= edge)


def _visible(user, pipeline):
    from guanxi.sales.models import Opportunity

    return Opportunity.objects.visible_to(user).filter(pipeline=pipeline)


def _rows(sql: str, queryset) -> list[tuple]:
    """Run `sql` with `{inner}` replaced by the queryset's own SQL (visibility included):
    the ORM cannot aggregate over an aggregate or a window."""
    try:
        inner, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. a rep who sees no customers: nothing to count
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.format(inner=inner), params)
        return cursor.fetchall()


def _furthest(reach: dict[tuple[int, str, int], int]) -> dict[tuple[int, str], int]:
    """(furthest stage position reached, state) → number of deals, from _reach_by_age()."""
    out: dict[tuple[int, str], int] = defaultdict(int)
    for (top, state, _band), n in reach.items():
        out[top, state] += n
    return dict(out)


def funnel(*, user, pipeline, furthest=None) -> list[FunnelRow]:
    """`furthest`: _furthest() of the user's deals, when the caller has it already."""
    stages = list(pipeline.stages.order_by("position"))
    deals = _visible(user, pipeline)
    reached_at = defaultdict(int)
    furthest = _furthest(_reach_by_age(deals)) if furthest is None else furthest
    for (top, _state), n in furthest.items():
        reached_at[top] += n
    reached, running = {}, 0
    for stage in reversed(stages):  # reaching a later stage means passing the earlier ones
        running += reached_at.get(stage.position, 0)
        reached[stage.pk] = running
    spent = _days_in_stage(deals)
    rows = []
    for i, stage in enumerate(stages):
        n = reached[stage.pk]
        following = reached[stages[i + 1].pk] if i + 1 < len(stages) else None
        rows.append(
            FunnelRow(
                stage,
                n,
                following / n if following is not None and n else None,
                spent.get(stage.pk),
            )
        )
    return rows


def _days_in_stage(deals) -> dict[int, float]:
    """stage id → mean days from entering the stage to the deal's next change (a move
    or its closing); deals still sitting in a stage do not count for it yet."""
    moves = (
        StageChange.objects.filter(opportunity__in=deals.values("pk"), left_at__isnull=False)
        .values("to_stage_id", "at", "left_at")
        .order_by()
    )
    if connection.vendor == "postgresql":
        seconds = "EXTRACT(EPOCH FROM (m.left_at - m.at))"
    else:
        seconds = "(julianday(m.left_at) - julianday(m.at)) * 86400"
    rows = _rows(  # `seconds` is one of the two constants above
        f"SELECT m.to_stage_id, SUM({seconds}), COUNT(*) FROM ({{inner}}) m "  # noqa: S608
        "GROUP BY m.to_stage_id",
        moves,
    )
    return {stage: float(total) / n / 86400 for stage, total, n in rows if n}


def win_rates(*, user, pipeline, furthest=None) -> dict[int, float]:
    """stage id → of the closed deals that reached the stage, the share won."""
    stages = list(pipeline.stages.order_by("position"))
    if furthest is None:
        furthest = _furthest(_reach_by_age(_visible(user, pipeline)))
    reached, won = defaultdict(int), defaultdict(int)
    for (top, state), n in furthest.items():
        if state == OpportunityState.OPEN:
            continue
        for stage in stages:
            if stage.position <= top:
                reached[stage.pk] += n
                won[stage.pk] += n if state == OpportunityState.WON else 0
    return {s.pk: won[s.pk] / reached[s.pk] for s in stages if reached[s.pk]}


def win_rates_by_age(*, user, pipeline, reach=None) -> dict[tuple[int, int], float]:
    """(stage id, age band) → of the closed deals that reached the stage and were still
    open at that age, the share won; only cells with at least MIN_HISTORY deals.
    `reach`: _reach_by_age() of the user's deals, when the caller has it."""
    stages = list(pipeline.stages.order_by("position"))
    reach = _reach_by_age(_visible(user, pipeline)) if reach is None else reach
    reached, won = defaultdict(int), defaultdict(int)
    for (top, state, band), n in reach.items():
        if state == OpportunityState.OPEN:
            continue
        for stage in stages:
            if stage.position > top:
                continue
            for b in range(band + 1):  # open at every age up to the one it closed at
                reached[stage.pk, b] += n
                won[stage.pk, b] += n if state == OpportunityState.WON else 0
    return {key: won[key] / n for key, n in reached.items() if n >= MIN_HISTORY}


def _reach_by_age(deals) -> dict[tuple[int, str, int], int]:
    """(furthest stage position, state, age band at closing) → number of deals, in one
    pass for the funnel and both win rates (open deals are all in band 0)."""
    from datetime import timedelta

    band = _band(lambda days: Q(closed_at__gte=F("created_at") + timedelta(days=days)))
    rows = (
        deals.filter(reached_position__isnull=False)
        .annotate(band=band)
        .values_list("reached_position", "state", "band")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(top, state, b): n for top, state, b, n in rows}


@dataclass
class ForecastRow:
    key: str
    deals: int
    amount: Decimal
    weighted: Decimal
    from_history: Decimal | None


def _open_groups(user, pipeline, now=None) -> list[tuple]:
    """The open deals summed by (month of expected close, rep, stage, age band today):
    one pass that serves the forecasts by month, by rep and by team."""
    from datetime import timedelta

    from django.utils import timezone

    now = now or timezone.now()
    open_deals = _visible(user, pipeline).filter(state=OpportunityState.OPEN)
    band = _band(lambda days: Q(created_at__lte=now - timedelta(days=days)))
    groups = (
        open_deals.annotate(month=TruncMonth("expected_close"), band=band)
        .values("month", "owner_id", "stage_id", "band")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    # Tens of thousands of groups for a whole company: read as plain rows, not through
    # the ORM's per-row conversions. The month arrives as a date, a timestamp or (SQLite)
    # text; only "YYYY-MM" is used.
    rows = _rows(
        "SELECT g.month, g.owner_id, g.stage_id, g.band, g.n, g.total FROM ({inner}) g", groups
    )
    return [
        (str(month)[:7] if month is not None else None, owner, (stage, band), n, total)
        for month, owner, stage, band, n, total in rows
    ]


def forecast(
    *, user, pipeline, by: str = "month", rates=None, aged=None, groups=None, now=None
) -> list[ForecastRow]:
    """Open deals by month of expected close ("month"), by rep ("rep") or by team.
    `rates` (win_rates()), `aged` (win_rates_by_age()) and `groups` (_open_groups()):
    when the caller has them."""
    from guanxi.core.models import User

    if rates is None or aged is None:  # one pass over the deals serves both rates
        reach = _reach_by_age(_visible(user, pipeline))
        rates = win_rates(user=user, pipeline=pipeline, furthest=_furthest(reach))
        aged = win_rates_by_age(user=user, pipeline=pipeline, reach=reach)
    groups = _open_groups(user, pipeline, now) if groups is None else groups
    probability = dict(pipeline.stages.values_list("pk", "probability"))
    if by == "month":
        keys = {}
    else:
        field = {"rep": "username", "team": "org_unit__name"}[by]
        owners = {owner for _m, owner, _s, _n, _t in groups}
        keys = dict(User.objects.filter(pk__in=owners).values_list("pk", field))
    rows = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), True])
    for month, owner, (stage_id, band), n, total in groups:
        key = (month if by == "month" else keys.get(owner)) or "—"
        row, total = rows[key], Decimal(str(total or 0))
        row[0] += n
        row[1] += total
        # Per-deal products summed equal the group's sum times the stage's factor.
        row[2] += total * probability[stage_id] / 100
        rate = aged.get((stage_id, band), rates.get(stage_id))
        if rate is not None:
            row[3] += total * Decimal(str(rate))
        else:
            row[4] = False
    cent = Decimal("0.01")
    return [
        ForecastRow(k, r[0], r[1], r[2].quantize(cent), r[3].quantize(cent) if r[4] else None)
        for k, r in sorted(rows.items())
    ]


def reports_page(*, user, pipeline, by: str) -> dict:
    """Everything the reports page shows, each database pass made once: the deals'
    furthest stages and ages at closing serve the funnel and both win rates; one sum of
    the open deals by month, rep, stage and age band serves all three forecasts."""
    reach = _reach_by_age(_visible(user, pipeline))
    furthest = _furthest(reach)
    once = {
        "rates": win_rates(user=user, pipeline=pipeline, furthest=furthest),
        "aged": win_rates_by_age(user=user, pipeline=pipeline, reach=reach),
        "groups": _open_groups(user, pipeline),
    }
    return {
        "funnel": funnel(user=user, pipeline=pipeline, furthest=furthest),
        "by_month": forecast(user=user, pipeline=pipeline, **once),
        "by_rep": forecast(user=user, pipeline=pipeline, by="rep", **once),
        "by_team": forecast(user=user, pipeline=pipeline, by="team", **once),
        "outcomes": outcomes(user=user, pipeline=pipeline, by=by),
    }


def outcomes(*, user, pipeline, by: str) -> list[dict]:
    """Closed deals by close reason, competitor, rep or lead source: won and lost counts
    and amounts."""
    field = {"reason": "close_reason", "competitor": "competitors", "rep": "owner__username",
             "source": "lead__source"}[by]  # fmt: skip
    closed = _visible(user, pipeline).exclude(state=OpportunityState.OPEN)
    rows = closed.values(field, "state").annotate(n=Count("id"), amount=Sum("amount"))
    table: dict[str, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row[field] or "—",
            {"key": row[field] or "—", "won": 0, "lost": 0, "won_amount": 0, "lost_amount": 0},
        )
        entry[row["state"]] += row["n"]
        entry[f"{row['state']}_amount"] += row["amount"] or 0
    return sorted(table.values(), key=lambda e: (-(e["won"] + e["lost"]), e["key"]))
