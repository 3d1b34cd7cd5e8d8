"""File-based commission runs and plan comparisons (no database), for the CLI and tests."""

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from guanxi.network.engine.files import (
    Network,
    Volumes,
    read_network,
    read_orders,
    read_volumes,
    write_results,
)
from guanxi.network.engine.plan import CENTS, Plan, parse_plan

if TYPE_CHECKING:
    from guanxi.network.engine.payout import Payout


def _read(distributors, orders, period) -> tuple[Network, Volumes]:
    """Both files at once: polars works outside the GIL."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        rows = pool.submit(read_orders, orders)
        network = read_network(distributors)
        volumes = read_volumes(orders, network, period, orders=rows.result())
    return network, volumes


def load_plan(path: str | Path) -> Plan:
    path = Path(path)
    return parse_plan(path.read_text(encoding="utf-8"), name=path.stem)


@dataclass
class FileRun:
    network: Network
    volumes: Volumes
    payout: "Payout"
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict:
        return summarise(self.payout)


def summarise(payout: "Payout") -> dict:
    bv = int(payout.personal_bv.sum())
    paid = int(payout.total.sum())
    return {
        "members": int(payout.total.shape[0]),
        "paid_members": int((payout.total > 0).sum()),
        "bv": bv / CENTS,
        "payout": paid / CENTS,
        "payout_ratio": paid / bv if bv > 0 else None,
    }


def run_files(*, plan: Plan, period: str, distributors, orders, out=None) -> FileRun:
    """Compute a period from D.csv and O.csv; write RESULTS.csv when `out` is given."""
    seconds = {}
    started = time.perf_counter()
    network, volumes = _read(distributors, orders, period)
    seconds["read"] = time.perf_counter() - started
    from guanxi.network.engine.payout import compute

    mark = time.perf_counter()
    payout = compute(
        plan, network.parent, volumes.pv, volumes.bv, volumes.amount, tree=network.levels
    )
    seconds["compute"] = time.perf_counter() - mark
    if out:
        mark = time.perf_counter()
        write_results(out, network, payout)
        seconds["write"] = time.perf_counter() - mark
    return FileRun(network=network, volumes=volumes, payout=payout, seconds=seconds)


COMPARE_COLUMNS = ("member_id", "personal_bv", "total_before", "total_after", "change")


def compare_files(*, before: Plan, after: Plan, period: str, distributors, orders, out=None):
    """Both plans over the same period: totals, payout ratios, and per-member changes."""
    network, volumes = _read(distributors, orders, period)
    from guanxi.network.engine.payout import compute

    args = (network.parent, volumes.pv, volumes.bv, volumes.amount)
    a = compute(before, *args, tree=network.levels)
    b = compute(after, *args, tree=network.levels)
    change = b.total - a.total
    if out:
        pl.DataFrame(
            {
                "member_id": network.member_ids,
                "personal_bv": volumes.bv / CENTS,
                "total_before": a.total / CENTS,
                "total_after": b.total / CENTS,
                "change": change / CENTS,
            }
        ).write_csv(out, float_precision=2)
    return {
        "before": summarise(a),
        "after": summarise(b),
        "change": int(change.sum()) / CENTS,
        "members_up": int(np.count_nonzero(change > 0)),
        "members_down": int(np.count_nonzero(change < 0)),
    }
