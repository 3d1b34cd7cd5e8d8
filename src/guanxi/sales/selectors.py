"""Reads of sales: the pool (through visible_to(user, CLAIM)), a rep's claims with their
deadlines, and leads."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from guanxi.core.visibility import Action
from guanxi.customers.models import ContactPoint, Party
from guanxi.customers.selectors import search_q
from guanxi.sales.models import Claim, Lead
from guanxi.sales.services.pool import pool_policy


def masked(value: str) -> str:
    """A contact shown in the pool without giving it away: +86 138****0001."""
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{value[:-8]}****{value[-4:]}" if len(value) > 8 else "****"


def pool_page(*, user, q: str = "", limit: int = 50) -> list[Party]:
    """Unowned records, newest first, each with `.contact_hint` (masked) and
    `.lead` (the latest lead, if any)."""
    qs = (
        Party.objects.visible_to(user, Action.CLAIM)
        .filter(owner__isnull=True, merged_into__isnull=True)
        .prefetch_related(
            Prefetch("contact_points", queryset=ContactPoint.objects.order_by("-is_primary", "id")),
            Prefetch("leads", queryset=Lead.objects.order_by("-created_at"), to_attr="lead_rows"),
        )
        .order_by("-id")
    )
    if q:
        qs = qs.filter(search_q(q))
    rows = list(qs[:limit])
    for party in rows:
        points = list(party.contact_points.all())
        party.contact_hint = masked(points[0].value) if points else ""
        party.lead = party.lead_rows[0] if party.lead_rows else None
        party.province = next((p.province for p in points if p.kind == "address"), "") or (
            party.lead.province if party.lead else ""
        )
    return rows


@dataclass
class HeldClaim:
    claim: Claim
    follow_up_by: datetime.datetime
    progress_by: datetime.datetime
    first_due: datetime.datetime


def my_claims(*, user) -> list[HeldClaim]:
    """A rep's active claims, the one that lapses first first."""
    policy = pool_policy()
    rows = []
    for claim in Claim.objects.filter(user=user, ended_at__isnull=True).select_related("party"):
        follow = (claim.last_follow_up_at or claim.claimed_at) + datetime.timedelta(
            days=policy.follow_up_days
        )
        progress = (claim.last_progress_at or claim.claimed_at) + datetime.timedelta(
            days=policy.progress_days
        )
        rows.append(
            HeldClaim(claim, follow, progress, min(follow, progress, claim.protected_until))
        )
    return sorted(rows, key=lambda r: r.first_due)


def lead_list(*, user, status: str = "", order: str = "") -> QuerySet:
    """Leads the user may see, newest first, or the scored ones highest score first."""
    qs = Lead.objects.visible_to(user).select_related("party__owner", "existing_owner")
    if status:
        qs = qs.filter(status=status)
    if order == "score":  # the partial index lead_score_idx serves this
        return qs.filter(score__isnull=False).order_by("-score", "-id")
    return qs.order_by("-created_at", "-id")


def due_soon(held: list[HeldClaim], days: int = 2) -> int:
    edge = timezone.now() + datetime.timedelta(days=days)
    return sum(1 for h in held if h.first_due <= edge)


BOARD_CARDS = 30  # cards per column on the first load; "more" pages through the rest


@dataclass
class BoardColumn:
    stage: object
    cards: list
    total: object
    count: int
    more: str = ""  # cursor of the next cards ("" when all are shown)


def _open_deals(user, pipeline):
    """Open deals the user may see. Visibility is decided on the deal's own copy of its
    customer's owner (Opportunity.party_owner): no join with the customer table."""
    from guanxi.sales.choices import OpportunityState
    from guanxi.sales.models import Opportunity

    return Opportunity.objects.visible_to(user).filter(
        pipeline=pipeline, state=OpportunityState.OPEN
    )


def board(*, user, pipeline, limit: int = BOARD_CARDS) -> list[BoardColumn]:
    """The kanban: each stage's open deals the user may see, biggest first, `limit` per
    column, with the column's count and total (computed in the database, not from the
    shown cards: a pipeline holds hundreds of thousands of deals)."""
    from django.db.models import Count, Sum

    qs = _open_deals(user, pipeline)
    sums = {
        row["stage"]: row
        for row in qs.order_by().values("stage").annotate(n=Count("id"), total=Sum("amount"))
    }
    columns = []
    for stage in pipeline.stages.order_by("position"):
        row = sums.get(stage.pk, {"n": 0, "total": 0})
        cards, more = _cards(qs.filter(stage=stage), "", limit) if row["n"] else ([], "")
        columns.append(BoardColumn(stage, cards, row["total"] or 0, row["n"], more))
    return columns


def board_cards(*, user, stage, after: str = "", limit: int = BOARD_CARDS) -> tuple[list, str]:
    """One column's next `limit` cards after the cursor `after` ("amount_id" of the last
    card shown), and the cursor after them ("" at the end). Raises ValueError on a
    cursor that is not one. Keyset paging: deep pages cost what the first does."""

    return _cards(_open_deals(user, stage.pipeline_id).filter(stage=stage), after, limit)


def _cards(qs, after: str, limit: int) -> tuple[list, str]:
    from decimal import Decimal

    from django.db.models import Q

    if after:
        amount, _sep, pk = after.partition("_")
        try:
            amount, pk = Decimal(amount), int(pk)
            # Only what the column can hold: the database would refuse the rest.
            valid = abs(amount) < 10**12 and amount == amount.quantize(Decimal("0.01"))
        except ArithmeticError as exc:  # decimal.InvalidOperation: not a number, NaN, ∞
            raise ValueError(after) from exc
        if not valid or not 0 <= pk < 2**63:
            raise ValueError(after)
        qs = qs.filter(Q(amount__lt=amount) | Q(amount=amount, pk__gt=pk))
    # Ids first (read from the board index alone), rows second: the index is walked in
    # card order and a deal of another rep's customer costs no table read.
    ids = list(qs.order_by("-amount", "id").values_list("pk", flat=True)[: limit + 1])
    rows = qs.model.objects.select_related("party", "owner").in_bulk(ids)
    cards = [rows[pk] for pk in ids]
    if len(cards) <= limit:
        return cards, ""
    cards = cards[:limit]
    return cards, f"{cards[-1].amount}_{cards[-1].pk}"


def approval_inbox(*, user) -> QuerySet:
    """Approval steps whose turn is `user`'s: pending, with no earlier step pending."""
    from django.db.models import Exists, OuterRef

    from guanxi.sales.choices import ApprovalStatus
    from guanxi.sales.models import ApprovalStep

    earlier = ApprovalStep.objects.filter(
        request=OuterRef("request"),
        position__lt=OuterRef("position"),
        decision=ApprovalStatus.PENDING,
    )
    return (
        ApprovalStep.objects.filter(
            approver=user, decision=ApprovalStatus.PENDING, request__status=ApprovalStatus.PENDING
        )
        .exclude(Exists(earlier))
        .select_related("request__requested_by")
        .order_by("request__requested_at")
    )
