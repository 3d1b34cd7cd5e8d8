"""Benchmark: search, 360 and list pages over a large customer database, through the full
Django stack (middleware, URL routing, visibility, templates), plus the seed time.

    python benchmarks/customers_bench.py --parties 1000000 --interactions 5000000
    DATABASE_URL=postgres://... python benchmarks/customers_bench.py ...

Each run uses a fresh database (a temporary SQLite file, or a new database next to the
one DATABASE_URL names) and prints p50/p95/max per scenario against the issue's targets.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from urllib.parse import urlparse, urlunparse

TARGETS_MS = {
    "search by mobile": 20,
    "search by pinyin prefix": 50,
    "search by 2-character name": 50,
    "customer 360 first page": 100,
    "filtered list first page": 100,
}


def fresh_database() -> tuple[str | None, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        folder = tempfile.mkdtemp(prefix="guanxi-bench-")
        os.environ["GUANXI_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        return None, lambda: None
    import psycopg

    parsed = urlparse(url)
    name = f"guanxi_bench_{uuid.uuid4().hex[:8]}"
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return name, drop


def timed(client, urls: list[str]) -> list[float]:
    samples = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    os.environ.setdefault("GUANXI_INSECURE_DEV_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanxi.settings"
    os.environ["GUANXI_LOGIN_FAILURE_LIMIT"] = "1000"
    os.environ["GUANXI_SECURE_COOKIES"] = "0"
    _name, drop = fresh_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from guanxi.core.choices import Role
    from guanxi.core.models import User
    from guanxi.customers.models import ContactPoint, Party

    try:
        from django.conf import settings

        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed_out = io.StringIO()
        call_command(
            "seed", customers=args.parties, interactions=args.interactions, stdout=seed_out
        )
        seed_s = time.perf_counter() - started
        seed_line = seed_out.getvalue().strip().splitlines()[-1]

        admin = User.objects.create(username="bench-admin", role=Role.ADMIN, is_superuser=True)
        seeded_rep = User.objects.filter(username="seedrep0").select_related("org_unit").get()
        manager = User.objects.create(
            username="bench-manager", role=Role.MANAGER, org_unit=seeded_rep.org_unit.parent
        )
        rng = random.Random(5)
        max_id = Party.objects.order_by("-id").values_list("id", flat=True).first()
        min_id = Party.objects.order_by("id").values_list("id", flat=True).first()

        def sample_ids(n):
            return [rng.randint(min_id, max_id) for _ in range(n)]

        n = args.requests
        mobiles = dict(
            ContactPoint.objects.filter(party_id__in=sample_ids(n), kind="mobile").values_list(
                "party_id", "value"
            )
        )
        parties = list(
            Party.objects.filter(pk__in=sample_ids(n)).values("pk", "name", "name_pinyin")
        )
        two_char = [p["name"] for p in parties if len(p["name"]) == 2] or ["张伟"]
        stages = ["suspect", "prospect", "customer", "repeat_customer", "loyal", "lapsed"]
        sources = ["direct_response_ad", "purchased_list", "partner", "web_form", "walk_in"]
        scenarios = {
            "search by mobile": (admin, [f"/customers/?q={m[3:]}" for m in mobiles.values()]),
            "search by pinyin prefix": (
                admin,
                [f"/customers/?q={p['name_pinyin'][: rng.randint(3, 8)]}" for p in parties],
            ),
            "search by 2-character name": (
                admin,
                [f"/customers/?q={rng.choice(two_char)}" for _ in range(n)],
            ),
            "customer 360 first page": (admin, [f"/customers/{p['pk']}/" for p in parties]),
            "filtered list first page": (
                manager,
                [
                    f"/customers/?lifecycle_stage={rng.choice(stages)}&source={rng.choice(sources)}"
                    for _ in range(n)
                ],
            ),
        }
        print(
            f"# {connection.vendor}: {args.parties:,} parties, {args.interactions:,} "
            f"interactions; seed {seed_s:.1f}s; {n} requests per scenario"
        )
        print(f"{'scenario':<30}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target':>9}  ok")
        failures = 0
        for label, (user, urls) in scenarios.items():
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            timed(client, urls[:5])  # warm caches and connections
            samples = timed(client, (urls * (n // max(1, len(urls)) + 1))[:n])
            p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]
            ok = p95 <= TARGETS_MS[label]
            failures += not ok
            print(
                f"{label:<30}{statistics.median(samples):>9.1f}{p95:>9.1f}"
                f"{max(samples):>9.1f}{TARGETS_MS[label]:>9}  {'yes' if ok else 'NO'}"
            )
        print(f"guanxi seed: {seed_line} (target: 1,000,000 parties in 300s)")
    finally:
        if not args.keep:
            drop()
    sys.exit(0)


if __name__ == "__main__":
    main()
