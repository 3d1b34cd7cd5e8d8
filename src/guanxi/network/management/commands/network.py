"""`guanxi network import`: load distributors and their orders into the database."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guanxi.network.engine.errors import InputError


class Command(BaseCommand):
    help = "Load the direct-selling network from files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load D.csv (members) and O.csv (orders)")
        load.add_argument("--distributors", required=True, metavar="D.csv")
        load.add_argument("--orders", metavar="O.csv")

    def handle(self, *args, **options):
        from guanxi.network.services.loading import network_import

        try:
            report = network_import(
                actor=None, distributors=options["distributors"], orders=options["orders"]
            )
        except InputError as exc:
            raise CommandError(exc.translated(_)) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
