"""`guanxi worker` runs jobs queued in the database backend and records their outcome."""

import pytest
from django.core.management import call_command
from django.utils.translation import gettext as _

from guanxi.core.models import Job
from guanxi.core.services.jobs import job_start
from guanxi.customers.models import Party
from guanxi.customers.tasks import transfer_parties_task


def queue_transfer(company, *, to_user, capture) -> Job:
    """Queue the manager's transfer of the rep's customers, as the transfer page does."""
    with capture(execute=True):
        job = job_start(
            kind="customers.transfer",
            title="t",
            created_by=company.manager,
            task=transfer_parties_task,
            actor_id=company.manager.pk,
            from_user_id=company.rep.pk,
            to_user_id=to_user.pk,
        )
    job.refresh_from_db()
    return job


def test_worker_runs_a_queued_transfer(
    company, records, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    job = queue_transfer(
        company, to_user=company.teammate, capture=django_capture_on_commit_callbacks
    )
    assert job.status == "queued" and job.task_result_id
    assert Party.objects.filter(owner=company.rep).exists()

    # The worker closes "old" connections between jobs; inside the test's transaction that
    # would close the test's own connection on PostgreSQL.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("worker", batch=True, interval=0.01)

    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.result == {"moved": 1}
    assert not Party.objects.filter(owner=company.rep).exists()


def test_worker_refuses_a_non_database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(SystemExit):
        call_command("worker", batch=True)


def test_failed_job_records_the_error(company, records, django_capture_on_commit_callbacks):
    # The south rep is outside the east manager's tree: the job fails and says why.
    job = queue_transfer(
        company, to_user=company.far_rep, capture=django_capture_on_commit_callbacks
    )
    assert job.status == "failed"
    assert job.error == str(_("This person is outside your department."))
