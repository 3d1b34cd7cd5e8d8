"""The I/O floor of a file-based commission run, for benchmarks/commissions_bench.py.

    python benchmarks/commission_floor.py D.csv O.csv OUT.csv

What any engine must at least do with polars: read both CSVs, total the orders per
member, and write one row per member with as many columns as RESULTS.csv.
"""

import sys

import polars as pl


def main(distributors: str, orders: str, out: str) -> None:
    members = pl.read_csv(distributors)
    totals = pl.read_csv(orders).group_by("member_id").agg(pl.col("pv", "bv", "amount").sum())
    result = members.select("member_id").join(totals, on="member_id", how="left").fill_null(0)
    result.with_columns(
        group_pv=pl.col("pv"),
        rate=pl.col("bv"),
        performance_bonus=pl.col("amount"),
        leadership_bonus=pl.col("pv"),
        unilevel_bonus=pl.col("bv"),
    ).write_csv(out, float_precision=2)


if __name__ == "__main__":
    main(*sys.argv[1:4])
