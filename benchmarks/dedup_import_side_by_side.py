"""Benchmark: the import of two versions of the code at the same time, on the same file.

    git archive 8885e00 src | tar -x -C /tmp/old
    python benchmarks/dedup_import_side_by_side.py --rows 200000 --old-src /tmp/old/src
    DATABASE_URL=postgres://... python benchmarks/dedup_import_side_by_side.py --rows 1000000 \\
        --old-src /tmp/old/src

Both `guanxi customers import FILE --source bench --outcome OUT.csv` runs start together,
each on its own fresh database (an SQLite file, or a new PostgreSQL database beside the
one DATABASE_URL names), so both see the same machine: on a shared machine that is the
only fair comparison on a busy machine. `--one-at-a-time` runs them one after the other
instead (old first), each with the whole machine: the figure the issue's target is about.
Per run: wall time, rows/s, CPU seconds (the command and its
reading process), peak memory, load average at start and end, and the pairwise
precision and recall of its matches against the ground truth of benchmarks/dedup_data.py.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup_bench  # noqa: E402
import dedup_data  # noqa: E402

HERE_SRC = str(Path(__file__).resolve().parent.parent / "src")


def one(label: str, src: str, data: Path, rows: int, truth: set, workdir: Path) -> dict:
    db = dedup_bench.Database(os.environ.get("DATABASE_URL", ""), workdir)
    env = {**db.env, "PYTHONPATH": src}
    outcome = workdir / f"outcome-{label}.csv"
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    cmd = [dedup_bench.GUANXI, "customers", "import", str(data), "--source", "bench"]
    proc = subprocess.Popen(
        [*cmd, "--outcome", str(outcome)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    summary = proc.stdout.read().decode().strip().splitlines()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    try:
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{label} failed: {summary}")
        quality = dedup_bench.metrics(dedup_bench.import_pairs(outcome), truth)
    finally:
        db.drop()
    return {
        "code": label,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        **quality,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--old-src", required=True, help="the src folder of the old code")
    parser.add_argument("--one-at-a-time", action="store_true", help="old, then new")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="guanxi-import-side-"))
    data = workdir / "customers.csv"
    dedup_data.write_csv(data, args.rows, seed=args.seed)
    truth = dedup_data.true_pairs(data)
    results: dict[str, dict] = {}

    def run(label: str, src: str) -> None:
        results[label] = one(label, src, data, args.rows, truth, workdir)

    threads = [
        threading.Thread(target=run, args=("old", args.old_src)),
        threading.Thread(target=run, args=("new", HERE_SRC)),
    ]
    for thread in threads:
        thread.start()
        if args.one_at_a_time:
            thread.join()
    for thread in threads:
        thread.join()
    old, new = results["old"], results["new"]
    print(json.dumps(results, indent=2))
    print(
        f"ratio (old / new): wall {old['seconds'] / new['seconds']:.2f}x, "
        f"CPU {old['cpu_s'] / new['cpu_s']:.2f}x"
    )


if __name__ == "__main__":
    main()
