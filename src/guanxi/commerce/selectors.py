"""Reads of commerce that are more than a filter; all start from visible_to()."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from guanxi.commerce.choices import OPEN_RETURN_STATUSES
from guanxi.commerce.models import ReturnRequest
from guanxi.core.visibility import Action


def overdue_refunds(*, user, today: datetime.date | None = None) -> QuerySet:
    """Open returns whose 7-day refund deadline has passed, oldest first."""
    today = today or timezone.localdate()
    return (
        ReturnRequest.objects.visible_to(user, Action.VIEW)
        .filter(status__in=OPEN_RETURN_STATUSES, refund_due_on__lt=today)
        .select_related("order", "customer")
        .order_by("refund_due_on", "id")
    )
