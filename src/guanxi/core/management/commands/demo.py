"""`guanxi demo [--serve]`: migrate, load Chinese demo data once, print logins, run."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from guanxi.customers.demo import DEMO_PASSWORD, DEMO_USERS, demo_exists, load_demo


class Command(BaseCommand):
    help = "Set up the database with demo data; with --serve also start web and worker."

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="start server and worker")
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--customers", type=int, default=240)

    def handle(self, *args, serve=False, addr="127.0.0.1:8000", customers=240, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("Demo data already loaded.")
        else:
            result = load_demo(customers=customers)
            self.stdout.write(f"Loaded {result['customers']} demo customers.")
            counts = result["import"]
            self.stdout.write(
                f"Imported a purchased list as marketer: {counts['created']} new, "
                f"{counts['matched']} matched, {counts['review']} to review, "
                f"{counts['error']} bad rows (file: {settings.DATA_DIR / 'demo'})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nGuanxi is at http://{addr}/  — demo logins (password for all: {DEMO_PASSWORD}):"
            )
        )
        for username, display, role, unit in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {display}  ({role}, {unit})")
        self.stdout.write(f"  {'ibo':<10} a distributor: member centre, back office, training")
        self.stdout.write(f"\nMember centre (consumers and IBOs): http://{addr}/portal/")
        self.stdout.write(
            "  13800138000  林小雨, a consumer with orders, points and an auto-reorder"
        )
        if serve:
            self._serve(addr)

    def _serve(self, addr: str) -> None:
        guanxi = [sys.executable, "-m", "guanxi.cli"]
        env = dict(os.environ)
        worker = subprocess.Popen([*guanxi, "worker"], env=env)  # noqa: S603
        try:
            subprocess.call([*guanxi, "runserver", addr, "--noreload"], env=env)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=20)
