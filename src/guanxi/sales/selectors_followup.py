"""Reads of follow-up tasks: a user's own list in overdue / today / upcoming buckets and
the menu's count, always through visible_to()."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from guanxi.sales.choices import TaskStatus
from guanxi.sales.models import FollowUpTask


def my_open_tasks(*, user) -> QuerySet:
    return (
        FollowUpTask.objects.visible_to(user)
        .filter(assignee=user, status=TaskStatus.OPEN)
        .select_related("party", "lead", "opportunity")
        .order_by("due_at", "id")
    )


def end_of_today(now: datetime.datetime) -> datetime.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )


def my_tasks(*, user, now=None, upcoming: int = 50) -> dict[str, list[FollowUpTask]]:
    """Open tasks of `user`: overdue (due before now), the rest of today, and the next
    `upcoming` after today."""
    now = now or timezone.now()
    edge = end_of_today(now)
    qs = my_open_tasks(user=user)
    return {
        "overdue": list(qs.filter(due_at__lt=now)),
        "today": list(qs.filter(due_at__gte=now, due_at__lt=edge)),
        "upcoming": list(qs.filter(due_at__gte=edge)[:upcoming]),
    }


def due_by_tonight(*, user, now=None) -> int:
    """The menu badge: open tasks overdue or due before the day ends."""
    now = now or timezone.now()
    return my_open_tasks(user=user).filter(due_at__lt=end_of_today(now)).count()


def recently_closed(*, user, limit: int = 10) -> list[FollowUpTask]:
    return list(
        FollowUpTask.objects.visible_to(user)
        .filter(assignee=user)
        .exclude(status=TaskStatus.OPEN)
        .select_related("party")
        .order_by("-closed_at", "-id")[:limit]
    )
