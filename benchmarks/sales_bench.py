"""Benchmark: the sales pages and the pool recycle job of issue 5 over 1,000,000 leads and
200,000 open opportunities (targets: kanban first load ≤ 150 ms p95, funnel and forecast
reports ≤ 1 s, recycling 1,000,000 claims ≤ 30 s).

    python benchmarks/sales_bench.py --leads 1000000 --opportunities 200000
    DATABASE_URL=postgres://... python benchmarks/sales_bench.py --leads 1000000 \\
        --opportunities 200000 --db guanxi_salesbench

Without `--db` each run uses a fresh database (a temporary SQLite file, or a new
PostgreSQL database next to the one DATABASE_URL names) and drops it afterwards. With
`--db NAME` (PostgreSQL) the database is seeded on first use and kept: later runs measure
it again (the recycle job's changes are undone after each run, so every run starts from
the same state).

Data: `--leads` customers (guanxi seed's generator) owned by `--reps` reps in teams of 10,
one lead and one active claim each (pool_bench.py's claims: 30 % past the follow-up
limit); `--opportunities` open deals and as many closed ones (won or lost, with reasons
and competitors) over three pipelines, each with its stage changes (one per stage
reached, one for closing). Pages are timed through the full Django stack with the test
client (as customers_bench.py does) for a rep, a team manager, a director (a manager
over the whole company) and an administrator; then `claims_recycle` runs as the worker
runs it, notices included.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from commerce_bench import fresh_database, load  # noqa: E402

TARGETS_MS = {"board": 150, "reports": 1000, "funnel": 1000, "forecast": 1000}
TARGET_RECYCLE_S = 30
PIPELINES = [  # name, weight, stages (name, probability)
    ("标准销售流程", 0.6, [("初步接洽", 10), ("需求确认", 30), ("方案报价", 60), ("谈判审批", 80)]),
    ("团购", 0.3, [("意向登记", 10), ("样品试用", 25), ("团购报价", 50), ("合同审批", 75),
                   ("待付款", 90)]),
    ("招商加盟", 0.1, [("咨询", 20), ("考察", 50), ("签约", 85)]),
]  # fmt: skip
PROVINCES = ["上海市", "江苏省", "浙江省", "广东省", "北京市", "山东省", "四川省", "湖北省"]
INTERESTS = ["净水器", "灵芝孢子粉", "空气净化器", "蛋白质粉", "护肤套装", ""]
LOST = ["价格太高", "选择了竞品", "预算不足", "暂无需求", "联系不上"]
WON = ["产品效果好", "老客户推荐", "价格合适", ""]
COMPETITORS = ["安利", "完美", "无限极", "如新", "", "", ""]


def _db(name: str | None):
    """(name, drop) of the database to use; with --db the named one, created if needed."""
    if not name:
        return fresh_database()
    import psycopg

    parsed = urlparse(os.environ["DATABASE_URL"])
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
    return name, lambda: None


def _kv(key: str, value: str | None = None) -> str | None:
    """A note kept in the benchmark's database (its seeding time and sizes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_sales (k varchar(40) PRIMARY KEY, v text)")
        if value is not None:
            cursor.execute("DELETE FROM bench_sales WHERE k = %s", [key])
            cursor.execute("INSERT INTO bench_sales (k, v) VALUES (%s, %s)", [key, value])
            return value
        cursor.execute("SELECT v FROM bench_sales WHERE k = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


# Seeding ---------------------------------------------------------------------------------


def seed(args) -> datetime.datetime:
    from django.db import connection, transaction
    from django.utils import timezone

    from guanxi.core.management.commands.seed import _seed_owners
    from guanxi.core.models import User
    from guanxi.customers.sample.bulk import seed_parties
    from pool_bench import seed_claims

    now = timezone.now().replace(microsecond=0)
    steps, t0 = {}, time.perf_counter()
    reps = _seed_owners(args.reps)
    for rep in reps:  # the recycle job's notices go by email
        User.objects.filter(pk=rep.pk).update(email=f"{rep.username}@bench.example.cn")
    owner_ids = [u.pk for u in reps]
    ids = seed_parties(count=args.leads, owner_ids=owner_ids, seed=7)
    owners = [owner_ids[pid % len(owner_ids)] for pid in ids]  # seed_parties' rule
    steps["customers"] = time.perf_counter() - t0
    with transaction.atomic():
        seed_leads(ids, owners, now)
    steps["leads"] = time.perf_counter() - t0 - sum(steps.values())
    with transaction.atomic():
        seed_claims(zip(ids, owners, strict=True), now=now, lapsed=0.3)
    steps["claims"] = time.perf_counter() - t0 - sum(steps.values())
    with transaction.atomic():
        made = seed_opportunities(ids, owners, now, args.opportunities, args.closed)
    steps["opportunities"] = time.perf_counter() - t0 - sum(steps.values())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    steps["analyze"] = time.perf_counter() - t0 - sum(steps.values())
    print(
        f"# seeded {len(ids):,} customers with a lead and a claim each, {made[0]:,} open and "
        f"{made[1]:,} closed opportunities, {made[2]:,} stage changes; "
        + ", ".join(f"{k} {v:.1f}s" for k, v in steps.items()),
        flush=True,
    )
    return now


def seed_leads(ids, owners, now) -> None:
    from guanxi.core.bulk import db_datetime, insert_rows
    from guanxi.sales.choices import LeadSource, LeadStatus

    rng = random.Random(11)
    columns = ["party_id", "source", "response_code", "status", "interest", "province",
               "notes", "created_at", "status_changed_at"]  # fmt: skip
    sources, statuses = list(LeadSource.values), list(LeadStatus.values)
    rows = []
    for pid in ids:
        arrived = now - datetime.timedelta(days=rng.uniform(0, 365))
        status = rng.choices(statuses, weights=[35, 30, 15, 10, 10])[0]
        changed = db_datetime(arrived + datetime.timedelta(days=rng.uniform(0, 5)))
        rows.append((pid, rng.choice(sources), f"DM{rng.randint(1, 40):03d}", status,
                     rng.choice(INTERESTS), rng.choice(PROVINCES), "", db_datetime(arrived),
                     changed if status != LeadStatus.NEW else None))  # fmt: skip
        if len(rows) == 100_000:
            insert_rows("sales_lead", columns, rows)
            rows = []
    insert_rows("sales_lead", columns, rows)


def _pipelines():
    from guanxi.sales.models import Pipeline, Stage

    made = []
    for i, (name, weight, stages) in enumerate(PIPELINES):
        pipeline, created = Pipeline.objects.get_or_create(name=name, defaults={"position": i})
        if created or not pipeline.stages.exists():
            for j, (stage, probability) in enumerate(stages):
                Stage.objects.create(
                    pipeline=pipeline, name=stage, position=j, probability=probability
                )
        made.append((pipeline, weight, list(pipeline.stages.order_by("position"))))
    return made


def seed_opportunities(ids, owners, now, open_count: int, closed_count: int):
    """Open and closed deals on distinct customers, owned by the customer's owner, with
    one stage change per stage reached (and one for closing)."""
    from guanxi.core.bulk import db_datetime, insert_rows, next_id, reset_sequence

    rng = random.Random(13)
    pipelines = _pipelines()
    weights = [w for _p, w, _s in pipelines]
    total = min(len(ids), open_count + closed_count)
    chosen = rng.sample(range(len(ids)), total)
    first = next_id("sales_opportunity")
    deals, moves = [], []
    columns = ["id", "party_id", "title", "owner_id", "pipeline_id", "stage_id", "state",
               "amount", "discount_pct", "expected_close", "products", "competitors",
               "close_reason", "created_at", "stage_entered_at", "closed_at"]  # fmt: skip
    move_columns = ["opportunity_id", "from_stage_id", "to_stage_id", "state", "at", "actor_id"]
    for n, index in enumerate(chosen):
        pid, owner = ids[index], owners[index]
        pipeline, _w, stages = rng.choices(pipelines, weights=weights)[0]
        is_open = n < open_count
        top = min(int(rng.expovariate(0.9)), len(stages) - 1)
        age = rng.uniform(1, 180) if is_open else rng.uniform(20, 720)
        created = now - datetime.timedelta(days=age)
        span = age if is_open else rng.uniform(3, min(age, 120))
        times = sorted(rng.uniform(0, span) for _ in range(top + (0 if is_open else 1)))
        at = [created] + [created + datetime.timedelta(days=t) for t in times]
        state, reason, closed = "open", "", None
        if not is_open:
            state = "won" if rng.random() < 0.15 + 0.18 * top else "lost"
            reason = rng.choice(WON if state == "won" else LOST)
            closed = at[-1]
        amount = round(rng.lognormvariate(9.5, 1.0), 2)
        close = (now + datetime.timedelta(days=rng.uniform(-20, 200))).date()
        oid = first + n
        deals.append((oid, pid, f"{rng.choice(INTERESTS) or '综合方案'}商机 {oid}", owner,
                      pipeline.pk, stages[top].pk, state, f"{amount:.2f}", "0",
                      close if is_open or rng.random() < 0.8 else None, "",
                      rng.choice(COMPETITORS), reason, db_datetime(created),
                      db_datetime(at[top]), db_datetime(closed) if closed else None))  # fmt: skip
        for k in range(top + 1):
            moves.append((oid, stages[k - 1].pk if k else None, stages[k].pk, "open",
                          db_datetime(at[k]), owner))  # fmt: skip
        if closed:
            moves.append((oid, stages[top].pk, stages[top].pk, state, db_datetime(closed), owner))
        if len(moves) >= 100_000:
            insert_rows("sales_opportunity", columns, deals)
            insert_rows("sales_stagechange", move_columns, moves)
            deals, moves = [], []
    insert_rows("sales_opportunity", columns, deals)
    insert_rows("sales_stagechange", move_columns, moves)
    reset_sequence("sales_opportunity")
    from guanxi.sales.models import StageChange

    return min(open_count, total), max(0, total - open_count), StageChange.objects.count()


# Measuring -------------------------------------------------------------------------------


def figures(samples: list[float]) -> tuple[float, float, float]:
    # inclusive: with few samples (the slow "before" runs) p95 stays within them
    p95 = (
        statistics.quantiles(samples, n=20, method="inclusive")[-1]
        if len(samples) > 1
        else samples[0]
    )
    return statistics.median(samples), p95, max(samples)


def row(label: str, samples: list[float], target: float | None) -> bool:
    p50, p95, top = figures(samples)
    ok = target is None or p95 <= target
    mark = "" if target is None else ("yes" if ok else "NO")
    print(
        f"{label:<40}{p50:>9.1f}{p95:>9.1f}{top:>9.1f}{(str(target) if target else '-'):>8}"
        f"  {mark}",
        flush=True,
    )
    return ok


def people():
    from guanxi.core.choices import Role
    from guanxi.core.models import OrgUnit, User

    reps = list(User.objects.filter(username__startswith="seedrep").order_by("pk"))
    team = reps[0].org_unit
    root = OrgUnit.objects.get(code="seed")
    made = {}
    for username, role, unit, superuser in (
        ("bench-manager", Role.MANAGER, team, False),
        ("bench-director", Role.MANAGER, root, False),
        ("bench-admin", Role.ADMIN, root, True),
    ):
        made[username], _created = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "org_unit": unit, "is_superuser": superuser},
        )
    return {
        "rep": reps[:20],
        "manager": [made["bench-manager"]],
        "director": [made["bench-director"]],
        "admin": [made["bench-admin"]],
    }


def pages(args) -> list[bool]:
    from django.test import Client
    from django.utils import translation

    from guanxi.sales import reports
    from guanxi.sales.models import Pipeline

    pipeline = Pipeline.objects.order_by("position", "id").first()  # the largest, default
    who = people()
    urls = {
        "board": f"/sales/board/?pipeline={pipeline.pk}",
        "opportunity list": "/sales/opportunities/",
        "reports": f"/sales/reports/?pipeline={pipeline.pk}",
    }
    print(f"\n{'page (ms)':<40}{'p50':>9}{'p95':>9}{'max':>9}{'target':>8}  ok")
    results = []
    for role, users in who.items():
        clients = []
        for user in users:
            client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
            client.force_login(user)
            clients.append(client)
        for label, url in urls.items():
            n = args.requests if label != "reports" else args.report_requests
            for client in clients[:3]:  # warm caches and connections
                client.get(url)
            samples = []
            for i in range(n):
                client = clients[i % len(clients)]
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
            results.append(row(f"{label} — {role}", samples, TARGETS_MS.get(label)))
        if args.parts:
            user = users[0]
            with translation.override("zh-hans"):
                for label, call in (
                    ("funnel", lambda u=user: reports.funnel(user=u, pipeline=pipeline)),
                    ("forecast", lambda u=user: reports.forecast(user=u, pipeline=pipeline)),
                ):
                    samples = []
                    for _ in range(args.report_requests):
                        started = time.perf_counter()
                        call()
                        samples.append((time.perf_counter() - started) * 1000)
                    results.append(row(f"  {label}() — {role}", samples, TARGETS_MS[label]))
    return results


def recycle(now) -> bool:
    from django.db import connection

    from guanxi.core.choices import AuditAction
    from guanxi.core.models import AuditEvent, OutboundMessage
    from guanxi.customers.models import Party
    from guanxi.sales.models import Claim
    from guanxi.sales.services.notices import tell_reps
    from guanxi.sales.services.pool import claims_recycle, lapsed, pool_policy

    policy = pool_policy()
    active = Claim.objects.filter(ended_at__isnull=True).count()
    due = Claim.objects.filter(lapsed(policy, now)).count()
    pooled_before = Party.objects.filter(owner__isnull=True).count()
    notices_before = OutboundMessage.objects.filter(purpose="pool_recycle").count()
    print(f"\n# recycle: {active:,} active claims, {due:,} lapsed ({load()})", flush=True)
    started = time.perf_counter()
    counts = claims_recycle(now=now, notify=tell_reps)
    took = time.perf_counter() - started
    back = sum(counts.values())
    pooled = Party.objects.filter(owner__isnull=True).count() - pooled_before
    events = AuditEvent.objects.filter(action=AuditAction.RECYCLE, occurred_at=now).count()
    notices = OutboundMessage.objects.filter(purpose="pool_recycle").count() - notices_before
    reps = Claim.objects.filter(ended_at=now).values("user").distinct().count()
    ok = back == due == pooled == events and notices == reps
    print(
        f"claims_recycle: {took:.1f} s ({back / max(took, 1e-9):,.0f} claims/s) on "
        f"{connection.vendor}; target ≤ {TARGET_RECYCLE_S} s: "
        f"{'met' if took <= TARGET_RECYCLE_S else 'NOT met'}; returned {back:,} = lapsed "
        f"{due:,} = pooled {pooled:,} = audit events {events:,}; notices {notices} for "
        f"{reps} reps: {'yes' if ok else 'NO'} ({load()})",
        flush=True,
    )
    return took <= TARGET_RECYCLE_S and ok


def undo_recycle(now) -> None:
    """Put back what a recycle run at `now` changed, so the next run starts the same."""
    from django.db import connection, transaction

    from guanxi.core.bulk import db_datetime

    at = db_datetime(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE customers_party SET owner_id = c.user_id FROM sales_claim c "
            "WHERE c.party_id = customers_party.id AND c.ended_at = %s",
            [at],
        )
        cursor.execute(
            "UPDATE sales_claim SET ended_at = NULL, end_reason = '' WHERE ended_at = %s", [at]
        )
        # The audit trail refuses deletes (a trigger); these events are the benchmark's own.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM core_auditevent WHERE action = 'recycle' AND occurred_at = %s", [at]
        )
        cursor.execute("DELETE FROM core_outboundmessage WHERE purpose = 'pool_recycle'")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("customers_party", "sales_claim", "core_auditevent"):
                cursor.execute(f"VACUUM ANALYZE {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--opportunities", type=int, default=200_000, help="open ones")
    parser.add_argument("--closed", type=int, help="closed deals (default: as many as open)")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--requests", type=int, default=100, help="per page and role")
    parser.add_argument("--report-requests", type=int, default=20)
    parser.add_argument("--parts", action="store_true", help="also time funnel() and forecast()")
    parser.add_argument("--no-recycle", action="store_true")
    parser.add_argument("--db", help="a kept PostgreSQL database: seeded once, then reused")
    args = parser.parse_args()
    args.closed = args.opportunities if args.closed is None else args.closed

    os.environ.setdefault("GUANXI_INSECURE_DEV_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanxi.settings"
    os.environ["GUANXI_SECURE_COOKIES"] = "0"
    if args.db and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("--db needs DATABASE_URL=postgres://...")
    name, drop = _db(args.db)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    try:
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, stdout=io.StringIO())
        seeded = _kv("now")
        if seeded is None:
            print(f"# {connection.vendor} {name or ''}: seeding ({load()})", flush=True)
            now = seed(args)
            _kv("now", now.isoformat())
            _kv("sizes", f"{args.leads} leads, {args.opportunities} open, {args.closed} closed")
        else:
            now = datetime.datetime.fromisoformat(seeded)
            undo_recycle(now)  # a run killed before it put things back
            print(f"# {connection.vendor} {name}: measured again ({_kv('sizes')})")
        print(f"# {load()}", flush=True)
        results = pages(args)
        if not args.no_recycle:
            results.append(recycle(now))
            if args.db:
                undo_recycle(now)
        print(f"\n# {sum(results)}/{len(results)} targets met; {load()}")
    finally:
        if not args.db:
            drop()
    sys.exit(0)


if __name__ == "__main__":
    main()
