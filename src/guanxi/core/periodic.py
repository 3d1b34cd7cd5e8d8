"""Recurring jobs (payment reminders, auto-reorders, points expiry, and later claim
recycling) on top of the task queue, with no scheduler of our own.

An app registers a function with `register(name, func, every=...)`. `guanxi worker`
calls `ensure_scheduled()` when it starts: every registered job without a pending run
in the queue gets one; each run enqueues the next one `every` later (the queue's own
`run_after`). `guanxi periodic` runs them all once, for cron-driven set-ups and tests.
Every job must be safe to run twice.
"""

import datetime
import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)
_jobs: dict[str, tuple[Callable[[], int], datetime.timedelta]] = {}


def register(name: str, func: Callable[[], int], *, every: datetime.timedelta) -> None:
    _jobs[name] = (func, every)


def registered() -> dict[str, datetime.timedelta]:
    return {name: every for name, (_func, every) in _jobs.items()}


def run(name: str) -> int:
    func, _every = _jobs[name]
    result = func()
    log.info("periodic %s: %s", name, result)
    return result


@task()
def periodic_task(*, name: str) -> int:
    if name not in _jobs:
        return 0
    try:
        return run(name)
    finally:
        if not _queued(name):  # two chains (two workers started at once) become one
            every = _jobs[name][1]
            periodic_task.using(run_after=timezone.now() + every).enqueue(name=name)


def _queued(name: str) -> bool:
    """Whether a later run of `name` is queued already (database backend)."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=periodic_task.module_path,
        args_kwargs__kwargs__name=name,
    ).exists()


def ensure_scheduled() -> list[str]:
    """Queue a first run of every job that has none queued or running (database backend
    only). Two workers starting at the same instant may both queue one; every job is
    safe to run twice, and the next run folds the two chains into one."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        task_path=periodic_task.module_path,
    ).values_list("args_kwargs", flat=True)
    queued = {row.get("kwargs", {}).get("name") for row in pending}
    started = [name for name in _jobs if name not in queued]
    for name in started:
        periodic_task.enqueue(name=name)
    return started
