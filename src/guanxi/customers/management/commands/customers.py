"""`guanxi customers import|dedup|reindex`: bulk work on the customer database."""

import sys
import time
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from guanxi.customers.imports.reader import FileProblem
from guanxi.customers.matching.store import rebuild_match_keys
from guanxi.customers.services.dedup import dedup_scan
from guanxi.customers.services.imports import import_file


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"--cost must be an amount in CNY, not {text!r}") from exc
    if value < 0 or value >= Decimal("1e10"):
        raise CommandError("--cost must be between 0 and 9,999,999,999.99")
    return value.quantize(Decimal("0.01"))


class Command(BaseCommand):
    help = "Import customer files, find duplicates, rebuild matching keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a CSV or XLSX file of customers")
        imp.add_argument("file")
        imp.add_argument(
            "--source", default="", help="name of the list or channel (default: file name)"
        )
        imp.add_argument("--cost", default="0", help="acquisition cost per new customer, CNY")
        imp.add_argument("--dry-run", action="store_true", help="match and report; write nothing")
        imp.add_argument(
            "--no-match",
            action="store_true",
            help="load every row as a new customer (a migration to deduplicate afterwards)",
        )
        imp.add_argument(
            "--errors", metavar="OUT.csv", help="write bad rows: row_number, column, reason"
        )
        imp.add_argument(
            "--outcome",
            metavar="OUT.csv",
            help="write one row per input row: row_number, external_id, outcome, party_id, score",
        )
        dedup = sub.add_parser("dedup", help="cluster likely duplicates across all customers")
        dedup.add_argument("--report", metavar="FILE.csv", help="write the clusters to a CSV file")
        sub.add_parser("reindex", help="rebuild the fuzzy matching keys of every customer")

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"])(options)

    def _open(self, path):
        return open(path, "w", encoding="utf-8-sig", newline="") if path else None

    def _import(self, options):
        cost = _amount(options["cost"])
        outcome, errors = self._open(options["outcome"]), self._open(options["errors"])
        started = time.perf_counter()
        bar = tqdm(unit=" rows", file=sys.stderr, disable=options["verbosity"] == 0)
        try:
            batch, summary = import_file(
                actor=None,
                path=options["file"],
                source_name=options["source"],
                cost=cost,
                dry_run=options["dry_run"],
                outcome_file=outcome,
                errors_file=errors,
                progress=lambda rows: bar.update(rows - bar.n),
                match=not options["no_match"],
            )
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {options['file']}") from exc
        except FileProblem as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
            for handle in (outcome, errors):
                if handle:
                    handle.close()
        seconds = time.perf_counter() - started
        mode = "dry run, nothing written" if batch.dry_run else "committed"
        rate = summary.rows / max(seconds, 1e-9)
        counts = ", ".join(f"{k} {v}" for k, v in summary.as_dict().items() if k != "rows")
        self.stdout.write(
            f"import #{batch.pk} ({mode}): {summary.rows} rows in {seconds:.1f} s "
            f"({rate:,.0f} rows/s); {counts}"
        )

    def _dedup(self, options):
        report = self._open(options["report"])
        started = time.perf_counter()
        try:
            result = dedup_scan(
                report_file=report,
                progress=lambda stage, n: self.stderr.write(f"{stage}: {n:,}"),
            )
        finally:
            if report:
                report.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result['parties']:,} customers scanned in {seconds:.1f} s: "
            f"{result['clusters']:,} clusters of likely duplicates "
            f"({result['in_clusters']:,} customers)"
        )

    def _reindex(self, options):
        started = time.perf_counter()
        count = rebuild_match_keys()
        seconds = time.perf_counter() - started
        self.stdout.write(f"matching keys rebuilt for {count:,} customers in {seconds:.1f} s")
