"""Background jobs users can watch: create a Job row, enqueue the task, report progress."""

from django.db import transaction
from django.utils import timezone

from guanxi.core.choices import JobStatus
from guanxi.core.models import Job


def job_start(*, kind: str, title: str, created_by, task, **task_kwargs) -> Job:
    """Create the job row and enqueue `task(job_id=..., **task_kwargs)` after commit."""
    job = Job.objects.create(kind=kind, title=title, created_by=created_by)

    def enqueue():
        result = task.enqueue(job_id=job.pk, **task_kwargs)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def job_running(job_id: int, *, total: int) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, total=total, started_at=timezone.now()
    )


def job_progress_total(job_id: int, *, done: int, total: int) -> None:
    Job.objects.filter(pk=job_id).update(progress=done, total=total)


def job_succeeded(job_id: int, *, result: dict) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.SUCCEEDED, result=result, finished_at=timezone.now()
    )


def job_failed(job_id: int, *, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=error[:5000], finished_at=timezone.now()
    )
