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
