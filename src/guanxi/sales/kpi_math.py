"""Pure arithmetic of sales KPIs and report periods (no Django): period bounds, rates
and pipeline coverage. Adapters in sales/kpis.py load the numbers and call these."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The ISO week (Monday to Sunday) containing `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def previous_period(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before [start, end]; a calendar month maps to
    the previous calendar month."""
    if start.day == 1 and end == month_of(start)[1]:
        return month_of(start - datetime.timedelta(days=1))
    length = (end - start).days + 1
    return start - datetime.timedelta(days=length), start - datetime.timedelta(days=1)


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage to one place; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def coverage(pipeline: Decimal, base: Decimal) -> Decimal | None:
    """Pipeline coverage: open weighted pipeline ÷ what it must cover (a target, or the
    previous period's won revenue), to two places; None when there is nothing to cover."""
    if base <= 0:
        return None
    return (Decimal(pipeline) / Decimal(base)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
