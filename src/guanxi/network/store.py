"""Between the database and the engine: the sponsor tree and a period's volume as
arrays, and a run's results written back in bulk (COPY on PostgreSQL)."""

from dataclasses import dataclass

import numpy as np
import polars as pl
from django.db import connection

from guanxi.core.bulk import copy_frame
from guanxi.network.engine.payout import Payout
from guanxi.network.engine.plan import CENTS, RATE_SCALE
from guanxi.network.engine.tree import Levels, levels


@dataclass
class Tree:
    """Every distributor by ascending id; `parent` holds indexes into `ids`."""

    ids: np.ndarray
    parent: np.ndarray
    levels: Levels

    def index_of(self, distributor_ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ids, distributor_ids)


def load_tree() -> Tree:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, COALESCE(sponsor_id, 0) FROM network_distributor ORDER BY id")
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    ids, sponsors = rows[:, 0], rows[:, 1]
    parent = np.where(sponsors > 0, np.searchsorted(ids, sponsors), -1)
    return Tree(ids=ids, parent=parent, levels=levels(parent, ids))


def _bigint() -> str:
    return "BIGINT" if connection.vendor == "postgresql" else "INTEGER"


def load_volumes(tree: Tree, *, period: str, booked: list[str] | None) -> tuple[np.ndarray, ...]:
    """(pv, bv, amount) in cents per distributor: the ledger's entries of `period`
    that were booked in one of the `booked` periods (None: wherever they were booked)."""
    n = tree.ids.shape[0]
    totals = [np.zeros(n, dtype=np.int64) for _ in range(3)]
    if booked is not None and not booked:
        return tuple(totals)
    cast = _bigint()
    booked = booked or []
    where = f"AND booked_period IN ({', '.join(['%s'] * len(booked))})" if booked else ""
    sums = ", ".join(f"CAST(ROUND(SUM({c}) * 100) AS {cast})" for c in ("pv", "bv", "amount"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT distributor_id, {sums} FROM network_volumeentry "  # noqa: S608
            f"WHERE period = %s {where} GROUP BY distributor_id",
            [period, *booked],
        )
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 4)
    where = tree.index_of(rows[:, 0])
    for k in range(3):
        totals[k][where] = rows[:, k + 1]
    return tuple(totals)


RESULT_MONEY = (
    "personal_pv",
    "personal_bv",
    "amount",
    "group_pv",
    "group_bv",
    "performance_bonus",
    "leadership_bonus",
    "unilevel_bonus",
    "personal_sales_bonus",
)


def save_results(run_id: int, tree: Tree, payout: Payout, adjustment: np.ndarray) -> None:
    """One CommissionResult per distributor (every distributor, paid or not)."""
    frame = pl.DataFrame(
        {
            "run_id": np.full(tree.ids.shape[0], run_id, dtype=np.int64),
            "distributor_id": tree.ids,
            **{c: getattr(payout, c) / CENTS for c in RESULT_MONEY},
            "rate": _rate_text(pl.Series(payout.rate)),
            "broken_away": payout.broken_away,
            "adjustment": adjustment / CENTS,
            "total": (payout.total + adjustment) / CENTS,
        }
    )
    copy_frame("network_commissionresult", frame)


def _rate_text(rate: pl.Series) -> pl.Series:
    """RATE_SCALE units as exact decimal text: 2100 → '0.2100'."""
    whole = (rate // RATE_SCALE).cast(pl.String)
    return whole + "." + (rate % RATE_SCALE).cast(pl.String).str.zfill(4)
