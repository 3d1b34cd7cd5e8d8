"""Benchmark: the genealogy and statement pages on a network of a million.

    python benchmarks/genealogy_bench.py --members 1000000 [--requests 100]
    DATABASE_URL=postgres://... python benchmarks/genealogy_bench.py --members 1000000

On a fresh database (PostgreSQL when DATABASE_URL is set, else SQLite): `guanxi network
import` of a generated network (benchmarks/network_data.py), a committed commission run,
the team statistics; then, as an administrator through Django's full request stack,
p50/p95 of: a search by member number, a search by name, a distributor page at the top of
a giant leg, the next level of the widest member's tree (the lazy tree's click), a
three-level downline list, and a statement page.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

PLAN = ROOT / "src/guanxi/network/plans/standard.toml"
GUANXI = str(Path(sys.executable).with_name("guanxi"))


def measure(requests: int) -> dict:
    """Runs in a child process whose environment names the benchmark database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")
    django.setup()
    from django.db.models import Count
    from django.test import Client

    from guanxi.core.models import User
    from guanxi.network.models import CommissionRun, Distributor

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password=None
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    run = CommissionRun.objects.get()
    widest = (
        Distributor.objects.values("sponsor")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("sponsor", "n")
        .first()
    )
    wide = Distributor.objects.get(pk=widest[0])
    root = Distributor.objects.filter(sponsor=None).order_by("member_id").first()
    deep = Distributor.objects.select_related("team").order_by("-team__depth").first()
    name = deep.party.name
    scenarios = {
        "search by member number": f"/network/?q={deep.member_id}",
        "search by name": f"/network/?q={name}",
        "distributor page (top of a giant leg)": f"/network/d/{root.member_id}/",
        f"next tree level ({widest[1]} recruits)": f"/network/d/{wide.member_id}/children/",
        "downline, 3 levels": f"/network/d/{deep.sponsor.member_id}/downline/?depth=3",
        "statement page": f"/network/runs/{run.pk}/d/{wide.member_id}/",
        "network health (12 months)": f"/network/health/?period={run.period.period}",
    }
    report = {}
    for label, url in scenarios.items():
        for _ in range(3):  # warm-up
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        report[label] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        }
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print("RESULT", json.dumps(measure(args.requests), ensure_ascii=False))
        return 0
    import network_data
    from dedup_bench import Database, run

    data = args.data / f"net{args.members}_{args.members * 5}"
    if not (data / "O.csv").exists():
        network_data.generate(data, members=args.members, orders=args.members * 5)
    db = Database(os.environ.get("DATABASE_URL", ""), data)
    try:
        steps = {}
        for label, cmd in (
            ("import", [GUANXI, "network", "import", "--distributors", str(data / "D.csv"),
                        "--orders", str(data / "O.csv")]),
            ("run", [GUANXI, "commissions", "run", "--plan", str(PLAN), "--period", args.period]),
            ("commit", [GUANXI, "commissions", "commit", "--period", args.period]),
            ("team statistics", [GUANXI, "shell", "-c",
                                 "from guanxi.network.services.genealogy import team_stats_refresh;"
                                 f"team_stats_refresh(period='{args.period}')"]),
        ):  # fmt: skip
            seconds, _peak, _out = run(cmd, db.env)
            steps[label] = round(seconds, 1)
            print(label, steps[label], "s", flush=True)
        _s, _p, out = run(
            [sys.executable, __file__, "--measure", "--requests", str(args.requests)], db.env
        )
        pages = json.loads(out.split("RESULT", 1)[1])
    finally:
        db.drop()
    engine = "postgresql" if db.admin else "sqlite"
    for label, figures in pages.items():
        print(f"{label}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    print("RESULT", json.dumps({"engine": engine, "members": args.members, "steps": steps,
                                "pages": pages}, ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
