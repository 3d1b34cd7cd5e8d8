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


def main(args: list[str]) -> int:
    from guanxi.network.management.commands.commissions import Command

    parser = argparse.ArgumentParser(prog="guanxi commissions")
    Command().add_arguments(parser)
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
