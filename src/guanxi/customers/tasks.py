"""Background jobs of the customers app (run by `guanxi worker`)."""

from django.core.exceptions import ValidationError
from django_tasks import task

from guanxi.core.models import User
from guanxi.core.services import jobs
from guanxi.customers.services import parties_transfer


@task()
def transfer_parties_task(
    *,
    job_id: int,
    actor_id: int,
    from_user_id: int,
    to_user_id: int,
    party_ids: list[int] | None = None,
) -> int:
    users = User.objects.select_related("org_unit").in_bulk([actor_id, from_user_id, to_user_id])
    jobs.job_running(job_id, total=0)
    try:
        moved = parties_transfer(
            actor=users[actor_id],
            from_user=users[from_user_id],
            to_user=users[to_user_id],
            party_ids=party_ids,
            progress=lambda done, total: jobs.job_progress_total(job_id, done=done, total=total),
        )
    except ValidationError as exc:  # a user error: say it plainly, do not crash the worker
        jobs.job_failed(job_id, error=" ".join(exc.messages))
        return 0
    except Exception as exc:
        jobs.job_failed(job_id, error=str(exc))
        raise
    jobs.job_succeeded(job_id, result={"moved": moved})
    return moved


@task()
def import_task(*, job_id: int, batch_id: int, actor_id: int | None) -> dict:
    """Run an uploaded import; its progress is on the batch row the page polls."""
    from guanxi.customers.imports.reader import FileProblem
    from guanxi.customers.models import ImportBatch
    from guanxi.customers.services.imports import import_run_reported

    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first()
    jobs.job_running(job_id, total=0)
    try:  # the run marks the batch failed itself; the job says why
        summary = import_run_reported(actor=actor, batch=batch)
    except FileProblem as exc:
        jobs.job_failed(job_id, error=str(exc))
        return {}
    except Exception as exc:
        jobs.job_failed(job_id, error=str(exc))
        raise
    result = summary.as_dict()
    jobs.job_succeeded(job_id, result=result)
    return result


@task()
def dedup_task(*, job_id: int) -> dict:
    """The duplicate scan over the whole database, from the review queue page."""
    from guanxi.customers.services.dedup import dedup_scan

    jobs.job_running(job_id, total=0)
    try:
        result = dedup_scan()
    except Exception as exc:
        jobs.job_failed(job_id, error=str(exc))
        raise
    jobs.job_succeeded(job_id, result=result)
    return result
