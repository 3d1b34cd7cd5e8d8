"""Reads of quotes and approvals, always through the visibility layer."""

from django.db.models import Q, QuerySet

from guanxi.core.choices import Role
from guanxi.sales.models import ApprovalRequest, Quote
from guanxi.sales.services.quotes import SUBJECT


def quote_list(
    *, user, state: str = "", party_id: int | None = None, opportunity_id: int | None = None
) -> QuerySet:
    qs = Quote.objects.visible_to(user).select_related("party", "owner", "price_list")
    if state:
        qs = qs.filter(state=state)
    if party_id:
        qs = qs.filter(party_id=party_id)
    if opportunity_id:
        qs = qs.filter(opportunity_id=opportunity_id)
    return qs.order_by("-created_at", "-id")


def quote_approvals(quote: Quote) -> list[ApprovalRequest]:
    """The approval requests about this quote, newest first, with their steps."""
    return list(
        ApprovalRequest.objects.filter(subject_type=SUBJECT, subject_id=quote.pk)
        .prefetch_related("steps__approver")
        .order_by("-requested_at", "-id")
    )


def quote_versions(quote: Quote) -> list[Quote]:
    return list(Quote.objects.filter(number=quote.number).order_by("version"))


def approvals_visible_to(user) -> QuerySet:
    """Approval requests a user may read: the ones they asked for or are an approver of;
    an administrator sees all."""
    qs = ApprovalRequest.objects.all()
    if not (user.is_superuser or user.role == Role.ADMIN):
        qs = qs.filter(Q(requested_by=user) | Q(steps__approver=user)).distinct()
    return qs.select_related("requested_by").prefetch_related("steps__approver")
