"""Compensation plans: TOML text → a validated `Plan` of integer thresholds and rates.

Money and volume are integer cents; a rate is an integer count of RATE_UNIT (0.0001),
so every amount is an exact integer product before it is rounded half-up to a cent.
"""

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from guanxi.network.engine.errors import PlanError, gettext_noop

CENTS = 100
RATE_SCALE = 10_000  # a rate of 0.2125 is 2125
COMPONENTS = ("stairstep", "unilevel", "personal_sales")
LARGEST = 10**12  # thresholds (CNY or PV); keeps every product within 64-bit integers


@dataclass(frozen=True)
class Stairstep:
    """Performance bonus on group BV by a schedule, with breakaway and leadership."""

    thresholds: tuple[int, ...]  # min group PV per row, cents, ascending
    rates: tuple[int, ...]  # per row, in RATE_SCALE units
    leadership_rate: int

    @property
    def top_rate(self) -> int:
        return self.rates[-1]


@dataclass(frozen=True)
class Unilevel:
    """A rate per level of qualified downline, paid to qualified members."""

    levels: tuple[int, ...]  # RATE_SCALE units, level 1 first
    min_pv: int  # cents
    compression: bool


@dataclass(frozen=True)
class PersonalSales:
    """A rate on one's own net sales amount by a schedule, capped at a share of it."""

    thresholds: tuple[int, ...]  # min amount per row, cents, ascending
    rates: tuple[int, ...]
    cap_ratio: int


@dataclass(frozen=True)
class Plan:
    name: str
    stairstep: Stairstep | None = None
    unilevel: Unilevel | None = None
    personal_sales: PersonalSales | None = None

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(c for c in COMPONENTS if getattr(self, c) is not None)


def parse_plan(text: str, *, name: str = "") -> Plan:
    """A Plan from TOML text; PlanError names the key at fault."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(
            gettext_noop("The plan is not valid TOML: %(error)s"), error=str(exc)
        ) from exc
    _only(data, {"name", "description", *COMPONENTS}, "")
    plan_name = data.get("name", name)
    if not isinstance(plan_name, str):
        raise PlanError(gettext_noop("%(key)s must be text."), key="name")
    parts = {}
    if "stairstep" in data:
        parts["stairstep"] = _stairstep(_table(data, "stairstep"))
    if "unilevel" in data:
        parts["unilevel"] = _unilevel(_table(data, "unilevel"))
    if "personal_sales" in data:
        parts["personal_sales"] = _personal_sales(_table(data, "personal_sales"))
    if not parts:
        raise PlanError(
            gettext_noop(
                "The plan has no component: add [stairstep], [unilevel] or [personal_sales]."
            )
        )
    return Plan(name=plan_name, **parts)


def _stairstep(table: dict) -> Stairstep:
    _only(table, {"schedule", "leadership_rate"}, "stairstep.")
    thresholds, rates = _schedule(table, "stairstep.schedule")
    for i in range(1, len(rates)):
        if rates[i] < rates[i - 1]:
            raise PlanError(
                gettext_noop("%(key)s: rates must not fall as the threshold rises (row %(row)s)."),
                key="stairstep.schedule",
                row=i + 1,
            )
    return Stairstep(
        thresholds=thresholds,
        rates=rates,
        leadership_rate=_rate(table.get("leadership_rate", 0), "stairstep.leadership_rate"),
    )


def _unilevel(table: dict) -> Unilevel:
    _only(table, {"levels", "min_pv", "compression"}, "unilevel.")
    levels = table.get("levels")
    if not isinstance(levels, list) or not levels:
        raise PlanError(gettext_noop("%(key)s must be a list of rates."), key="unilevel.levels")
    compression = table.get("compression", False)
    if not isinstance(compression, bool):
        raise PlanError(gettext_noop("%(key)s must be true or false."), key="unilevel.compression")
    return Unilevel(
        levels=tuple(_rate(r, f"unilevel.levels[{i + 1}]") for i, r in enumerate(levels)),
        min_pv=_amount(table.get("min_pv", 0), "unilevel.min_pv"),
        compression=compression,
    )


def _personal_sales(table: dict) -> PersonalSales:
    _only(table, {"schedule", "cap_ratio"}, "personal_sales.")
    thresholds, rates = _schedule(table, "personal_sales.schedule")
    if "cap_ratio" not in table:
        raise PlanError(gettext_noop("%(key)s is required."), key="personal_sales.cap_ratio")
    return PersonalSales(
        thresholds=thresholds,
        rates=rates,
        cap_ratio=_rate(table["cap_ratio"], "personal_sales.cap_ratio"),
    )


def _schedule(table: dict, key: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    rows = table.get(key.split(".")[-1])
    if not isinstance(rows, list) or not rows:
        raise PlanError(gettext_noop("%(key)s must be a list of [threshold, rate] rows."), key=key)
    thresholds, rates = [], []
    for i, row in enumerate(rows, start=1):
        where = f"{key}[{i}]"
        if not isinstance(row, list) or len(row) != 2:
            raise PlanError(gettext_noop("%(key)s must be a [threshold, rate] pair."), key=where)
        thresholds.append(_amount(row[0], where))
        rates.append(_rate(row[1], where))
        if i > 1 and thresholds[-1] <= thresholds[-2]:
            raise PlanError(
                gettext_noop(
                    "%(key)s: thresholds must ascend; row %(row)s is not above the one before."
                ),
                key=key,
                row=i,
            )
    return tuple(thresholds), tuple(rates)


def _number(value, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PlanError(
            gettext_noop("%(key)s must be a number, not %(value)s."), key=key, value=value
        )
    try:
        number = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - tomllib gives finite numbers
        raise PlanError(
            gettext_noop("%(key)s must be a number, not %(value)s."), key=key, value=value
        ) from exc
    if not number.is_finite() or number < 0:
        raise PlanError(
            gettext_noop("%(key)s must not be negative (%(value)s)."), key=key, value=value
        )
    if number > LARGEST:
        raise PlanError(
            gettext_noop("%(key)s is larger than %(largest)s."), key=key, largest=LARGEST
        )
    return number


def _rate(value, key: str) -> int:
    number = _number(value, key)
    if number > 1:
        raise PlanError(
            gettext_noop("%(key)s is a rate between 0 and 1, not %(value)s."), key=key, value=value
        )
    scaled = number * RATE_SCALE
    if scaled != scaled.to_integral_value():
        raise PlanError(
            gettext_noop("%(key)s has more than 4 decimal places (%(value)s)."),
            key=key,
            value=value,
        )
    return int(scaled)


def _amount(value, key: str) -> int:
    scaled = _number(value, key) * CENTS
    if scaled != scaled.to_integral_value():
        raise PlanError(
            gettext_noop("%(key)s has more than 2 decimal places (%(value)s)."),
            key=key,
            value=value,
        )
    return int(scaled)


def _table(data: dict, key: str) -> dict:
    table = data[key]
    if not isinstance(table, dict):
        raise PlanError(gettext_noop("[%(key)s] must be a table."), key=key)
    return table


def _only(table: dict, allowed: set[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise PlanError(gettext_noop("Unknown key %(key)s in the plan."), key=prefix + key)
