"""Recurring jobs of sales: recycling lapsed claims back to the public pool."""

import datetime

from guanxi.core import periodic


def _recycle() -> int:
    from guanxi.sales.services.notices import tell_reps
    from guanxi.sales.services.pool import claims_recycle

    return sum(claims_recycle(notify=tell_reps).values())


periodic.register("pool_recycle", _recycle, every=datetime.timedelta(hours=1))


def _approval_reminders() -> int:
    from guanxi.sales.services.approvals import approval_reminders

    return approval_reminders()


periodic.register("approval_reminders", _approval_reminders, every=datetime.timedelta(hours=1))


def _task_reminders() -> int:
    from guanxi.sales.services.followup import task_reminders

    return task_reminders()


# Every 5 minutes so a reminder goes out close to its lead time before the task is due.
periodic.register("task_reminders", _task_reminders, every=datetime.timedelta(minutes=5))


def _task_digest() -> int:
    from guanxi.sales.services.followup import task_digest

    return task_digest()


periodic.register("task_digest", _task_digest, every=datetime.timedelta(hours=1))
