"""`guanxi network import`: distributors and their orders from D.csv and O.csv.

Rerunnable: members already present (by member_id) and order rows already in the
ledger (by order_id) are skipped, so a run killed midway is simply run again.
"""

from pathlib import Path

import numpy as np
import polars as pl
from django.db import transaction
from django.utils import timezone

from guanxi.core.bulk import allocate_ids, copy_frame, db_datetime, insert_rows
from guanxi.customers.choices import LifecycleStage, PartyRoleKind, Source
from guanxi.customers.services.parties import parties_bulk_create
from guanxi.network.choices import DistributorStatus, VolumeKind
from guanxi.network.engine.files import read_network, read_order_rows
from guanxi.network.engine.plan import CENTS
from guanxi.network.engine.tree import levels
from guanxi.network.models import ATTESTATIONS, Distributor, VolumeEntry
from guanxi.network.periods import booked_period, period_of
from guanxi.network.services.ledger import closed_periods, posted_refs

SOURCE_PREFIX = "import:"
CHUNK = 100_000


def network_import(*, actor, distributors: Path, orders: Path | None = None) -> dict:
    """Load members (with a customer record each) and ledger entries; returns counts."""
    network = read_network(distributors, details=True)
    levels(network.parent, network.member_ids)  # a sponsor cycle stops it before any write
    rows = read_order_rows(orders, network) if orders else None  # checked before writing
    with transaction.atomic():
        known = dict(Distributor.objects.values_list("member_id", "id"))
        member_ids = network.member_ids.to_list()
        new = [i for i, m in enumerate(member_ids) if m not in known]
        ids = _create_members(actor, network, new, known)
    report = {"members": len(member_ids), "members_added": len(new)}
    if rows is not None:
        report.update(_load_orders(rows, ids))
    from guanxi.network.health import report_refresh
    from guanxi.network.services.genealogy import team_stats_refresh

    report["team_statistics"] = team_stats_refresh()  # the genealogy pages read them
    report_refresh(period_of(timezone.localdate()))  # and the health page this
    return report


def _create_members(actor, network, new: list[int], known: dict) -> np.ndarray:
    """Distributor ids of every member in file order, creating the new ones.

    Foreign keys are checked at commit (Django creates them deferrable), so sponsors
    and recruits may arrive in any order."""
    details = network.details
    member_ids = network.member_ids.to_list()
    party_ids = parties_bulk_create(
        actor=actor,
        names=[details["name"][i] or member_ids[i] for i in new],
        role=PartyRoleKind.DISTRIBUTOR,
        source=Source.OTHER,
        source_detail="network import",
        stage=LifecycleStage.CUSTOMER,
    )
    ids = np.array([known.get(m, 0) for m in member_ids], dtype=np.int64)
    ids[new] = allocate_ids(Distributor._meta.db_table, len(new))
    joined = details["join_date"].to_list()
    status = details["status"].to_list()
    now = db_datetime(timezone.now())
    today = timezone.localdate()
    parent = network.parent
    no = (False,) * len(ATTESTATIONS)
    insert_rows(
        Distributor._meta.db_table,
        ["id", "party_id", "member_id", "sponsor_id", "join_date", "status", "certificate_no",
         "service_region", *(name for name, _label in ATTESTATIONS), "created_at", "updated_at"],
        [
            (int(ids[i]), party_id, member_ids[i], int(ids[parent[i]]) if parent[i] >= 0 else None,
             joined[i] or today, status[i] or DistributorStatus.ACTIVE, "", "", *no, now, now)
            for party_id, i in zip(party_ids, new, strict=True)
        ],
    )  # fmt: skip
    return ids


def _load_orders(rows: pl.DataFrame, ids: np.ndarray) -> dict:
    """Ledger entries for the order rows not loaded before, CHUNK rows per transaction."""
    frame = rows.select(
        pl.Series("distributor_id", ids[rows["member"].to_numpy()]),
        "date",
        period=pl.col("date").dt.strftime("%Y-%m"),
        pv=pl.col("pv") / CENTS,
        bv=pl.col("bv") / CENTS,
        amount=pl.col("amount") / CENTS,
        kind=pl.when(pl.min_horizontal("pv", "bv", "amount") < 0)
        .then(pl.lit(VolumeKind.RETURN.value))
        .otherwise(pl.lit(VolumeKind.SALE.value)),
        region=pl.lit(""),
        source_ref=pl.lit(SOURCE_PREFIX) + pl.col("order_id"),
    )
    rerun = VolumeEntry.objects.filter(source_ref__startswith=SOURCE_PREFIX).exists()
    added = 0
    for start in range(0, frame.height, CHUNK):
        with transaction.atomic():
            part = frame.slice(start, CHUNK)
            if rerun:
                part = part.filter(
                    ~pl.col("source_ref").is_in(posted_refs(part["source_ref"].to_list()))
                )
            periods = sorted(part["period"].unique().to_list())
            closed = closed_periods(periods[0]) if periods else set()
            booked = {p: booked_period(p, closed) for p in periods}
            copy_frame(
                VolumeEntry._meta.db_table,
                part.with_columns(
                    booked_period=pl.col("period").replace_strict(booked, return_dtype=pl.String),
                    created_at=pl.lit(str(db_datetime(timezone.now()))),
                ),
            )
            added += part.height
    return {"orders": frame.height, "orders_added": added}
