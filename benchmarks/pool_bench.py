"""Benchmark: the pool recycle job over a million claims (issue 5: ≤ 30 s).

    python benchmarks/pool_bench.py --claims 1000000
    DATABASE_URL=postgres://... python benchmarks/pool_bench.py --claims 1000000

A fresh database (temporary SQLite, or a new PostgreSQL database next to DATABASE_URL's)
is seeded with customers owned by 200 reps and one active claim per customer, claimed
over the last 60 days with follow-ups spread so that about `--lapsed` of them are past a
limit. Then `claims_recycle` runs as the worker runs it; the figures are its wall time,
claims returned per second, and a check that exactly the lapsed claims went back.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from customers_bench import fresh_database  # noqa: E402

TARGET_S = 30
CLAIM_COLUMNS = ["party_id", "user_id", "claimed_at", "protected_until", "last_follow_up_at",
                 "last_progress_at", "end_reason"]  # fmt: skip


def seed_claims(pairs, *, now, lapsed: float = 0.3, seed: int = 5) -> None:
    """One active claim per (party id, owner id), claimed over the last 60 days; a share
    `lapsed` of them last followed up more than the pool's days ago, the rest within it
    (and all within the progress and protection limits)."""
    from guanxi.core.bulk import db_datetime, insert_rows
    from guanxi.sales.models import Claim
    from guanxi.sales.services.pool import pool_policy

    rng = random.Random(seed)
    policy = pool_policy()
    days = policy.follow_up_days
    rows = []
    for party_id, owner_id in pairs:
        claimed = now - datetime.timedelta(days=rng.uniform(0, 60))
        late = rng.random() < lapsed
        quiet = days + rng.uniform(0.1, 5) if late else rng.uniform(0.1, days - 0.1)
        follow = now - datetime.timedelta(days=quiet)
        claimed = min(claimed, follow) if late else claimed
        follow = max(follow, claimed)
        progress = max(claimed, now - datetime.timedelta(days=rng.uniform(0, days - 1)))
        until = claimed + datetime.timedelta(days=policy.protection_days)
        rows.append((party_id, owner_id, db_datetime(claimed), db_datetime(until),
                     db_datetime(follow), db_datetime(progress), ""))  # fmt: skip
        if len(rows) == 100_000:
            insert_rows(Claim._meta.db_table, CLAIM_COLUMNS, rows)
            rows = []
    insert_rows(Claim._meta.db_table, CLAIM_COLUMNS, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--lapsed", type=float, default=0.3, help="share of claims past a limit")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("GUANXI_INSECURE_DEV_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanxi.settings"
    _name, drop = fresh_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from guanxi.customers.models import Party
    from guanxi.sales.models import Claim
    from guanxi.sales.services.pool import claims_recycle, lapsed, pool_policy

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet_out:
            call_command("seed", customers=args.claims, owners=200, stdout=quiet_out)
        now = timezone.now()
        pairs = list(Party.objects.values_list("id", "owner_id"))
        with transaction.atomic():
            seed_claims(pairs, now=now, lapsed=args.lapsed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seeded = time.perf_counter() - started
        policy = pool_policy()
        due = Claim.objects.filter(lapsed(policy, now)).count()
        t0 = time.perf_counter()
        counts = claims_recycle(now=now)
        took = time.perf_counter() - t0
        back = sum(counts.values())
        pooled = Party.objects.filter(owner__isnull=True).count()
        ok = back == due == pooled and not Claim.objects.filter(lapsed(policy, now)).exists()
        print(
            f"engine {connection.vendor}; {args.claims:,} active claims, {due:,} lapsed; "
            f"seeded in {seeded:.1f} s"
        )
        print(
            f"claims_recycle: {took:.1f} s, {back / took:,.0f} claims returned/s, {counts}; "
            f"target ≤ {TARGET_S} s: {'met' if took <= TARGET_S else 'NOT met'}; "
            f"exactly the lapsed ones went back: {'yes' if ok else 'NO'}"
        )
        if not ok:
            raise SystemExit("recycle returned the wrong claims")
    finally:
        if not args.keep:
            drop()


if __name__ == "__main__":
    main()
