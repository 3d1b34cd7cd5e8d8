"""`guanxi worker`: run queued background jobs (wraps the task backend's worker)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs (imports, transfers, commission runs, sends) as they are queued."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, queue_name="default", interval=1.0, batch=False, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend != "django_tasks_db.DatabaseBackend":
            raise SystemExit(
                f"The task backend is {backend}; run that backend's own worker (see docs)."
            )
        from guanxi.core import periodic

        started = periodic.ensure_scheduled()
        if started:
            self.stdout.write("scheduled: " + ", ".join(started))
        call_command(
            "db_worker", queue_name=queue_name, interval=interval, batch=batch, reload=False
        )
