"""Background jobs of commerce; the recurring ones are registered with core.periodic."""

import datetime

from django_tasks import task

from guanxi.core import periodic


def _reminders() -> int:
    from guanxi.commerce.services.notices import payment_reminders_send

    return payment_reminders_send()


def _reorders() -> int:
    from guanxi.commerce.services.subscriptions import subscriptions_run

    return subscriptions_run()


def _expiry() -> int:
    from guanxi.commerce.services.points import points_expire

    return points_expire()


periodic.register("payment_reminders", _reminders, every=datetime.timedelta(hours=1))
periodic.register("auto_reorders", _reorders, every=datetime.timedelta(hours=1))
periodic.register("points_expiry", _expiry, every=datetime.timedelta(hours=6))


@task()
def announcement_send_task(*, announcement_id: int) -> int:
    from guanxi.commerce.services.notices import announcement_send

    return announcement_send(announcement_id=announcement_id)
