"""Reads for lead scoring: the features of leads as the engine takes them, and the
decided history it learns from.

Outcome of a decided lead (docs/sales.md, "Lead scoring"):
* disqualified → lost;
* converted → decided by the deals on its customer opened since the lead arrived: won
  if one was won, lost if all of them were lost, not decided yet while one is open;
  converted with no deal at all → won (the rep won the customer: the claim ends won).
Open leads (new, contacted, qualified) are what gets scored.
"""

import bisect
import datetime
from collections import defaultdict

import numpy as np
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from guanxi.customers.models import Interaction
from guanxi.sales.choices import OPEN_LEAD_STATUSES, LeadStatus, OpportunityState
from guanxi.sales.models import Lead, Opportunity
from guanxi.sales.scoring import LEAD_SPEC, Table

# Activity is counted over the lead's first WINDOW days at most, so that a lead decided
# after a year and one decided in a month are measured alike.
WINDOW = datetime.timedelta(days=30)
# A person whose record is older than this when the lead arrives was known already.
KNOWN_BEFORE = datetime.timedelta(hours=1)
FIELDS = (
    "id",
    "party_id",
    "source",
    "province",
    "response_code",
    "interest",
    "existing_owner_id",
    "created_at",
    "status",
    "status_changed_at",
    "party__created_at",
)


def _arrival(at: datetime.datetime) -> str:
    local = timezone.localtime(at)
    if local.weekday() >= 5:
        return "weekend"
    return "workday" if 8 <= local.hour < 18 else "evening"


def _known(row: dict) -> str:
    if row["existing_owner_id"]:
        return "owned"
    return "known" if row["party__created_at"] < row["created_at"] - KNOWN_BEFORE else "new"


def _activities(party_ids: list[int], since: datetime.datetime) -> dict[int, list]:
    """Times of the activities staff logged on these customers since `since`, sorted."""
    times: dict[int, list] = defaultdict(list)
    for start in range(0, len(party_ids), 5000):
        rows = Interaction.objects.filter(
            party_id__in=party_ids[start : start + 5000],
            actor__isnull=False,
            occurred_at__gte=since,
        ).values_list("party_id", "occurred_at")
        for party_id, at in rows.iterator(chunk_size=5000):
            times[party_id].append(at)
    for value in times.values():
        value.sort()
    return times


def _observed_until(row: dict, now: datetime.datetime) -> datetime.datetime:
    decided = row["status"] not in OPEN_LEAD_STATUSES and row["status_changed_at"]
    end = row["status_changed_at"] if decided else now
    return max(row["created_at"], min(end, row["created_at"] + WINDOW))


def feature_rows(rows: list[dict], *, now: datetime.datetime) -> Table:
    """The engine's table for lead rows (dicts with FIELDS)."""
    since = min((r["created_at"] for r in rows), default=now)
    activity = _activities(sorted({r["party_id"] for r in rows}), since)
    out = []
    for row in rows:
        start, end = row["created_at"], _observed_until(row, now)
        times = activity.get(row["party_id"], [])
        first, last = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
        out.append(
            {
                "source": row["source"],
                "province": row["province"],
                "campaign": row["response_code"],
                "interest": row["interest"],
                "known": _known(row),
                "arrival": _arrival(start),
                "response_hours": (times[first] - start).total_seconds() / 3600
                if last > first
                else None,
                "follow_ups": last - first,
                "age_days": (end - start).total_seconds() / 86400,
            }
        )
    return Table.from_rows(out, LEAD_SPEC)


def lead_features(leads: QuerySet, *, now: datetime.datetime) -> tuple[list[int], Table]:
    rows = list(leads.values(*FIELDS))
    return [r["id"] for r in rows], feature_rows(rows, now=now)


def _deals(state: str | None = None) -> Exists:
    deals = Opportunity.objects.filter(
        party=OuterRef("party"), created_at__gte=OuterRef("created_at")
    )
    return Exists(deals.filter(state=state) if state else deals)


def decided_history(
    *, now: datetime.datetime, limit: int = 200_000
) -> tuple[list[int], Table, np.ndarray]:
    """The newest `limit` decided leads, oldest first: (ids, features, won)."""
    qs = (
        Lead.objects.filter(status__in=[LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED])
        .annotate(
            deal_won=_deals(OpportunityState.WON),
            deal_open=_deals(OpportunityState.OPEN),
            deal_any=_deals(),
        )
        .order_by("-created_at", "-id")
    )
    rows = list(qs.values(*FIELDS, "deal_won", "deal_open", "deal_any")[:limit])
    rows.reverse()
    kept, won = [], []
    for row in rows:
        if row["status"] == LeadStatus.DISQUALIFIED:
            kept.append(row)
            won.append(False)
        elif row["deal_won"] or not row["deal_any"]:
            kept.append(row)
            won.append(True)
        elif not row["deal_open"]:
            kept.append(row)
            won.append(False)
    return [r["id"] for r in kept], feature_rows(kept, now=now), np.array(won, dtype=bool)
