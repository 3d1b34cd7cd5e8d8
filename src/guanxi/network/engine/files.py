"""What-if runs from files: D.csv and O.csv in, RESULTS.csv out, no database.

Columns are a contract (docs/commissions.md):
  D.csv        member_id,sponsor_id,name,join_date,status   (empty sponsor_id for roots)
  O.csv        order_id,member_id,date,pv,bv,amount          (returns negative)
  RESULTS.csv  member_id,personal_pv,group_pv,rate,performance_bonus,leadership_bonus,
               unilevel_bonus,personal_sales_bonus,total
Row numbers in messages count the header as row 1, as a spreadsheet shows them.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from guanxi.network.engine.errors import InputError, gettext_noop
from guanxi.network.engine.members import MEMBER_ID_CHARS, MEMBER_ID_MAX
from guanxi.network.engine.plan import CENTS, RATE_SCALE

if TYPE_CHECKING:
    from guanxi.network.engine.payout import Payout
    from guanxi.network.engine.tree import Levels

DISTRIBUTOR_COLUMNS = ("member_id", "sponsor_id", "name", "join_date", "status")
ORDER_COLUMNS = ("order_id", "member_id", "date", "pv", "bv", "amount")
RESULT_COLUMNS = (
    "member_id",
    "personal_pv",
    "group_pv",
    "rate",
    "performance_bonus",
    "leadership_bonus",
    "unilevel_bonus",
    "personal_sales_bonus",
    "total",
)
STATUSES = ("active", "inactive", "terminated")
MONEY = ("pv", "bv", "amount")
_ORDER_SCHEMA = {
    "order_id": pl.String,
    "member_id": pl.String,
    "date": pl.Date,
    "pv": pl.Float64,
    "bv": pl.Float64,
    "amount": pl.Float64,
}


@dataclass
class Network:
    """Members in file order, each with its sponsor's index (-1 for a root)."""

    member_ids: pl.Series
    parent: np.ndarray
    details: pl.DataFrame | None = None  # name, join_date (Date), status, as read
    _levels: "Levels | None" = None

    @property
    def levels(self) -> "Levels":
        """The tree by depth; InputError on a sponsor cycle (checked on first use)."""
        if self._levels is None:
            from guanxi.network.engine.tree import levels

            self._levels = levels(self.parent, self.member_ids)
        return self._levels


@dataclass
class Volumes:
    """A period's totals per member, in cents, indexed like Network.member_ids."""

    pv: np.ndarray
    bv: np.ndarray
    amount: np.ndarray


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """First day of the period and of the next one; InputError unless YYYY-MM."""
    try:
        first = datetime.datetime.strptime(period, "%Y-%m").date()
    except (TypeError, ValueError) as exc:
        raise InputError(
            gettext_noop("The period %(period)s is not YYYY-MM."), period=period
        ) from exc
    after = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after


def _read_strings(path: Path, columns: tuple[str, ...], label: str) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(
            gettext_noop("%(file)s cannot be read: %(error)s"), file=label, error=exc
        ) from exc
    _require_columns(frame.columns, columns, label)
    return frame


def _require_columns(header: list[str], columns: tuple[str, ...], label: str) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            gettext_noop("%(file)s lacks the column(s) %(columns)s; its header is %(header)s."),
            file=label,
            columns=", ".join(missing),
            header=",".join(header),
        )


def _row(frame_index: int) -> int:
    return frame_index + 2  # the header is row 1


def read_network(path: Path, *, details: bool = False) -> Network:
    """Members and sponsors from D.csv, checked: ids unique, sponsors known, no cycle.
    With `details`, also their names, join dates and statuses (for loading them)."""
    label = Path(path).name
    frame = _read_strings(path, DISTRIBUTOR_COLUMNS, label).select(DISTRIBUTOR_COLUMNS)
    frame = frame.with_columns(pl.col("member_id", "sponsor_id").str.strip_chars())
    ids = frame["member_id"]
    empty = ids.is_null() | (ids == "")
    if empty.any():
        raise InputError(
            gettext_noop("%(file)s row %(row)s has no member_id."),
            file=label,
            row=_row(int(empty.arg_true()[0])),
        )
    malformed = ~ids.str.contains(f"^{MEMBER_ID_CHARS}$") | (ids.str.len_chars() > MEMBER_ID_MAX)
    if malformed.any():
        at = int(malformed.arg_true()[0])
        raise InputError(
            gettext_noop(
                "%(file)s row %(row)s: member_id %(member)s may hold only letters, digits, "
                "dots, hyphens and underscores (at most 40)."
            ),
            file=label,
            row=_row(at),
            member=ids[at],
        )
    if ids.n_unique() < len(ids):
        _repeated(ids, label)
    _check_values(frame, label)
    index = _member_index_of(ids).rename({"member_id": "sponsor_id", "member": "parent"})
    linked = frame.select("sponsor_id").join(
        index, on="sponsor_id", how="left", maintain_order="left"
    )
    sponsor = linked["sponsor_id"]
    unknown = sponsor.is_not_null() & (sponsor != "") & linked["parent"].is_null()
    if unknown.any():
        at = int(unknown.arg_true()[0])
        raise InputError(
            gettext_noop(
                "%(file)s row %(row)s: sponsor_id %(sponsor)s is not a member_id of the file."
            ),
            file=label,
            row=_row(at),
            sponsor=sponsor[at],
        )
    parent = linked["parent"].fill_null(-1).to_numpy().astype(np.int64)
    self_sponsored = np.flatnonzero(parent == np.arange(parent.shape[0]))
    if self_sponsored.size:
        raise InputError(
            gettext_noop("The sponsor chain of %(member)s loops back on itself."),
            member=ids[int(self_sponsored[0])],
        )
    extra = None
    if details:
        extra = frame.select(
            pl.col("name").fill_null(""),
            pl.col("join_date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False),
            pl.col("status").str.strip_chars().str.to_lowercase().fill_null(""),
        )
    return Network(member_ids=ids, parent=parent, details=extra)


def _repeated(ids: pl.Series, label: str) -> None:
    rows = ids.is_duplicated().arg_true()
    member = ids[int(rows[0])]
    same = [_row(int(r)) for r in rows if ids[int(r)] == member][:5]
    raise InputError(
        gettext_noop("%(file)s repeats member_id %(member)s (rows %(rows)s)."),
        file=label,
        member=member,
        rows=", ".join(map(str, same)),
    )


def _check_values(frame: pl.DataFrame, label: str) -> None:
    if frame["status"].is_in([*STATUSES, ""]).all(ignore_nulls=True):
        status_ok = True  # as written; the slow check below only runs on a doubt
    else:
        status = frame["status"].str.strip_chars().str.to_lowercase()
        bad = status.is_not_null() & (status != "") & ~status.is_in(STATUSES)
        status_ok = not bad.any()
    if not status_ok:
        at = int(bad.arg_true()[0])
        raise InputError(
            gettext_noop("%(file)s row %(row)s: status %(value)s is not one of %(allowed)s."),
            file=label,
            row=_row(at),
            value=frame["status"][at],
            allowed=", ".join(STATUSES),
        )
    joined = frame["join_date"]
    parsed = joined.str.to_date("%Y-%m-%d", strict=False)
    if parsed.null_count() == joined.null_count():
        return
    joined = joined.str.strip_chars()
    parsed = joined.str.to_date("%Y-%m-%d", strict=False)
    bad = joined.is_not_null() & (joined != "") & parsed.is_null()
    if bad.any():
        at = int(bad.arg_true()[0])
        raise InputError(
            gettext_noop("%(file)s row %(row)s: join_date %(value)s is not a date (YYYY-MM-DD)."),
            file=label,
            row=_row(at),
            value=joined[at],
        )


def read_orders(path: Path) -> pl.DataFrame:
    """O.csv's rows, checked, with pv, bv and amount in integer cents."""
    label = Path(path).name
    try:
        with open(path, "rb") as f:
            header = f.readline().decode("utf-8-sig", "replace").strip().split(",")
    except OSError as exc:
        raise InputError(
            gettext_noop("%(file)s cannot be read: %(error)s"), file=label, error=exc
        ) from exc
    _require_columns(header, ORDER_COLUMNS, label)
    try:
        orders = pl.read_csv(path, columns=list(ORDER_COLUMNS), schema_overrides=_ORDER_SCHEMA)
    except pl.exceptions.PolarsError:
        _locate_bad_cell(path, label)  # raises with the row and column
        raise
    orders = orders.select(ORDER_COLUMNS)
    required = orders.drop("order_id")
    if sum(required.null_count().row(0)):  # counted as the file is parsed: free to ask
        at = required.select(pl.any_horizontal(pl.all().is_null()).arg_true().first()).item()
        raise InputError(
            gettext_noop("%(file)s row %(row)s has an empty member_id, date, pv, bv or amount."),
            file=label,
            row=_row(at),
        )
    checked = (
        orders.lazy()
        .with_columns([pl.col(c) * CENTS for c in MONEY])
        .with_columns(
            [pl.col(c).round().cast(pl.Int64) for c in MONEY],
            _inexact=pl.any_horizontal(
                [(pl.col(c) - pl.col(c).round()).abs() > 1e-6 for c in MONEY]
            ),
        )
        .collect()
    )
    inexact = checked["_inexact"]
    if inexact.any():
        raise InputError(
            gettext_noop("%(file)s row %(row)s: pv, bv and amount take at most 2 decimal places."),
            file=label,
            row=_row(int(inexact.arg_true()[0])),
        )
    return checked.drop("_inexact")


def _unknown_member(orders: pl.DataFrame, member: str, label: str) -> InputError:
    at = orders.select((pl.col("member_id") == member).arg_true().first()).item()
    return InputError(
        gettext_noop("%(file)s row %(row)s: member_id %(member)s is not in the distributors file."),
        file=label,
        row=_row(at),
        member=member,
    )


def read_order_rows(path: Path, network: Network) -> pl.DataFrame:
    """Every row of O.csv with its member's index (`member`), for loading the ledger."""
    orders = read_orders(path)
    linked = orders.join(_member_index(network), on="member_id", how="left", maintain_order="left")
    unknown = linked.filter(pl.col("member").is_null())
    if unknown.height:
        raise _unknown_member(orders, unknown["member_id"][0], Path(path).name)
    return linked


def read_volumes(
    path: Path, network: Network, period: str, *, orders: pl.DataFrame | None = None
) -> Volumes:
    """Totals per member of the order rows dated in the period (returns are negative).
    `orders` is the file as `read_orders` gives it, when the caller read it already."""
    first, after = period_bounds(period)
    orders = (orders if orders is not None else read_orders(path)).drop("order_id")
    # Total per member first (the period's rows only), then one join of the totals.
    in_period = (pl.col("date") >= first) & (pl.col("date") < after)
    totals = (
        orders.lazy()
        .select("member_id", *(pl.when(in_period).then(pl.col(c)).otherwise(0) for c in MONEY))
        .group_by("member_id")
        .agg(pl.col(MONEY).sum())
        .join(_member_index(network).lazy(), on="member_id", how="left")
        .collect()
    )
    unknown = totals.filter(pl.col("member").is_null())
    if unknown.height:
        raise _unknown_member(orders, unknown["member_id"][0], Path(path).name)
    n = len(network.member_ids)
    index = totals["member"].to_numpy()

    def total(column: str) -> np.ndarray:
        values = np.zeros(n, dtype=np.int64)
        values[index] = totals[column].to_numpy()
        return values

    return Volumes(pv=total("pv"), bv=total("bv"), amount=total("amount"))


def _member_index(network: Network) -> pl.DataFrame:
    return _member_index_of(network.member_ids)


def _member_index_of(ids: pl.Series) -> pl.DataFrame:
    """member_id → its row index in D.csv."""
    return pl.DataFrame(
        {"member_id": ids, "member": pl.int_range(len(ids), eager=True, dtype=pl.Int64)}
    )


def _locate_bad_cell(path: Path, label: str) -> None:
    """Find the first cell polars refused and raise an InputError naming it."""
    frame = _read_strings(path, ORDER_COLUMNS, label)
    checks = [(c, pl.col(c).str.strip_chars().cast(pl.Float64, strict=False)) for c in MONEY]
    checks.append(("date", pl.col("date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False)))
    for column, parsed in checks:
        text = pl.col(column)
        bad = frame.select((text.is_not_null() & (text != "") & parsed.is_null()).arg_true())
        rows = bad.to_series()
        if rows.len():
            at = int(rows[0])
            message = (
                gettext_noop(
                    "%(file)s row %(row)s, column %(column)s: %(value)s is not a date (YYYY-MM-DD)."
                )
                if column == "date"
                else gettext_noop(
                    "%(file)s row %(row)s, column %(column)s: %(value)s is not a number."
                )
            )
            raise InputError(
                message, file=label, row=_row(at), column=column, value=frame[column][at]
            )


def write_results(path: Path, network: Network, payout: "Payout") -> None:
    """RESULTS.csv: one row per member in D.csv's order, money with two decimals."""
    rates = np.unique(payout.rate)
    labels = {int(r): f"{r / RATE_SCALE:.4f}".rstrip("0").rstrip(".") for r in rates}
    frame = pl.DataFrame(
        {
            "member_id": network.member_ids,
            "personal_pv": payout.personal_pv / CENTS,
            "group_pv": payout.group_pv / CENTS,
            "rate": pl.Series(payout.rate).replace_strict(labels, return_dtype=pl.String),
            "performance_bonus": payout.performance_bonus / CENTS,
            "leadership_bonus": payout.leadership_bonus / CENTS,
            "unilevel_bonus": payout.unilevel_bonus / CENTS,
            "personal_sales_bonus": payout.personal_sales_bonus / CENTS,
            "total": payout.total / CENTS,
        }
    )
    frame.select(RESULT_COLUMNS).write_csv(path, float_precision=2)
