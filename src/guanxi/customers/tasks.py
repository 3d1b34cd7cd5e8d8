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
