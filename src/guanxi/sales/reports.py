"""Funnel and forecast reports over the deals a user may see (销售漏斗 / 预测).

* funnel: per stage, how many deals reached it, the conversion to the next stage, and
  the mean time deals spent in it (from StageChange);
* weighted forecast: open deals' amount × their stage's probability, by month of
  expected close, and by rep;
* forecast from history: the same deals weighted by the win rate observed from their
  stage instead (of the closed deals that reached a stage, the share won);
* won and lost: counts and amounts by reason, competitor and rep.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Max, Sum
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


def _visible(user, pipeline):
    from guanxi.sales.selectors import visible_deals

    return visible_deals(user).filter(pipeline=pipeline)


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


def _furthest(deals) -> dict[tuple[int, str], int]:
    """(furthest stage position reached, state) → number of deals."""
    tops = (
        StageChange.objects.filter(opportunity__in=deals.values("pk"))
        .values("opportunity")
        .annotate(top=Max("to_stage__position"), now=Max("opportunity__state"))
        .values("top", "now")
        .order_by()
    )
    rows = _rows("SELECT t.top, t.now, COUNT(*) FROM ({inner}) t GROUP BY t.top, t.now", tops)
    return {(top, state): n for top, state, n in rows}


def funnel(*, user, pipeline, furthest=None) -> list[FunnelRow]:
    """`furthest`: _furthest() of the user's deals, when the caller has it already."""
    stages = list(pipeline.stages.order_by("position"))
    deals = _visible(user, pipeline)
    reached_at = defaultdict(int)
    furthest = _furthest(deals) if furthest is None else furthest
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
    from django.db.models import Window
    from django.db.models.functions import Lead

    moves = (
        StageChange.objects.filter(opportunity__in=deals.values("pk"))
        .annotate(
            left=Window(Lead("at"), partition_by=[F("opportunity_id")], order_by=["at", "id"])
        )
        .values("to_stage_id", "at", "left")
        .order_by()
    )
    if connection.vendor == "postgresql":
        seconds = "EXTRACT(EPOCH FROM (m.left - m.at))"
    else:
        seconds = "(julianday(m.left) - julianday(m.at)) * 86400"
    rows = _rows(  # `seconds` is one of the two constants above
        f"SELECT m.to_stage_id, SUM({seconds}), COUNT(m.left) FROM ({{inner}}) m "  # noqa: S608
        "WHERE m.left IS NOT NULL GROUP BY m.to_stage_id",
        moves,
    )
    return {stage: float(total) / n / 86400 for stage, total, n in rows if n}


def win_rates(*, user, pipeline, furthest=None) -> dict[int, float]:
    """stage id → of the closed deals that reached the stage, the share won."""
    stages = list(pipeline.stages.order_by("position"))
    if furthest is None:
        furthest = _furthest(_visible(user, pipeline).exclude(state=OpportunityState.OPEN))
    reached, won = defaultdict(int), defaultdict(int)
    for (top, state), n in furthest.items():
        if state == OpportunityState.OPEN:
            continue
        for stage in stages:
            if stage.position <= top:
                reached[stage.pk] += n
                won[stage.pk] += n if state == OpportunityState.WON else 0
    return {s.pk: won[s.pk] / reached[s.pk] for s in stages if reached[s.pk]}


@dataclass
class ForecastRow:
    key: str
    deals: int
    amount: Decimal
    weighted: Decimal
    from_history: Decimal | None


def _open_groups(user, pipeline) -> list[tuple]:
    """The open deals summed by (month of expected close, rep, stage): one pass that
    serves the forecasts by month, by rep and by team."""
    open_deals = _visible(user, pipeline).filter(state=OpportunityState.OPEN)
    groups = (
        open_deals.annotate(month=TruncMonth("expected_close"))
        .values("month", "owner_id", "stage_id")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    return [(g["month"], g["owner_id"], g["stage_id"], g["n"], g["total"]) for g in groups]


def forecast(*, user, pipeline, by: str = "month", rates=None, groups=None) -> list[ForecastRow]:
    """Open deals by month of expected close ("month"), by rep ("rep") or by team.
    `rates` (win_rates()) and `groups` (_open_groups()): when the caller has them."""
    from guanxi.core.models import User

    rates = win_rates(user=user, pipeline=pipeline) if rates is None else rates
    groups = _open_groups(user, pipeline) if groups is None else groups
    probability = dict(pipeline.stages.values_list("pk", "probability"))
    if by == "month":
        keys = {}
    else:
        field = {"rep": "username", "team": "org_unit__name"}[by]
        owners = {owner for _m, owner, _s, _n, _t in groups}
        keys = dict(User.objects.filter(pk__in=owners).values_list("pk", field))
    rows = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), True])
    for month, owner, stage_id, n, total in groups:
        if by == "month":
            key = month.strftime("%Y-%m") if month is not None else "—"
        else:
            key = keys.get(owner) or "—"
        row, total = rows[key], total or Decimal(0)
        row[0] += n
        row[1] += total
        # Per-deal products summed equal the group's sum times the stage's factor.
        row[2] += total * probability[stage_id] / 100
        if stage_id in rates:
            row[3] += total * Decimal(str(rates[stage_id]))
        else:
            row[4] = False
    cent = Decimal("0.01")
    return [
        ForecastRow(k, r[0], r[1], r[2].quantize(cent), r[3].quantize(cent) if r[4] else None)
        for k, r in sorted(rows.items())
    ]


def reports_page(*, user, pipeline, by: str) -> dict:
    """Everything the reports page shows, each database pass made once: the deals'
    furthest stages serve the funnel and the win rates; one sum of the open deals by
    month, rep and stage serves all three forecasts."""
    furthest = _furthest(_visible(user, pipeline))
    rates = win_rates(user=user, pipeline=pipeline, furthest=furthest)
    once = {"rates": rates, "groups": _open_groups(user, pipeline)}
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
