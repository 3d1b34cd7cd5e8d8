"""`guanxi post_volume --period YYYY-MM`: post a month's settled orders the volume ledger
lacks (a catch-up; payments post their own orders as they happen)."""

import time

from django.core.management.base import BaseCommand, CommandError

from guanxi.commerce.services.volume_batch import volume_post_period
from guanxi.network.engine.errors import InputError


class Command(BaseCommand):
    help = "Post every settled order of a month that the volume ledger lacks."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM")

    def handle(self, *args, period: str, **options):
        started = time.perf_counter()
        try:
            counts = volume_post_period(
                period=period, progress=lambda n: self.stderr.write(f"{n:,} orders read")
            )
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        took = time.perf_counter() - started
        self.stdout.write(
            f"{period}: {counts['orders']:,} orders read, {counts['posted']:,} posted "
            f"in {took:.1f} s"
        )
