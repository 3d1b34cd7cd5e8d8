"""Reads for lead scoring: the features of leads as the engine takes them, and the
decided history it learns from.

Outcome of a decided lead (docs/sales.md, "Lead scoring"):
* disqualified → lost;
* converted → decided by the deals on its customer opened since the lead arrived: won
  if one was won, lost if all of them were lost, not decided yet while one is open;
  converted with no deal at all → won (the rep won the customer: the claim ends won).
Open leads (new, contacted, qualified) are what gets scored, each as it looks now; the
model learns from decided leads as they looked at the same ages (SNAPSHOT_DAYS).
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass

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
# A decided lead teaches the model how it looked at these ages (days after arrival)
# before its decision, so that a lead scored on arrival or a week in is compared with
# leads as they were at the same point, not with how they ended.
SNAPSHOT_DAYS = (0, 3, 10)
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


def _observed_until(row: dict, as_of: datetime.datetime) -> datetime.datetime:
    """The end of what is known about a lead at `as_of`: its decision, if earlier, and
    at most WINDOW after it arrived."""
    end = as_of
    if row["status"] not in OPEN_LEAD_STATUSES and row["status_changed_at"]:
        end = min(end, row["status_changed_at"])
    return max(row["created_at"], min(end, row["created_at"] + WINDOW))


def feature_rows(rows: list[dict], *, as_of: list[datetime.datetime]) -> Table:
    """The engine's table for lead rows (dicts with FIELDS), each as it looked at its
    `as_of` instant."""
    since = min((r["created_at"] for r in rows), default=None)
    activity = _activities(sorted({r["party_id"] for r in rows}), since) if rows else {}
    out = []
    for row, instant in zip(rows, as_of, strict=True):
        start, end = row["created_at"], _observed_until(row, instant)
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
    """Leads as they look now: (ids, features)."""
    rows = list(leads.values(*FIELDS))
    return [r["id"] for r in rows], feature_rows(rows, as_of=[now] * len(rows))


def _deals(state: str | None = None) -> Exists:
    deals = Opportunity.objects.filter(
        party=OuterRef("party"), created_at__gte=OuterRef("created_at")
    )
    return Exists(deals.filter(state=state) if state else deals)


@dataclass
class History:
    """Decided leads, oldest first (`outcome` per lead), and the training rows made of
    them: each lead as it looked at each SNAPSHOT age it reached before its decision."""

    lead_ids: list[int]
    outcome: np.ndarray  # per lead: won?
    table: Table  # per snapshot row
    won: np.ndarray  # per snapshot row
    lead: np.ndarray  # per snapshot row: index into lead_ids

    def outcomes(self) -> dict[int, bool]:
        return dict(zip(self.lead_ids, self.outcome.tolist(), strict=True))


def _outcome(row: dict) -> bool | None:
    if row["status"] == LeadStatus.DISQUALIFIED:
        return False
    if row["deal_won"] or not row["deal_any"]:
        return True
    return None if row["deal_open"] else False


def decided_history(*, now: datetime.datetime, limit: int = 200_000) -> History:
    """The newest `limit` decided leads and their snapshots, oldest first."""
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
    leads = [(row, won) for row in rows if (won := _outcome(row)) is not None]
    snapshots, as_of, won, lead = [], [], [], []
    for i, (row, outcome) in enumerate(leads):
        decided = row["status_changed_at"] or now
        for days in SNAPSHOT_DAYS:
            instant = row["created_at"] + datetime.timedelta(days=days)
            if days and instant >= decided:
                break
            snapshots.append(row)
            as_of.append(instant)
            won.append(outcome)
            lead.append(i)
    return History(
        lead_ids=[row["id"] for row, _won in leads],
        outcome=np.array([w for _row, w in leads], dtype=bool),
        table=feature_rows(snapshots, as_of=as_of),
        won=np.array(won, dtype=bool),
        lead=np.array(lead, dtype=np.int64),
    )
