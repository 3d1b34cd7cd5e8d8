"""`guanxi commissions run|compare`: commission runs and what-if plan comparisons."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guanxi.network.engine.errors import InputError


class Command(BaseCommand):
    help = "Compute commissions for a period; compare two plans on the same volume."
    requires_system_checks = []  # file runs need no database or URLs; checks cost 0.6 s

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="compute a period's commissions from files")
        compare = sub.add_parser("compare", help="how a plan change moves payouts (what-if)")
        for p in (run, compare):
            p.add_argument("--plan", required=True, metavar="PLAN.toml")
            p.add_argument("--period", required=True, metavar="YYYY-MM")
            p.add_argument("--distributors", required=True, metavar="D.csv")
            p.add_argument("--orders", required=True, metavar="O.csv")
        run.add_argument("--out", required=True, metavar="RESULTS.csv")
        compare.add_argument("--against", required=True, metavar="NEW_PLAN.toml")
        compare.add_argument(
            "--out", metavar="CHANGES.csv", help="per member: bv, total before and after, change"
        )

    def handle(self, *args, **options):
        from guanxi.network import whatif

        try:
            if options["action"] == "run":
                result = whatif.run_files(
                    plan=whatif.load_plan(options["plan"]),
                    period=options["period"],
                    distributors=options["distributors"],
                    orders=options["orders"],
                    out=options["out"],
                )
                report = {
                    **result.summary(),
                    "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
                }
            else:
                report = whatif.compare_files(
                    before=whatif.load_plan(options["plan"]),
                    after=whatif.load_plan(options["against"]),
                    period=options["period"],
                    distributors=options["distributors"],
                    orders=options["orders"],
                    out=options["out"],
                )
        except InputError as exc:
            raise CommandError(exc.translated(_)) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
