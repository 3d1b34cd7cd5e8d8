"""Benchmark: order history pages, placing and paying orders through HTTP at 16 concurrent
clients, and the month's bulk volume posting, over a large order history.

    python benchmarks/commerce_bench.py --orders 10000000 --lines-per-order 3 \\
        --customers 1000000 --clients 16 --requests 200 --placements 800
    DATABASE_URL=postgres://... python benchmarks/commerce_bench.py ...

Each run uses a fresh database (a temporary SQLite file, or a new database next to the
one DATABASE_URL names). Seeding: `guanxi seed`'s parties, a tenth of them distributors
under a sponsor tree, a catalogue on three price lists, then `--months` months of orders
(benchmarks/commerce_data.py) whose last month holds `--post-lines` order lines, paid but
not yet in the volume ledger. Scenarios:

A. a customer's order history, first page, through the full Django stack (test client):
   the staff page /commerce/orders/?customer=ID, the staff API /api/v1/orders?customer_id=ID,
   and a consumer's portal page /portal/orders/ and API /api/v1/portal/orders;
B. place + pay an order (volume and points posted) through HTTP against gunicorn, at
   `--clients` concurrent clients with API tokens: first as a closed loop (each client
   places its next order as soon as the last is paid), then with `--think-ms` between a
   client's orders (people at a shop's checkout; 0 skips this mode);
C. `volume_post_period` of the unposted month, checked against the expected entry count.

`--scenarios AB` runs only those; `--keep` keeps the PostgreSQL database, `--reuse DB`
measures again on a kept one.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGETS_MS = {"history": 50, "place": 100}
TARGET_POST_S = 60


def fresh_database() -> tuple[str | None, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        folder = tempfile.mkdtemp(prefix="guanxi-cbench-")
        os.environ["GUANXI_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        return None, lambda: shutil.rmtree(folder, ignore_errors=True)
    import psycopg

    parsed = urlparse(url)
    name = f"guanxi_cbench_{uuid.uuid4().hex[:8]}"
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


def figures(samples: list[float]) -> tuple[float, float, float]:
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]
    return statistics.median(samples), p95, max(samples)


def row(label: str, samples: list[float], target: float | None, unit: str = "ms") -> bool:
    p50, p95, top = figures(samples)
    ok = target is None or p95 <= target
    mark = "" if target is None else ("yes" if ok else "NO")
    print(
        f"{label:<44}{p50:>9.1f}{p95:>9.1f}{top:>9.1f}"
        f"{(str(target) if target else '-'):>8}  {mark}",
        flush=True,
    )
    return ok


def load() -> str:
    try:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return ""


# Seeding ---------------------------------------------------------------------------------


def seed(args) -> dict:
    import numpy as np
    from django.db import connection

    import commerce_data
    from guanxi.commerce.models import Category, EarningRule, PriceList, PriceListItem, Product
    from guanxi.core.management.commands.seed import _seed_owners
    from guanxi.customers.sample.bulk import seed_parties

    steps = {}
    started = time.perf_counter()
    owners = [u.pk for u in _seed_owners(50)]
    ids = np.array(seed_parties(count=args.customers, owner_ids=owners, seed=7))
    steps["parties"] = time.perf_counter() - started
    rng = np.random.default_rng(2026)
    dcount = max(2, args.customers // 10)
    distributors = commerce_data.seed_distributors(ids[:dcount], rng)
    steps["distributors"] = time.perf_counter() - started - sum(steps.values())

    shelves = [Category.objects.create(name=n, position=i) for i, n in enumerate(
        ["营养保健", "美容护肤", "个人护理", "家居用品"])]  # fmt: skip
    lists = {k: PriceList.objects.create(kind=k, name=k) for k in commerce_data.KINDS}
    count = 200
    retail = rng.integers(3000, 60000, count) // 100 * 100  # whole yuan, in cents
    products = Product.objects.bulk_create(
        Product(sku=f"P{i:04d}", name=f"产品{i}", category=shelves[i % 4],
                pv=retail[i] * 0.4 / 100, bv=retail[i] * 0.35 / 100)
        for i in range(count)
    )  # fmt: skip
    price_c = np.stack([retail, retail * 90 // 100, retail * 75 // 100])
    PriceListItem.objects.bulk_create(
        PriceListItem(price_list=lists[k], product=p, price=price_c[j][i] / 100)
        for j, k in enumerate(commerce_data.KINDS)
        for i, p in enumerate(products)
    )
    rule = EarningRule.objects.create(name="每元1分", kind="per_amount", points=1, per_amount=1)
    catalogue = {
        "ids": np.array([p.pk for p in products]),
        "price_c": price_c,
        "pv_c": np.array([int(round(float(p.pv) * 100)) for p in products]),
        "bv_c": np.array([int(round(float(p.bv) * 100)) for p in products]),
    }
    history = commerce_data.OrderHistory(
        customer_ids=ids,
        distributor_count=dcount,
        distributor_ids=distributors,
        catalogue=catalogue,
        rule_id=rule.pk,
        lines_per_order=args.lines_per_order,
        seed=11,
    )
    starts = commerce_data.month_starts(args.post_period, args.months)
    post_orders = min(args.orders // 2, max(1, round(args.post_lines / args.lines_per_order)))
    rest = args.orders - post_orders
    per_month = [rest // (args.months - 1) + (i < rest % (args.months - 1))
                 for i in range(args.months - 1)] + [post_orders]  # fmt: skip
    now = datetime.datetime.now(datetime.UTC)
    t0 = time.perf_counter()
    post = {}
    with commerce_data.DeferredIndexes(commerce_data.BIG_TABLES):
        for i, n in enumerate(per_month):
            last = i == len(per_month) - 1
            period = args.post_period if last else None
            stats = history.month(starts[i], starts[i + 1], n, post_period=period, now=now)
            if last:
                post = stats
            print(f"  month {i + 1}/{len(per_month)}: {history.totals['orders']:,} orders, "
                  f"{time.perf_counter() - t0:.0f}s", flush=True)  # fmt: skip
        steps["orders (COPY)"] = time.perf_counter() - t0
        t1 = time.perf_counter()
    steps["indexes and constraints"] = time.perf_counter() - t1
    from guanxi.core.bulk import reset_sequence

    reset_sequence("commerce_order")
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    steps["vacuum analyze"] = time.perf_counter() - t2
    steps["total"] = time.perf_counter() - started
    per = history.per_customer
    order_of = np.argsort(-per)
    return {
        "steps": steps,
        "totals": history.totals,
        "post": post,
        "customer_ids": ids,
        "dcount": dcount,
        "distributors": distributors,
        "products": catalogue["ids"].tolist(),
        "heavy": [(int(ids[i]), int(per[i])) for i in order_of[:50]],
        "buyers": ids[per > 0],
        "per_customer": (int(per.max()), float(per.mean()), int((per >= 100).sum())),
    }


# Scenario A ------------------------------------------------------------------------------


def bench_admin():
    from guanxi.core.choices import Role
    from guanxi.core.models import User

    return User.objects.filter(username="bench-admin").first() or User.objects.create(
        username="bench-admin", role=Role.ADMIN, is_superuser=True
    )


def history_pages(args, data) -> list[bool]:
    import numpy as np
    from django.test import Client

    from guanxi.core.choices import UserKind
    from guanxi.core.models import User
    from guanxi.core.services.org import user_create
    from guanxi.core.services.tokens import api_token_create
    from guanxi.customers.models import Party

    rng = random.Random(5)
    n = args.requests
    heavy = [pid for pid, _n in data["heavy"]]
    buyers = data["buyers"]
    dist_parties = set(data["customer_ids"][: data["dcount"]].tolist())
    picks = [int(x) for x in np.random.default_rng(3).choice(buyers, size=n)]
    sample = [rng.choice(heavy) if i % 5 == 0 else picks[i] for i in range(n)]  # 20% heavy
    admin = bench_admin()
    _tok, raw = api_token_create(user=admin, name="bench")
    # consumers (not distributors) with a portal login: a third of them heavy buyers
    plain = [p for p in sample if p not in dist_parties]
    consumers = list(dict.fromkeys([p for p in heavy if p not in dist_parties][:10] + plain))[:40]
    portal = []
    for pid in consumers:
        user = User.objects.filter(username=f"c{pid}").first() or user_create(
            actor=None,
            username=f"c{pid}",
            password=None,
            kind=UserKind.CONSUMER,
            party=Party.objects.get(pk=pid),
        )
        portal.append((user, api_token_create(user=user, name="bench")[1]))

    def timed(client, urls, headers=None):
        out = []
        for url in urls:
            started = time.perf_counter()
            response = client.get(url, headers=headers or {})
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            out.append((time.perf_counter() - started) * 1000)
        return out

    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(admin)
    bearer = {"Authorization": f"Bearer {raw}"}
    results = []
    print(f"\n# A. order history, first page ({n} requests each, 20% heavy customers; {load()})")
    print(f"{'scenario':<44}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target':>8}  ok")
    web = [f"/commerce/orders/?customer={p}" for p in sample]
    timed(staff, web[:5])
    results.append(row("staff page /commerce/orders/?customer=", timed(staff, web), 50))
    api = [f"/api/v1/orders?customer_id={p}" for p in sample]
    timed(staff, api[:5], bearer)
    results.append(row("staff API /api/v1/orders?customer_id=", timed(staff, api, bearer), 50))
    for label, url, use_token in (
        ("portal page /portal/orders/", "/portal/orders/", False),
        ("portal API /api/v1/portal/orders", "/api/v1/portal/orders", True),
    ):
        samples = []
        for i in range(n):
            user, token = portal[i % len(portal)]
            client = Client(HTTP_HOST="127.0.0.1")
            if use_token:
                headers = {"Authorization": f"Bearer {token}"}
            else:
                client.force_login(user)
                headers = {}
            if i < len(portal):
                timed(client, [url], headers)  # warm each login once
            samples += timed(client, [url], headers)
        results.append(row(label, samples, 50))
    return results


# Scenario B ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port: int, method: str, path: str, token: str, body=None) -> tuple[float, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    text = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path} answered {response.status}: {text[:300]!r}")
    return elapsed, json.loads(text)


def order_body(rng, data) -> dict:
    customers = data["customer_ids"]
    lines = rng.sample(data["products"][:60], rng.randint(1, 5))
    return {
        "customer_id": int(customers[rng.randrange(data["dcount"], len(customers))]),
        "channel": "ibo",
        "seller_id": int(data["distributors"][rng.randrange(len(data["distributors"]))]),
        "lines": [{"product_id": p, "quantity": rng.randint(1, 3)} for p in lines],
        "ship_to": {
            "name": "王芳",
            "phone": "13800138000",
            "province": "广东",
            "address": "天河路1号",
        },
    }


def place_and_pay(port, token, rng, data) -> tuple[float, float]:
    place_ms, order = call(port, "POST", "/api/v1/orders", token, order_body(rng, data))
    pay_ms, _ = call(port, "POST", f"/api/v1/orders/{order['id']}/payments", token,
                     {"amount": order["total"], "method": "wechat_pay"})  # fmt: skip
    return place_ms, pay_ms


def query_profile(data) -> None:
    """The SQL one placement and one payment run (in process), slowest first."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guanxi.core.services.tokens import api_token_create

    raw = api_token_create(user=bench_admin(), name="profile")[1]
    client = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {raw}"})
    rng = random.Random(9)
    client.post("/api/v1/orders", order_body(rng, data), content_type="application/json")
    for label in ("place", "pay"):
        with CaptureQueriesContext(connection) as queries:
            if label == "place":
                response = client.post("/api/v1/orders", order_body(rng, data),
                                       content_type="application/json")  # fmt: skip
                order = response.json()
            else:
                response = client.post(f"/api/v1/orders/{order['id']}/payments",
                                       {"amount": order["total"], "method": "wechat_pay"},
                                       content_type="application/json")  # fmt: skip
        assert response.status_code == 201, response.content[:300]
        slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        shown = "; ".join(f"{float(q['time']) * 1000:.0f} ms {q['sql'][:80]}" for q in slow)
        print(f"  {label}: {len(queries)} queries; slowest: {shown}")


def client_loop(port, token, i, count, data, out, errors, think_ms=0) -> None:
    """One client: place and pay `count` orders (list appends are atomic). With
    `think_ms`, the client waits 0.5-1.5 x think_ms after each pair (a user reading the
    confirmation before the next order; the spread keeps clients out of step)."""
    rng = random.Random(1000 + i)
    pause = random.Random(2000 + i)
    if think_ms:
        time.sleep(pause.uniform(0, think_ms) / 1000)  # staggered start
    for _ in range(count):
        try:
            out.append(place_and_pay(port, token, rng, data))
        except Exception as exc:  # noqa: BLE001 - counted and shown by the caller
            errors.append(str(exc))
        if think_ms:
            time.sleep(pause.uniform(0.5, 1.5) * think_ms / 1000)


def placements(args, data) -> list[bool]:
    from guanxi.core.services.tokens import api_token_create

    print(f"\n# B. place + pay through HTTP (gunicorn, {args.workers} sync workers)")
    query_profile(data)
    admin = bench_admin()
    tokens = [api_token_create(user=admin, name=f"client{i}")[1] for i in range(args.clients)]
    port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="guanxi.settings")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "guanxi.wsgi:application", "-w", str(args.workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        env=env,
    )  # fmt: skip
    results = []
    try:
        deadline = time.time() + 60
        while True:
            try:
                call(port, "GET", "/api/v1/orders?limit=1", tokens[0])
                break
            except (OSError, RuntimeError):
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        for i in range(args.workers * 4):  # warm every worker
            place_and_pay(port, tokens[0], random.Random(100 + i), data)
        runs = [
            (1, max(20, args.placements // 10), 0),
            (args.clients, args.placements, 0),  # closed loop: no think time
        ]
        if args.think_ms:
            runs.append((args.clients, args.think_placements, args.think_ms))
        for clients, total, think in runs:
            out: list[tuple[float, float]] = []
            errors: list[str] = []
            per = total // clients
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(port, tokens[i], i, per, data, out, errors, think),
                )
                for i in range(clients)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
            rate = len(out) / wall
            mode = (
                f"think time {think} ms (0.5-1.5x) between a client's orders"
                if think
                else "closed loop, no think time"
            )
            print(
                f"{clients} concurrent client(s), {mode}: {len(out)} orders placed and paid "
                f"in {wall:.1f}s = {rate:.1f} orders/s ({2 * rate:.1f} calls/s); "
                f"errors {len(errors)}; {load()}"
            )
            for e in errors[:3]:
                print("  error:", e)
            print(f"{'call':<44}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target':>8}  ok")
            target = TARGETS_MS["place"] if clients == args.clients else None
            results.append(row("place order (POST /orders)", [p for p, _ in out], target))
            row("pay order (POST /orders/{id}/payments)", [q for _, q in out], None)
            results.append(row("place + pay (both calls)", [p + q for p, q in out], target))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results[2:]  # the 16-client figures (closed loop, then think time) are the targets


# Scenario C ------------------------------------------------------------------------------


def posting(args, data) -> bool:
    from guanxi.commerce.services.volume_batch import volume_post_period
    from guanxi.network.models import VolumeEntry

    post = data["post"]
    print(f"\n# C. volume_post_period({args.post_period!r}): {post['orders_unposted']:,} paid "
          f"orders, {post['lines_unposted']:,} order lines; {load()}")  # fmt: skip
    in_period = VolumeEntry.objects.filter(period=args.post_period, source_ref__startswith="order:")
    before = in_period.count()  # orders placed the month before, paid in this one
    started = time.perf_counter()
    marks = []
    result = volume_post_period(
        period=args.post_period, progress=lambda seen: marks.append(time.perf_counter())
    )
    seconds = time.perf_counter() - started
    if marks:  # the first chunk also finds where the month starts (order_paid_idx)
        rest = (marks[-1] - marks[0]) / max(1, len(marks) - 1)
        print(f"chunks of 200,000 orders: first {marks[0] - started:.1f}s, then {rest:.1f}s each")
    entries = in_period.count() - before
    ok = seconds <= TARGET_POST_S and entries == post["posting_expected"] == result["posted"]
    print(f"posted {result['posted']:,} entries for {result['orders']:,} orders in {seconds:.1f}s "
          f"(target {TARGET_POST_S}s); the ledger gained {entries:,}, expected "
          f"{post['posting_expected']:,}  {'yes' if ok else 'NO'}")  # fmt: skip
    return ok


def reuse(args) -> dict:
    """The figures `seed` returns, read back from a kept database; the unposted month's
    entries that an earlier run posted are taken out again (triggers off: the ledger
    refuses deletes), so scenario C starts from the same state."""
    import numpy as np
    from django.db import connection

    def column(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]

    with connection.cursor() as cursor:
        if "C" in args.scenarios:  # without C the ledger stays as it is
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "DELETE FROM network_volumeentry WHERE period = %s AND source_ref LIKE 'order:%%'",
                [args.post_period],
            )
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("VACUUM ANALYZE network_volumeentry")
    start, end = commerce_month(args.post_period)
    paid = (
        "FROM commerce_order o WHERE o.paid_at >= %s AND o.paid_at < %s AND o.subtotal > 0 "
        "AND o.channel <> 'redemption'"
    )
    credited = (
        f"SELECT count(*) {paid} AND (o.seller_id IS NOT NULL OR EXISTS "
        "(SELECT 1 FROM network_distributor d WHERE d.party_id = o.customer_id))"
    )
    heavy = column(
        "SELECT customer_id FROM commerce_order GROUP BY customer_id ORDER BY count(*) DESC "
        "LIMIT 50"
    )
    return {
        "customer_ids": np.array(column("SELECT id FROM customers_party ORDER BY id")),
        "dcount": column("SELECT count(*) FROM network_distributor")[0],
        "distributors": np.array(column("SELECT id FROM network_distributor ORDER BY id")),
        "products": column("SELECT id FROM commerce_product ORDER BY id"),
        "heavy": [(pid, 0) for pid in heavy],
        "buyers": np.array(
            column("SELECT DISTINCT customer_id FROM commerce_order WHERE id %% 10 = 0")
        ),
        "post": {
            "orders_unposted": column(f"SELECT count(*) {paid}", [start, end])[0],
            "lines_unposted": column(
                f"SELECT count(*) FROM commerce_orderline WHERE order_id IN (SELECT o.id {paid})",
                [start, end],
            )[0],
            "posting_expected": column(credited, [start, end])[0],
        },
    }


def commerce_month(period: str):
    import commerce_data

    starts = commerce_data.month_starts(period, 1)
    return starts[-2], starts[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--lines-per-order", type=float, default=3.0)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--post-period", default="2026-10", help="the unposted month")
    parser.add_argument("--post-lines", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=200, help="per history scenario")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--placements", type=int, default=800, help="orders at --clients")
    parser.add_argument(
        "--think-ms",
        type=int,
        default=1000,
        help="also run --clients clients that pause this long between orders (0: skip)",
    )
    parser.add_argument("--think-placements", type=int, default=400, help="orders, think mode")
    parser.add_argument("--scenarios", default="ABC", help="which of A, B, C to run")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--reuse", metavar="DB", help="measure again on a kept database")
    args = parser.parse_args()

    os.environ.setdefault("GUANXI_INSECURE_DEV_KEY", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanxi.settings"
    os.environ["GUANXI_LOGIN_FAILURE_LIMIT"] = "1000"
    os.environ["GUANXI_SECURE_COOKIES"] = "0"
    if args.reuse:
        parsed = urlparse(os.environ["DATABASE_URL"])
        os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{args.reuse}"))
        name, drop = args.reuse, lambda: None
    else:
        name, drop = fresh_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    try:
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, stdout=io.StringIO())
        if args.reuse:
            data = reuse(args)
            print(f"# {connection.vendor} {name}: measured again on the kept database")
        else:
            print(f"# {connection.vendor} {name or ''}: seeding ({load()})", flush=True)
            data = seed(args)
            report_seed(args, data)
        results = []
        if "A" in args.scenarios:
            results += history_pages(args, data)
        if "B" in args.scenarios:
            results += placements(args, data)
        if "C" in args.scenarios:
            results.append(posting(args, data))
        print(f"\n# {sum(results)}/{len(results)} targets met; {load()}")
    finally:
        if not args.keep and not args.reuse:
            drop()
    sys.exit(0)


def report_seed(args, data) -> None:
    t, pc = data["totals"], data["per_customer"]
    print(
        f"# seeded {args.customers:,} parties ({data['dcount']:,} distributors), "
        f"{t['orders']:,} orders, {t['lines']:,} lines, {t['payments']:,} payments, "
        f"{t['points']:,} points entries, {t['volume']:,} volume entries; orders per "
        f"buyer max {pc[0]}, {pc[2]} customers with ≥100"
    )
    print("# seed: " + ", ".join(f"{k} {v:.1f}s" for k, v in data["steps"].items()))


if __name__ == "__main__":
    main()
