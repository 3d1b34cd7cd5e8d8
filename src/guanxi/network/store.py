"""Between the database and the engine: the sponsor tree and a period's volume as
arrays, and a run's results written back in bulk (COPY on PostgreSQL)."""

from dataclasses import dataclass

import numpy as np
import polars as pl
from django.db import connection

from guanxi.core.bulk import copy_frame
from guanxi.network.engine.errors import InputError
from guanxi.network.engine.payout import Payout
from guanxi.network.engine.plan import CENTS, RATE_SCALE
from guanxi.network.engine.tree import Levels, levels
from guanxi.network.models import VolumeEntry


@dataclass
class Tree:
    """Every distributor by ascending id; `parent` holds indexes into `ids`."""

    ids: np.ndarray
    parent: np.ndarray
    levels: Levels

    def index_of(self, distributor_ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ids, distributor_ids)


def load_tree() -> Tree:
    """Today's sponsor tree."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, COALESCE(sponsor_id, 0) FROM network_distributor ORDER BY id")
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    return _tree(rows[:, 0], rows[:, 1])


def tree_of_run(run_id: int, extra_ids=()) -> Tree:
    """The tree a run paid on (its results' sponsors then), plus `extra_ids` as roots."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT distributor_id, COALESCE(sponsor_at_run, 0) FROM network_commissionresult "
            "WHERE run_id = %s ORDER BY distributor_id",
            [run_id],
        )
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    extra = np.setdiff1d(np.asarray(list(extra_ids), dtype=np.int64), rows[:, 0])
    if extra.size:
        rows = np.concatenate([rows, np.stack([extra, np.zeros_like(extra)], axis=1)])
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
    return _tree(rows[:, 0], rows[:, 1])


def _tree(ids: np.ndarray, sponsors: np.ndarray) -> Tree:
    parent = np.where(sponsors > 0, np.searchsorted(ids, sponsors), -1)
    try:
        return Tree(ids=ids, parent=parent, levels=levels(parent, ids))
    except InputError as exc:  # name the member, not the row id
        from guanxi.network.models import Distributor

        member = Distributor.objects.filter(pk=exc.params["member"]).first()
        raise InputError(
            exc.template, member=member.member_id if member else exc.params["member"]
        ) from exc


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
    where = np.minimum(tree.index_of(rows[:, 0]), max(n - 1, 0))
    known = tree.ids[where] == rows[:, 0] if n else np.zeros(len(rows), dtype=bool)
    for k in range(3):
        totals[k][where[known]] = rows[known, k + 1]
    return tuple(totals)


def distributors_with_volume(*, period: str, booked: list[str]) -> np.ndarray:
    """Ids of the distributors with ledger entries of `period` booked in `booked`."""
    ids = VolumeEntry.objects.filter(period=period, booked_period__in=booked)
    return np.array(sorted(set(ids.values_list("distributor_id", flat=True))), dtype=np.int64)


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
            "sponsor_at_run": pl.Series(
                np.where(tree.parent >= 0, tree.ids[np.maximum(tree.parent, 0)], 0)
            ).replace(0, None),
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
