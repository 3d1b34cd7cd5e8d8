"""Synthetic direct-selling networks and their orders, for the commission benchmark.

    python benchmarks/network_data.py DIR --members 1000000 --orders 5000000 [--period 2026-10]
    python benchmarks/network_data.py DIR --chain 100000

Writes DIR/D.csv (member_id,sponsor_id,name,join_date,status) and DIR/O.csv
(order_id,member_id,date,pv,bv,amount). Networks look like real ones: each new member is
enrolled by a recent member (chains of recruiting, so depth passes 30), by a random one,
or by the sponsor of a random one (the rich get richer: heavy-tailed fan-out); a handful
of early leaders carry giant legs. Most members buy a little, some a lot, many nothing;
about 2% of order rows are returns and about 10% fall outside the period.
`--chain N` writes the pathological network: one N-deep chain, one order each.
Deterministic for a seed; numpy and polars only.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numba
import numpy as np
import polars as pl

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏辉建国")


@numba.njit(cache=True)
def _sponsors(n, choice, pick, recent):
    sponsor = np.full(n, -1, dtype=np.int64)
    for i in range(1, n):
        c = choice[i]
        if c == 0:  # a recent member, some steps back: recruiting chains
            sponsor[i] = max(0, i - 1 - recent[i])
        elif c == 1:  # anyone already in
            sponsor[i] = int(pick[i] * i)
        else:  # the sponsor of anyone already in: fan-out grows with fan-out
            j = int(pick[i] * i)
            sponsor[i] = sponsor[j] if sponsor[j] >= 0 else j
    return sponsor


def network(members: int, rng: np.random.Generator) -> np.ndarray:
    choice = rng.choice(3, size=members, p=[0.45, 0.20, 0.35]).astype(np.int64)
    recent = np.minimum(rng.pareto(1.2, members) * 3, members).astype(np.int64)
    sponsor = _sponsors(members, choice, rng.random(members), recent)
    leaders = min(20, members)  # a few roots; the first 1% join under them: giant legs
    sponsor[:leaders] = -1
    first = max(leaders, members // 100)
    sponsor[leaders:first] = rng.integers(0, leaders, first - leaders)
    return sponsor


def member_ids(count: int) -> pl.Series:
    return pl.Series([f"M{i:08d}" for i in range(count)])


def write_distributors(path: Path, sponsor: np.ndarray, rng, period_start: np.datetime64) -> None:
    n = sponsor.shape[0]
    ids = member_ids(n)
    names = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)].astype(object) + np.array(GIVEN)[
        rng.integers(0, len(GIVEN), n)
    ].astype(object)
    days = np.sort(rng.integers(0, 5 * 365, n))  # earlier members joined earlier
    joined = period_start - np.timedelta64(5 * 365, "D") + days.astype("timedelta64[D]")
    status = rng.choice(["active", "inactive", "terminated"], size=n, p=[0.8, 0.17, 0.03])
    frame = pl.DataFrame(
        {
            "member_id": ids,
            "sponsor_id": ids.gather(pl.Series(np.where(sponsor >= 0, sponsor, 0))),
            "name": pl.Series(names.tolist(), dtype=pl.String),
            "join_date": pl.Series(joined).cast(pl.Date),
            "status": pl.Series(status),
        }
    ).with_columns(
        pl.when(pl.Series(sponsor < 0))
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("sponsor_id"))
        .alias("sponsor_id")
    )
    frame.write_csv(path)


def write_orders(path: Path, members: int, orders: int, rng, period: str) -> None:
    weight = rng.pareto(1.5, members) * (rng.random(members) < 0.6)  # 40% buy nothing
    if weight.sum() == 0:
        weight[:] = 1
    buyer = rng.choice(members, size=orders, p=weight / weight.sum())
    start = np.datetime64(period + "-01")
    offset = rng.integers(-5, 35, orders)  # about 10% outside the month
    amount = np.round(rng.lognormal(5.3, 0.8, orders), 2)
    sign = np.where(rng.random(orders) < 0.02, -1, 1)
    pv = np.round(amount * 0.45, 2) * sign
    bv = np.round(amount * 0.4, 2) * sign
    frame = pl.DataFrame(
        {
            "order_id": pl.Series([f"O{i:09d}" for i in range(orders)]),
            "member_id": member_ids(members).gather(pl.Series(buyer)),
            "date": pl.Series(start + offset.astype("timedelta64[D]")).cast(pl.Date),
            "pv": pv,
            "bv": bv,
            "amount": amount * sign,
        }
    )
    frame.write_csv(path, float_precision=2)


def write_chain(out: Path, length: int, period: str) -> None:
    ids = member_ids(length)
    pl.DataFrame(
        {
            "member_id": ids,
            "sponsor_id": pl.concat([pl.Series([None], dtype=pl.String), ids[:-1]]),
            "name": pl.Series(["链"] * length),
            "join_date": pl.Series([period + "-01"] * length),
            "status": pl.Series(["active"] * length),
        }
    ).write_csv(out / "D.csv")
    pl.DataFrame(
        {
            "order_id": pl.Series([f"O{i:09d}" for i in range(length)]),
            "member_id": ids,
            "date": pl.Series([period + "-15"] * length),
            "pv": pl.Series([100.0] * length),
            "bv": pl.Series([90.0] * length),
            "amount": pl.Series([200.0] * length),
        }
    ).write_csv(out / "O.csv", float_precision=2)


def generate(out: Path, *, members=0, orders=0, chain=0, period="2026-10", seed=2026) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    if chain:
        write_chain(out, chain, period)
        return {"members": chain, "orders": chain, "depth": chain - 1}
    rng = np.random.default_rng(seed)
    sponsor = network(members, rng)
    write_distributors(out / "D.csv", sponsor, rng, np.datetime64(period + "-01"))
    write_orders(out / "O.csv", members, orders, rng, period)
    return {"members": members, "orders": orders, **shape(sponsor)}


def shape(sponsor: np.ndarray) -> dict:
    """Depth and fan-out of a generated network (for the benchmark's record)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from guanxi.network.engine.tree import levels

    depth = levels(sponsor).depth
    fan = np.bincount(sponsor[sponsor >= 0], minlength=sponsor.shape[0])
    return {
        "max_depth": int(depth.max()),
        "mean_depth": round(float(depth.mean()), 1),
        "max_fan_out": int(fan.max()),
        "leaves": int((fan == 0).sum()),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--orders", type=int, default=0)
    parser.add_argument("--chain", type=int, default=0)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not args.chain and not args.members:
        parser.error("give --members (and --orders) or --chain")
    started = time.perf_counter()
    stats = generate(
        args.out,
        members=args.members,
        orders=args.orders or args.members * 5,
        chain=args.chain,
        period=args.period,
        seed=args.seed,
    )
    stats["seconds"] = round(time.perf_counter() - started, 1)
    json.dump(stats, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
