"""`guanxi periodic [NAME ...]`: run the recurring jobs once (for cron, or to catch up)."""

from django.core.management.base import BaseCommand, CommandError

from guanxi.core import periodic


class Command(BaseCommand):
    help = "Run recurring jobs once: payment reminders, auto-reorders, points expiry, …"

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="jobs to run (default: all)")
        parser.add_argument("--list", action="store_true", help="list the jobs and exit")

    def handle(self, *args, names=(), list=False, **options):
        jobs = periodic.registered()
        if list:
            for name, every in jobs.items():
                self.stdout.write(f"{name}\tevery {every}")
            return
        unknown = [n for n in names if n not in jobs]
        if unknown:
            raise CommandError(f"unknown job(s): {', '.join(unknown)}; see --list")
        for name in names or jobs:
            self.stdout.write(f"{name}: {periodic.run(name)}")
