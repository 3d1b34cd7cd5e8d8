"""Posting a whole month of settled orders to the volume ledger in bulk.

Payment posts each order as it happens (services.volume). This job catches up with
whatever the ledger lacks for a period — orders loaded from another system, or payments
recorded while the network app was unavailable — reading orders in id chunks and writing
entries with COPY (PostgreSQL) or executemany (SQLite). An entry's reference is the
order's, as with single posts, so the job and live payments never post an order twice,
and a run killed midway is rerun safely.
"""

import datetime
from collections.abc import Callable

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from guanxi.commerce.choices import SalesChannel
from guanxi.commerce.models import Order
from guanxi.core.bulk import copy_frame, db_datetime, in_clause
from guanxi.network.choices import VolumeKind
from guanxi.network.engine.files import period_bounds
from guanxi.network.models import Distributor, VolumeEntry
from guanxi.network.periods import booked_period
from guanxi.network.services.ledger import closed_periods, posted_refs

CHUNK = 200_000
COLUMNS = ["id", "number", "seller_id", "customer_id", "pv_total", "bv_total", "subtotal",
           "paid_at", "ship_to_province"]  # fmt: skip


def _bounds(period: str) -> tuple[datetime.datetime, datetime.datetime]:
    first, after = period_bounds(period)
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    return start, datetime.datetime.combine(after, datetime.time(), tzinfo=zone)


def _buyers_as_distributors(party_ids: list[int]) -> dict[int, int]:
    """party id → distributor id, for buyers who are distributors themselves."""
    found = {}
    for start in range(0, len(party_ids), 5000):
        sql, params = in_clause("party_id", party_ids[start : start + 5000])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT party_id, id FROM network_distributor WHERE {sql}", params)  # noqa: S608
            found.update(cursor.fetchall())
    return found


def _regions() -> dict[int, str]:
    return dict(Distributor.objects.exclude(service_region="").values_list("id", "service_region"))


def volume_post_period(
    *, period: str, chunk: int = CHUNK, progress: Callable[[int], None] | None = None
) -> dict:
    """Post every settled order paid in `period` that the ledger lacks. Returns counts."""
    start, end = _bounds(period)
    orders = (
        Order.objects.filter(paid_at__gte=start, paid_at__lt=end, subtotal__gt=0)
        .exclude(channel=SalesChannel.REDEMPTION)
        .order_by("id")
    )
    closed = closed_periods(period)
    regions = _regions()
    rerun = VolumeEntry.objects.filter(period=period, source_ref__startswith="order:").exists()
    # Start at the smallest id paid in the month instead of walking every older order by
    # id. `id + 0`: for a plain MIN(id) PostgreSQL walks the primary key from the oldest
    # order until one matches (2 s at 10 M orders); this reads the month from order_paid_idx.
    first = orders.aggregate(first=Min(F("id") + 0))["first"]
    last, seen, posted = (first - 1 if first else 0), 0, 0
    while True:
        rows = list(orders.filter(id__gt=last).values_list(*COLUMNS)[:chunk])
        if not rows:
            break
        last, seen = rows[-1][0], seen + len(rows)
        frame = _entries(rows, closed, regions)
        posted += _write(frame, rerun)
        if progress:
            progress(seen)
    return {"orders": seen, "posted": posted}


def _entries(rows: list[tuple], closed: set[str], regions: dict[int, str]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=COLUMNS, orient="row")
    buyers = _buyers_as_distributors(
        frame.filter(pl.col("seller_id").is_null())["customer_id"].unique().to_list()
    )
    zone = settings.TIME_ZONE
    frame = frame.with_columns(
        distributor_id=pl.coalesce(
            "seller_id",
            pl.col("customer_id").replace_strict(buyers, default=None, return_dtype=pl.Int64),
        ),
        date=pl.col("paid_at").dt.convert_time_zone(zone).dt.date(),
    ).filter(pl.col("distributor_id").is_not_null())
    frame = frame.with_columns(period=pl.col("date").dt.strftime("%Y-%m"))
    booked = {p: booked_period(p, closed) for p in frame["period"].unique().to_list()}
    return frame.select(
        "distributor_id",
        "date",
        "period",
        booked_period=pl.col("period").replace_strict(booked, return_dtype=pl.String),
        pv="pv_total",
        bv="bv_total",
        amount="subtotal",
        kind=pl.lit(VolumeKind.SALE.value),
        region=pl.when(pl.col("ship_to_province") != "")
        .then("ship_to_province")
        .otherwise(
            pl.col("distributor_id").replace_strict(regions, default="", return_dtype=pl.String)
        ),
        source_ref=pl.lit("order:") + pl.col("number"),
        created_at=pl.lit(str(db_datetime(timezone.now()))),
    )


def _write(frame: pl.DataFrame, rerun: bool) -> int:
    """COPY the chunk; if a live payment posted one of its orders meanwhile, post the
    rest only."""
    for attempt in range(2):
        part = frame
        if rerun or attempt:
            part = frame.filter(
                ~pl.col("source_ref").is_in(posted_refs(frame["source_ref"].to_list()))
            )
        try:
            with transaction.atomic():
                if part.height:
                    copy_frame(VolumeEntry._meta.db_table, part)
            return part.height
        except IntegrityError:
            if attempt:
                raise
    return 0
