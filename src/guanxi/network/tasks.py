"""Background jobs of the network (run by `guanxi worker`)."""

from django_tasks import task


@task()
def team_stats_task() -> int:
    from guanxi.network.services.genealogy import team_stats_refresh

    return team_stats_refresh()
