"""Background jobs of the network (run by `guanxi worker`)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks import task

from guanxi.core.services import jobs


@task()
def team_stats_task() -> int:
    from guanxi.network.services.genealogy import team_stats_refresh

    return team_stats_refresh()


@task()
def commission_run_task(*, job_id: int, actor_id: int, plan_version_id: int, period: str) -> int:
    from guanxi.core.models import User
    from guanxi.network.models import PlanVersion
    from guanxi.network.services.runs import commission_run

    jobs.job_running(job_id, total=0)
    try:
        run = commission_run(
            actor=User.objects.get(pk=actor_id),
            plan_version=PlanVersion.objects.get(pk=plan_version_id),
            period=period,
        )
    except ValidationError as exc:  # a closed period, say: tell the user, keep the worker
        jobs.job_failed(job_id, error=" ".join(exc.messages))
        return 0
    except Exception as exc:
        jobs.job_failed(job_id, error=str(exc))
        raise
    jobs.job_succeeded(job_id, result={"run": run.pk, "url": reverse("network:run", args=[run.pk])})
    return run.pk


@task()
def health_report_task(*, period: str) -> str:
    from guanxi.network.health import report_refresh

    return str(report_refresh(period).computed_at)
