"""Synthetic order history for the commerce benchmark, written with COPY (PostgreSQL) or
executemany (SQLite): distributors with a sponsor tree, a catalogue with three price
lists, then month by month orders, lines, payments, points and volume-ledger entries.

Skewed like real trade: buyers are drawn by heavy-tailed weights (a few hundred "heavy"
customers hold hundreds of orders each), most orders are sold through a distributor,
distributors buy at the distributor price. Order ids rise with time. The last month
(`post_period`) is paid but absent from the volume ledger: the bulk posting's input.
Deterministic for a seed; numpy and polars do the arithmetic, Django only the small rows.
"""

import datetime
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from django.db import connection, transaction

from guanxi.core.bulk import copy_frame, reset_sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import network_data  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
PROVINCES = ["广东", "浙江", "江苏", "山东", "河南", "四川", "湖北", "湖南", "福建", "上海", "北京"]
CHANNELS = ["portal", "call_centre", "showroom", "partner_store"]  # ibo when a seller sold it
METHODS = ["wechat_pay", "alipay", "bank_transfer", "card"]
KINDS = ["retail", "member", "distributor"]
# Tables loaded in bulk: secondary indexes and constraints are rebuilt after the load.
BIG_TABLES = [
    "commerce_order",
    "commerce_orderline",
    "commerce_payment",
    "commerce_pointsentry",
    "network_volumeentry",
]


class DeferredIndexes:
    """On PostgreSQL, drop the big tables' secondary indexes, unique and foreign-key
    constraints for the load and recreate them from their own definitions afterwards
    (what pg_restore does): one sorted build instead of millions of index inserts."""

    def __init__(self, tables: list[str]):
        self.tables = tables
        self.constraints: list[tuple[str, str, str, str]] = []
        self.indexes: list[str] = []

    def __enter__(self):
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
                "AND contype IN ('f', 'u') ORDER BY contype",
                [self.tables],
            )
            self.constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint "
                "WHERE contype IN ('p', 'u'))",
                [self.tables],
            )
            index_rows = cursor.fetchall()
            self.indexes = [definition for _name, definition in index_rows]
            for table, name, _kind, _definition in self.constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in index_rows:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        if connection.vendor != "postgresql" or exc[0] is not None:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for definition in self.indexes:
                cursor.execute(definition)
            # unique constraints ('u') before the foreign keys ('f')
            for table, name, _kind, definition in sorted(
                self.constraints, key=lambda c: c[2] != "u"
            ):
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _ts(column: str) -> pl.Expr:
    """A UTC datetime column as the text each database reads for a timestamptz."""
    if connection.vendor == "postgresql":
        return pl.col(column).dt.strftime("%Y-%m-%d %H:%M:%S+00")
    return pl.col(column).dt.strftime("%Y-%m-%d %H:%M:%S")


def _money(cents: pl.Expr) -> pl.Expr:
    return (cents / 100).round(2)


def month_starts(last_period: str, count: int) -> list[datetime.datetime]:
    """Local month starts, oldest first, ending with `last_period`'s (as UTC datetimes)."""
    year, month = map(int, last_period.split("-"))
    index = year * 12 + month - 1
    starts = []
    for i in range(index - count + 1, index + 2):
        local = datetime.datetime(i // 12, i % 12 + 1, 1, tzinfo=ZONE)
        starts.append(local.astimezone(datetime.UTC))
    return starts


def seed_distributors(party_ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The first parties become distributors under a heavy-tailed sponsor tree."""
    count = len(party_ids)
    sponsor = network_data.network(count, rng)
    first = 1 + _max_id("network_distributor")
    ids = np.arange(first, first + count)
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    joined = np.datetime64("2021-01-01") + rng.integers(0, 1400, count).astype("timedelta64[D]")
    frame = pl.DataFrame(
        {
            "id": ids,
            "party_id": party_ids,
            "member_id": pl.Series(np.arange(count)).cast(pl.String).str.zfill(8),
            "sponsor_id": pl.Series(np.where(sponsor >= 0, first + sponsor, 0)),
            "join_date": pl.Series(joined).cast(pl.Date),
            "service_region": pl.Series(np.array(PROVINCES)[rng.integers(0, 11, count)]),
        }
    ).with_columns(
        member_id=pl.lit("M") + pl.col("member_id"),
        sponsor_id=pl.when(pl.col("sponsor_id") > 0).then("sponsor_id"),
        status=pl.lit("active"),
        certificate_no=pl.lit(""),
        created_at=pl.lit(now),
        **{
            name: pl.lit(True)
            for name in (
                "attests_adult",
                "attests_not_student",
                "attests_not_teacher",
                "attests_not_medical",
                "attests_not_civil_servant",
                "attests_not_military",
                "attests_not_employee",
                "attests_not_foreigner",
            )
        },
    )
    frame = frame.with_columns(created_at=_ts("created_at"), updated_at=_ts("created_at"))
    with transaction.atomic():
        copy_frame("network_distributor", frame)
        roles = pl.DataFrame({"party_id": party_ids, "role": ["distributor"] * count})
        copy_frame("customers_partyrole", roles)
    reset_sequence("network_distributor")
    return ids


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


class OrderHistory:
    """Generates and loads the orders of one month at a time."""

    def __init__(
        self,
        *,
        customer_ids: np.ndarray,
        distributor_count: int,
        distributor_ids: np.ndarray,
        catalogue: dict,
        rule_id: int,
        lines_per_order: float,
        seed: int,
    ):
        self.rng = np.random.default_rng(seed)
        self.customers = customer_ids
        self.dcount = distributor_count  # customers[:dcount] are the distributors
        self.distributors = distributor_ids
        self.catalogue = catalogue
        self.rule_id = rule_id
        self.lines_per_order = lines_per_order
        n = len(customer_ids)
        weights = self.rng.lognormal(0.0, 0.9, n)
        heavy = self.rng.choice(n, size=max(1, n // 2000), replace=False)
        weights[heavy] *= 30  # one in 2,000 buys ~20 times as often: hundreds of orders
        self.buyer_cdf = np.cumsum(weights) / weights.sum()
        sellers = self.rng.pareto(1.5, len(distributor_ids)) + 0.1
        self.seller_cdf = np.cumsum(sellers) / sellers.sum()
        self.next_order_id = 1 + _max_id("commerce_order")
        self.per_customer = np.zeros(n, dtype=np.int64)
        self.totals = {"orders": 0, "lines": 0, "payments": 0, "points": 0, "volume": 0}

    def month(self, start, end, count: int, *, post_period: str | None, now) -> dict:
        """Generate and load `count` orders placed in [start, end). In `post_period` (the
        unposted month) every order is paid and the ledger lacks those paid in it."""
        rng = self.rng
        seconds = np.sort(rng.integers(0, int((end - start).total_seconds()), count))
        buyer = np.minimum(
            np.searchsorted(self.buyer_cdf, rng.random(count)), len(self.customers) - 1
        )
        np.add.at(self.per_customer, buyer, 1)
        is_dist = buyer < self.dcount
        sold = (~is_dist) & (rng.random(count) < 0.6)
        seller = self.distributors[
            np.minimum(np.searchsorted(self.seller_cdf, rng.random(count)), self.dcount - 1)
        ]
        # Whose volume: the seller's, or a distributor buying for themselves.
        credited = np.where(
            sold,
            seller,
            np.where(is_dist, self.distributors[np.minimum(buyer, self.dcount - 1)], 0),
        )
        kind = np.where(is_dist, 2, np.where(buyer % 3 == 0, 1, 0))
        cancelled = rng.random(count) < (0.0 if post_period else 0.03)
        ids = np.arange(self.next_order_id, self.next_order_id + count)
        self.next_order_id += count
        lines = self._lines(ids, kind, rng)
        sums = (
            lines.group_by("order_id")
            .agg(
                subtotal=pl.col("amount_c").sum(),
                pv_total=pl.col("pv_c").sum(),
                bv_total=pl.col("bv_c").sum(),
                points=pl.col("points_earned").sum(),
            )
            .sort("order_id")
        )
        placed = pl.Series(
            (
                np.datetime64(start.replace(tzinfo=None), "s") + seconds.astype("timedelta64[s]")
            ).astype("datetime64[us]")
        ).cast(pl.Datetime("us"))
        pay_delay = pl.Series(
            rng.integers(60, 4 * 3600, count).astype("timedelta64[s]").astype("timedelta64[us]")
        )
        orders = pl.DataFrame(
            {
                "id": ids,
                "customer_id": self.customers[buyer],
                "seller_id": np.where(sold, seller, 0),
                "credited": credited,
                "channel": np.where(sold, "ibo", np.array(CHANNELS)[rng.integers(0, 4, count)]),
                "price_list": np.array(KINDS)[kind],
                "province": np.array(PROVINCES)[rng.integers(0, len(PROVINCES), count)],
                "placed_at": placed,
                "paid_at": (placed + pay_delay).cast(pl.Datetime("us")),
                "cancelled": cancelled,
                "shipping_c": np.where(rng.random(count) < 0.3, 1000, 0),
                "phone": 13_800_000_000 + rng.integers(0, 99_999_999, count),
            }
        ).join(sums, left_on="id", right_on="order_id")
        return self._load(orders, lines, post_period=post_period, now=now)

    def _lines(self, ids, kind, rng) -> pl.DataFrame:
        per = np.clip(1 + rng.poisson(max(0.0, self.lines_per_order - 1), len(ids)), 1, 12)
        order_id = np.repeat(ids, per)
        n = len(order_id)
        cat = self.catalogue
        product = np.minimum(
            (rng.pareto(1.1, n) * 8).astype(np.int64), len(cat["ids"]) - 1
        )  # a few best-sellers
        qty = np.where(rng.random(n) < 0.7, 1, rng.integers(2, 4, n))
        unit_c = cat["price_c"][np.repeat(kind, per), product]
        amount_c = unit_c * qty
        return pl.DataFrame(
            {
                "order_id": order_id,
                "product_id": cat["ids"][product],
                "quantity": qty,
                "unit_c": unit_c,
                "amount_c": amount_c,
                "pv_c": cat["pv_c"][product] * qty,
                "bv_c": cat["bv_c"][product] * qty,
                "points_earned": amount_c // 100,
            }
        )

    def _load(self, orders: pl.DataFrame, lines: pl.DataFrame, *, post_period, now) -> dict:
        post = post_period is not None
        local_paid = pl.col("paid_at").dt.replace_time_zone("UTC").dt.convert_time_zone(str(ZONE))
        o = orders.with_columns(
            number=pl.col("placed_at")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(str(ZONE))
            .dt.strftime("%Y%m%d")
            + pl.col("id").cast(pl.String).str.zfill(8),
            total_c=pl.col("subtotal") + pl.col("shipping_c"),
        )
        frame = o.select(
            "id",
            "number",
            "customer_id",
            "channel",
            seller_id=pl.when(pl.col("seller_id") > 0).then("seller_id"),
            price_list="price_list",
            response_code=pl.lit(""),
            status=pl.when("cancelled")
            .then(pl.lit("cancelled"))
            .otherwise(pl.lit("shipped" if post else "delivered")),
            fulfilment=pl.lit("courier"),
            ship_to_name=pl.lit("收件人"),
            ship_to_phone=pl.col("phone").cast(pl.String),
            ship_to_province="province",
            ship_to_address=pl.lit("人民路") + (pl.col("id") % 999 + 1).cast(pl.String) + "号",
            courier=pl.when("cancelled").then(pl.lit("")).otherwise(pl.lit("顺丰")),
            tracking_number=pl.when("cancelled")
            .then(pl.lit(""))
            .otherwise(pl.lit("SF") + pl.col("id").cast(pl.String)),
            subtotal=_money(pl.col("subtotal")),
            shipping_fee=_money(pl.col("shipping_c")),
            total=_money(pl.col("total_c")),
            amount_paid=pl.when("cancelled").then(0.0).otherwise(_money(pl.col("total_c"))),
            amount_refunded=pl.lit(0.0),
            points_spent=pl.lit(0),
            pv_total=_money(pl.col("pv_total")),
            bv_total=_money(pl.col("bv_total")),
            payment_due_on=(pl.col("placed_at") + pl.duration(days=7)).dt.date(),
            reminders_sent=pl.lit(0),
            note=pl.lit(""),
            placed_at=_ts("placed_at"),
            paid_at=pl.when("cancelled").then(pl.lit(None)).otherwise(_ts("paid_at")),
            shipped_at=pl.when("cancelled")
            .then(pl.lit(None))
            .otherwise((pl.col("paid_at") + pl.duration(days=1)).pipe(_strf)),
            delivered_at=pl.when(pl.col("cancelled") | pl.lit(post))
            .then(pl.lit(None))
            .otherwise((pl.col("paid_at") + pl.duration(days=3)).pipe(_strf)),
            cancelled_at=pl.when("cancelled").then(_ts("placed_at")),
        )
        lines_frame = lines.select(
            "order_id",
            "product_id",
            "quantity",
            unit_price=_money(pl.col("unit_c")),
            amount=_money(pl.col("amount_c")),
            pv=_money(pl.col("pv_c")),
            bv=_money(pl.col("bv_c")),
            points_price=pl.lit(0),
            points_earned="points_earned",
            returned_quantity=pl.lit(0),
        )
        p = o.filter(~pl.col("cancelled")).with_columns(
            date=local_paid.dt.date(), period=local_paid.dt.strftime("%Y-%m")
        )
        payments = p.select(
            order_id="id",
            amount=_money(pl.col("total_c")),
            method=pl.lit(METHODS[0]),
            status=pl.lit("succeeded"),
            reference=pl.lit(""),
            recorded_at=_ts("paid_at"),
        )
        expires = local_paid.dt.offset_by("25mo").dt.month_start().dt.offset_by("-1d").dt.date()
        points = p.filter(pl.col("points") > 0).select(
            party_id="customer_id",
            kind=pl.lit("earn"),
            points="points",
            occurred_at=_ts("paid_at"),
            expires_on=expires,
            order_id="id",
            rule_id=pl.lit(self.rule_id),
            source_ref=pl.lit("earn:") + pl.col("number"),
            note=pl.lit(""),
        )
        credited = p.filter((pl.col("credited") > 0) & (pl.col("subtotal") > 0))
        unposted = pl.col("period") == (post_period or "")
        posting_expected = credited.filter(unposted).height
        credited = credited.filter(~unposted)  # the ledger lacks the unposted month
        created = pl.lit(now.strftime("%Y-%m-%d %H:%M:%S") + ("+00" if _pg() else ""))
        volume = credited.select(
            distributor_id="credited",
            date="date",
            period="period",
            booked_period="period",
            pv=_money(pl.col("pv_total")),
            bv=_money(pl.col("bv_total")),
            amount=_money(pl.col("subtotal")),
            kind=pl.lit("sale"),
            region="province",
            source_ref=pl.lit("order:") + pl.col("number"),
            created_at=created,
        )
        with transaction.atomic():
            copy_frame("commerce_order", frame)
            copy_frame("commerce_orderline", lines_frame)
            copy_frame("commerce_payment", payments)
            copy_frame("commerce_pointsentry", points)
            copy_frame("network_volumeentry", volume)
        stats = {
            "orders": frame.height,
            "lines": lines_frame.height,
            "payments": payments.height,
            "points": points.height,
            "volume": volume.height,
        }
        for key, value in stats.items():
            self.totals[key] += value
        stats["posting_expected"] = posting_expected
        in_month = p.filter(unposted)
        stats["orders_unposted"] = in_month.height
        stats["lines_unposted"] = lines.join(
            in_month.select("id"), left_on="order_id", right_on="id", how="semi"
        ).height
        return stats


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _strf(expr: pl.Expr) -> pl.Expr:
    fmt = "%Y-%m-%d %H:%M:%S+00" if _pg() else "%Y-%m-%d %H:%M:%S"
    return expr.dt.strftime(fmt)
