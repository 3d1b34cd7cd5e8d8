"""Funnel and forecast reports over the deals a user may see (销售漏斗 / 预测).

* funnel: per stage, how many deals reached it, the conversion to the next stage, and
  the mean time deals spent in it (from StageChange);
* weighted forecast: open deals' amount × their stage's probability, by month of
  expected close, and by rep;
* forecast from history: the same deals weighted by the win rate observed from their
  stage instead (of the closed deals that reached a stage, the share won);
* won and lost: counts and amounts by reason, competitor and rep.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum

from guanxi.sales.choices import OpportunityState
from guanxi.sales.models import Opportunity, StageChange


@dataclass
class FunnelRow:
    stage: object
    reached: int
    to_next: float | None  # share of those reaching this stage that reached the next
    mean_days: float | None  # mean days spent in the stage by deals that left it


def _visible(user, pipeline):
    return Opportunity.objects.visible_to(user).filter(pipeline=pipeline)


def funnel(*, user, pipeline) -> list[FunnelRow]:
    stages = list(pipeline.stages.order_by("position"))
    deals = _visible(user, pipeline)
    furthest = (
        StageChange.objects.filter(opportunity__in=deals.values("pk"))
        .values("opportunity")
        .annotate(top=Max("to_stage__position"))
        .values_list("top", flat=True)
    )
    reached_at = defaultdict(int)
    for top in furthest:
        reached_at[top] += 1
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
        StageChange.objects.filter(opportunity__in=deals.values("pk"))
        .order_by("opportunity_id", "at", "id")
        .values_list("opportunity_id", "to_stage_id", "at")
    )
    totals, counts = defaultdict(float), defaultdict(int)
    previous = None
    for deal, stage, at in moves.iterator(chunk_size=20_000):
        if previous is not None and previous[0] == deal:
            totals[previous[1]] += (at - previous[2]).total_seconds() / 86400
            counts[previous[1]] += 1
        previous = (deal, stage, at)
    return {s: totals[s] / counts[s] for s in totals}


def win_rates(*, user, pipeline) -> dict[int, float]:
    """stage id → of the closed deals that reached the stage, the share won."""
    stages = list(pipeline.stages.order_by("position"))
    closed = _visible(user, pipeline).exclude(state=OpportunityState.OPEN)
    tops = (
        StageChange.objects.filter(opportunity__in=closed.values("pk"))
        .values("opportunity", "opportunity__state")
        .annotate(top=Max("to_stage__position"))
    )
    reached, won = defaultdict(int), defaultdict(int)
    for row in tops:
        for stage in stages:
            if stage.position <= row["top"]:
                reached[stage.pk] += 1
                won[stage.pk] += row["opportunity__state"] == OpportunityState.WON
    return {s.pk: won[s.pk] / reached[s.pk] for s in stages if reached[s.pk]}


@dataclass
class ForecastRow:
    key: str
    deals: int
    amount: Decimal
    weighted: Decimal
    from_history: Decimal | None


def forecast(*, user, pipeline, by: str = "month") -> list[ForecastRow]:
    """Open deals by month of expected close ("month"), by rep ("rep") or by team."""
    rates = win_rates(user=user, pipeline=pipeline)
    field = {"month": "expected_close", "rep": "owner__username", "team": "owner__org_unit__name"}[
        by
    ]
    rows = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), True])
    open_deals = _visible(user, pipeline).filter(state=OpportunityState.OPEN)
    for amount, probability, stage_id, key in open_deals.values_list(
        "amount", "stage__probability", "stage_id", field
    ).iterator(chunk_size=20_000):
        if by == "month":
            key = key.strftime("%Y-%m") if isinstance(key, datetime.date) else "—"
        row = rows[key]
        row[0] += 1
        row[1] += amount
        row[2] += amount * probability / 100
        if stage_id in rates:
            row[3] += amount * Decimal(str(rates[stage_id]))
        else:
            row[4] = False
    cent = Decimal("0.01")
    return [
        ForecastRow(k, r[0], r[1], r[2].quantize(cent), r[3].quantize(cent) if r[4] else None)
        for k, r in sorted(rows.items())
    ]


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
