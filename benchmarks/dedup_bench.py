"""Benchmark: import with matching, the duplicate scan, and splink on the same data.

    python benchmarks/dedup_bench.py --rows 100000 [--splink]
    DATABASE_URL=postgres://... python benchmarks/dedup_bench.py --rows 1000000 --splink

Synthetic Chinese customers with planted duplicates and ground truth come from
benchmarks/dedup_data.py. On a fresh database (SQLite file, or a new PostgreSQL
database next to the one DATABASE_URL names) it runs, each as its own process so that
time and peak memory are the command's own:

1. `guanxi customers import FILE --outcome OUT.csv`: rows/s, and the pairwise precision
   and recall of the matches it made (rows sent to the same customer);
2. on a second fresh database, `guanxi customers import FILE --no-match` (a plain load)
   and then `guanxi customers dedup --report FILE.csv`: seconds, precision, recall;
3. with --splink, splink (DuckDB) on the same file: seconds, precision, recall.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup_data  # noqa: E402

GUANXI = str(Path(sys.executable).with_name("guanxi"))


class Database:
    """A fresh database for one phase; `env` is what the child processes get."""

    def __init__(self, base_url: str, workdir: Path):
        self.base_url = base_url
        self.name = f"guanxi_bench_{uuid.uuid4().hex[:8]}"
        if base_url.startswith("postgres"):
            import psycopg

            parsed = urlparse(base_url)
            self.admin = urlunparse(parsed._replace(path="/postgres"))
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlunparse(parsed._replace(path=f"/{self.name}"))
        else:
            self.admin = None
            self.url = f"sqlite:///{workdir / (self.name + '.sqlite3')}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "GUANXI_DATA_DIR": str(workdir),
            "GUANXI_INSECURE_DEV_KEY": "1",
        }
        run([GUANXI, "migrate", "-v0"], self.env)

    def drop(self) -> None:
        if self.admin:
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak memory in MB, stdout)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out}")
    return seconds, usage.ru_maxrss / 1024, out


def pairs_of(groups: dict) -> set[tuple[str, str]]:
    pairs = set()
    for members in groups.values():
        members = sorted(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs


def metrics(predicted: set, truth: set) -> dict:
    hits = len(predicted & truth)
    return {
        "precision": round(hits / len(predicted), 4) if predicted else 1.0,
        "recall": round(hits / len(truth), 4) if truth else 1.0,
        "pairs": len(predicted),
    }


def import_pairs(outcome_path: Path) -> set:
    groups = defaultdict(list)
    with open(outcome_path, encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["party_id"]:
                groups[row["party_id"]].append(row["external_id"])
    return pairs_of(groups)


def dedup_pairs(report_path: Path) -> set:
    groups = defaultdict(list)
    with open(report_path, encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            groups[row["cluster_id"]].append(row["external_id"])
    return pairs_of(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--splink", action="store_true", help="also run splink (bench extra)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="guanxi-dedup-bench-"))
    base_url = os.environ.get("DATABASE_URL", "")
    engine = "postgresql" if base_url.startswith("postgres") else "sqlite"
    data = workdir / "customers.csv"
    started = time.perf_counter()
    stats = dedup_data.write_csv(data, args.rows, seed=args.seed)
    gen_s = time.perf_counter() - started
    truth = dedup_data.true_pairs(data)
    print(
        f"data: {args.rows:,} rows, {len(truth):,} true duplicate pairs, generated in "
        f"{gen_s:.1f} s; engine {engine}",
        flush=True,
    )
    results = {"rows": args.rows, "engine": engine, "true_pairs": len(truth), "stats": stats}
    databases = []
    try:
        db = Database(base_url, workdir)
        databases.append(db)
        outcome = workdir / "outcome.csv"
        seconds, peak, _ = run(
            [
                GUANXI,
                "customers",
                "import",
                str(data),
                "--source",
                "bench",
                "--outcome",
                str(outcome),
            ],
            db.env,
        )
        results["import"] = {
            "seconds": round(seconds, 1),
            "rows_per_s": round(args.rows / seconds),
            "peak_mb": round(peak),
            **metrics(import_pairs(outcome), truth),
        }
        print(f"import with matching: {results['import']}", flush=True)

        db2 = Database(base_url, workdir)
        databases.append(db2)
        seconds, peak, _ = run(
            [GUANXI, "customers", "import", str(data), "--source", "bench", "--no-match"],
            db2.env,
        )
        results["load_no_match"] = {"seconds": round(seconds, 1), "peak_mb": round(peak)}
        report = workdir / "dedup.csv"
        seconds, peak, _ = run([GUANXI, "customers", "dedup", "--report", str(report)], db2.env)
        results["dedup"] = {
            "seconds": round(seconds, 1),
            "peak_mb": round(peak),
            **metrics(dedup_pairs(report), truth),
        }
        print(f"guanxi customers dedup: {results['dedup']}", flush=True)
    finally:
        for db in databases:
            db.drop()

    if args.splink:
        from splink_baseline import run_splink

        out = run_splink(str(data))
        results["splink"] = {"seconds": round(out["seconds"], 1), **metrics(out["pairs"], truth)}
        print(f"splink: {results['splink']}", flush=True)
        ours = results["dedup"]
        print(
            "side by side (dedup vs splink): "
            f"precision {ours['precision']} vs {results['splink']['precision']}, "
            f"recall {ours['recall']} vs {results['splink']['recall']}, "
            f"time {ours['seconds']} s vs {results['splink']['seconds']} s "
            f"(ratio {results['splink']['seconds'] / max(ours['seconds'], 0.01):.1f}x)"
        )
    print("RESULT " + json.dumps(results, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
