"""What-if runs from files (`guanxi commissions run|compare --distributors ... --orders
...`) without starting Django: they touch no database, and Django's start-up would cost
a third of the time polars needs to read a million members. Django starts only to
translate an error message."""

import argparse
import json
import os
import sys

from guanxi.network.engine.errors import InputError, gettext_noop

FILE_ACTIONS = ("run", "compare")


def is_file_run(args: list[str]) -> bool:
    """`commissions run|compare` with both files given (and no --help)."""
    return (
        len(args) > 1
        and args[0] == "commissions"
        and args[1] in FILE_ACTIONS
        and "--distributors" in args
        and "--orders" in args
        and not {"-h", "--help"} & set(args)
    )


def file_report(options: dict) -> dict:
    """The JSON report of a file run or comparison; InputError on bad input."""
    from guanxi.network import whatif

    plan = whatif.load_plan(options["plan"])
    files = {
        "period": options["period"],
        "distributors": options["distributors"],
        "orders": options["orders"],
        "out": options["out"],
    }
    if options["action"] == "compare":
        return whatif.compare_files(
            before=plan, after=whatif.load_plan(options["against"]), **files
        )
    if not options["out"]:
        raise InputError(gettext_noop("A run from files needs --out RESULTS.csv."))
    result = whatif.run_files(plan=plan, **files)
    return {**result.summary(), "seconds": {k: round(v, 3) for k, v in result.seconds.items()}}


def add_arguments(parser) -> None:
    """The arguments of `guanxi commissions` (the management command uses them too)."""
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser(
        "run", help="compute a period: from files (what-if) or on the database (preview)"
    )
    compare = sub.add_parser("compare", help="how a plan change moves payouts (what-if)")
    for p in (run, compare):
        p.add_argument("--plan", required=True, metavar="PLAN.toml")
        p.add_argument("--period", required=True, metavar="YYYY-MM")
        p.add_argument("--distributors", metavar="D.csv")
        p.add_argument("--orders", metavar="O.csv")
    run.add_argument("--out", metavar="RESULTS.csv", help="write the results (file runs)")
    run.add_argument(
        "--profile", choices=["", "CN"], default=None, help="store the plan with this profile"
    )
    compare.add_argument("--against", required=True, metavar="NEW_PLAN.toml")
    compare.add_argument(
        "--out", metavar="CHANGES.csv", help="per member: bv, total before and after, change"
    )
    commit = sub.add_parser("commit", help="commit a preview run; the period closes")
    commit.add_argument("--period", required=True, metavar="YYYY-MM")
    commit.add_argument("--run", type=int, help="run number (default: the latest preview)")
    check = sub.add_parser("check", help="check a plan (and the data) against a profile")
    check.add_argument("--plan", required=True, metavar="PLAN.toml")
    check.add_argument("--profile", required=True, choices=["CN"])
    check.add_argument(
        "--no-data", action="store_true", help="check the plan only, not the database"
    )


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="guanxi commissions")
    add_arguments(parser)
    options = vars(parser.parse_args(args[1:]))
    try:
        report = file_report(options)
    except (InputError, OSError) as exc:
        sys.stderr.write(f"CommandError: {_translated(exc)}\n")
        return 1
    sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


def _translated(exc: Exception) -> str:
    if not isinstance(exc, InputError):
        return str(exc)
    import django
    from django.conf import settings
    from django.utils import translation

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")
    django.setup()
    translation.activate(settings.LANGUAGE_CODE)
    return exc.translated(translation.gettext)
