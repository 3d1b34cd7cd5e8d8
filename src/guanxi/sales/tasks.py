"""Recurring jobs of sales: recycling lapsed claims back to the public pool; lead
scoring (daily retraining and rescoring, and a new lead scored on arrival)."""

import datetime

from django_tasks import task

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


def _lead_scoring() -> int:
    from guanxi.sales.services.scoring import scoring_refresh

    return scoring_refresh()


periodic.register("lead_scoring", _lead_scoring, every=datetime.timedelta(days=1))


@task()
def lead_score_task(*, lead_id: int) -> int:
    """Score one new lead (queued by lead_capture when a model exists)."""
    from guanxi.sales.models import Lead
    from guanxi.sales.services.scoring import leads_score

    return leads_score(leads=Lead.objects.filter(pk=lead_id))
