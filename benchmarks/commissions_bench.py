"""Benchmark: file-based commission runs against the polars I/O floor and a naive script.

    python benchmarks/commissions_bench.py --members 1000000 --orders 5000000 [--naive]
    python benchmarks/commissions_bench.py --members 10000000 --orders 50000000 --pairs 1
    python benchmarks/commissions_bench.py --chain 100000

Data from benchmarks/network_data.py (generated once per size into var/bench/). Each run
is its own process, timed from start to exit with its peak memory:
1. `guanxi commissions run --plan standard.toml ...` (all three components) and
   benchmarks/commission_floor.py (polars reads both CSVs, totals the orders per member,
   writes a CSV of the same size), alternately, `--pairs` times; medians and their ratio;
2. with --database (PostgreSQL when DATABASE_URL is set, else a SQLite file), a fresh
   database: `guanxi network import` of the same files, then `guanxi commissions run
   --plan ... --period ...` on it (results stored), timed;
3. with --naive, the member-by-member Decimal implementation (`engine.reference`, the
   way open-source MLM scripts walk downlines and uplines) reading and writing with the
   csv module, and its time against ours; the two results must agree to the cent.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import network_data  # noqa: E402

PLAN = ROOT / "src/guanxi/network/plans/standard.toml"
GUANXI = str(Path(sys.executable).with_name("guanxi"))
ENV = {**os.environ, "GUANXI_INSECURE_DEV_KEY": "1"}


def run(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of a command run to its end."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=err)
        out = proc.stdout.read().decode()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out


def ours(data: Path, period: str) -> list[str]:
    return [
        GUANXI,
        "commissions",
        "run",
        "--plan",
        str(PLAN),
        "--period",
        period,
        "--distributors",
        str(data / "D.csv"),
        "--orders",
        str(data / "O.csv"),
        "--out",
        str(data / "RESULTS.csv"),
    ]


def floor(data: Path) -> list[str]:
    return [
        sys.executable,
        str(HERE / "commission_floor.py"),
        str(data / "D.csv"),
        str(data / "O.csv"),
        str(data / "FLOOR.csv"),
    ]


def naive(data: Path, period: str) -> dict:
    """The member-by-member implementation, in this process: csv in, Decimal, csv out."""
    from guanxi.network.engine import reference
    from guanxi.network.engine.files import RESULT_COLUMNS
    from guanxi.network.whatif import load_plan

    started = time.perf_counter()
    plan = load_plan(PLAN)
    index, parent, sponsors = {}, [], []
    with open(data / "D.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            index[row["member_id"]] = len(sponsors)
            sponsors.append(row["sponsor_id"])
    parent = [index[s] if s else -1 for s in sponsors]
    n = len(parent)
    pv, bv, amount = [0] * n, [0] * n, [0] * n
    with open(data / "O.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["date"][:7] == period:
                i = index[row["member_id"]]
                pv[i] += round(Decimal(row["pv"]) * 100)
                bv[i] += round(Decimal(row["bv"]) * 100)
                amount[i] += round(Decimal(row["amount"]) * 100)
    rows = reference.compute(plan, parent, pv, bv, amount)
    ids = list(index)
    with open(data / "NAIVE.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(RESULT_COLUMNS)
        for member_id, r in zip(ids, rows, strict=True):
            writer.writerow(
                [member_id, f"{r['personal_pv']:.2f}", f"{r['group_pv']:.2f}", r["rate"]]
                + [f"{r[c]:.2f}" for c in RESULT_COLUMNS[4:]]
            )
    return {"seconds": round(time.perf_counter() - started, 2)}


def database_run(data: Path, period: str) -> dict:
    """Load the files into a fresh database, then run the period on it."""
    from dedup_bench import Database

    global ENV
    db = Database(os.environ.get("DATABASE_URL", ""), data)
    saved, ENV = ENV, db.env
    try:
        load_s, load_mb, _out = run(
            [GUANXI, "network", "import", "--distributors", str(data / "D.csv"),
             "--orders", str(data / "O.csv")]
        )  # fmt: skip
        run_s, run_mb, out = run(
            [GUANXI, "commissions", "run", "--plan", str(PLAN), "--period", period]
        )  # fmt: skip
    finally:
        ENV = saved
        db.drop()
    return {
        "engine": "postgresql" if db.admin else "sqlite",
        "import_s": round(load_s, 1),
        "import_peak_mb": round(load_mb),
        "run_s": round(run_s, 2),
        "run_peak_mb": round(run_mb),
        "run": json.loads(out),
    }


def same_results(a: Path, b: Path) -> bool:
    """RESULTS.csv files equal as numbers (a rate may print as 0.1 or 0.10)."""
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        for x, y in zip(csv.reader(fa), csv.reader(fb), strict=True):
            if x[0] == "member_id":
                continue
            if x[0] != y[0] or any(
                Decimal(p) != Decimal(q) for p, q in zip(x[1:], y[1:], strict=True)
            ):
                return False
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=0, help="default: 5 per member")
    parser.add_argument("--chain", type=int, default=0, help="one N-deep chain instead")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--naive", action="store_true", help="also run the naive script")
    parser.add_argument("--database", action="store_true", help="also load and run on a database")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    orders = args.orders or args.members * 5
    name = f"chain{args.chain}" if args.chain else f"net{args.members}_{orders}"
    data = args.data / name
    report: dict = {"data": name}
    if not (data / "O.csv").exists():
        started = time.perf_counter()
        shape = network_data.generate(
            data, members=args.members, orders=orders, chain=args.chain, period=args.period
        )
        report["generated"] = {**shape, "seconds": round(time.perf_counter() - started, 1)}
        print("generated", json.dumps(report["generated"]), flush=True)
    run(ours(data, args.period))  # numba's compiled code lands in its cache once
    ours_s, floor_s, peaks = [], [], []
    for _ in range(args.pairs):
        seconds, peak, out = run(ours(data, args.period))
        ours_s.append(seconds)
        peaks.append(peak)
        floor_s.append(run(floor(data))[0])
    report["ours"] = {
        "median_s": round(statistics.median(ours_s), 2),
        "runs_s": [round(s, 2) for s in ours_s],
        "peak_mb": round(max(peaks)),
        "summary": json.loads(out),
    }
    report["floor"] = {
        "median_s": round(statistics.median(floor_s), 2),
        "runs_s": [round(s, 2) for s in floor_s],
    }
    report["ratio_to_floor"] = round(report["ours"]["median_s"] / report["floor"]["median_s"], 2)
    print("ours", json.dumps(report["ours"]), flush=True)
    print("floor", json.dumps(report["floor"]), "ratio", report["ratio_to_floor"], flush=True)
    if args.database:
        report["database"] = database_run(data, args.period)
        print("database", json.dumps(report["database"]), flush=True)
    if args.naive:
        report["naive"] = naive(data, args.period)
        report["naive"]["agrees"] = same_results(data / "RESULTS.csv", data / "NAIVE.csv")
        report["naive"]["ratio_to_ours"] = round(
            report["naive"]["seconds"] / report["ours"]["median_s"], 1
        )
        print("naive", json.dumps(report["naive"]), flush=True)
    print("RESULT", json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
