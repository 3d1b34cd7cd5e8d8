"""The pure arithmetic of KPIs and periods: worked examples and invariants."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guanxi.sales.kpi_math import coverage, month_of, previous_period, rate, week_of

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))


def test_worked_examples():
    assert week_of(datetime.date(2026, 3, 11)) == (
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 15),
    )
    assert month_of(datetime.date(2024, 2, 10)) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
    )
    assert previous_period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    assert previous_period(datetime.date(2026, 3, 9), datetime.date(2026, 3, 15)) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 8),
    )
    assert rate(2, 3) == Decimal("66.7") and rate(1, 8) == Decimal("12.5") and rate(0, 0) is None
    assert coverage(Decimal(13000), Decimal(8000)) == Decimal("1.63")
    assert coverage(Decimal(5), Decimal(0)) is None


@given(days)
def test_a_week_is_monday_to_sunday_around_the_day(day):
    start, end = week_of(day)
    assert start.weekday() == 0 and (end - start).days == 6 and start <= day <= end


@given(days)
def test_a_month_holds_the_day_and_the_previous_one_ends_the_day_before(day):
    start, end = month_of(day)
    assert start.day == 1 and start <= day <= end and (end + datetime.timedelta(days=1)).day == 1
    before_start, before_end = previous_period(start, end)
    assert before_end == start - datetime.timedelta(days=1) and before_start.day == 1


@given(days, st.integers(min_value=0, max_value=400))
def test_the_previous_period_is_as_long_and_adjacent(start, extra):
    end = start + datetime.timedelta(days=extra)
    if start.day == 1 and end == month_of(start)[1]:
        return  # calendar months map to calendar months (above)
    before_start, before_end = previous_period(start, end)
    assert before_end == start - datetime.timedelta(days=1)
    assert (before_end - before_start) == (end - start)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_rate_is_a_percentage_within_bounds(part, whole):
    part = min(part, whole)
    value = rate(part, whole)
    assert Decimal(0) <= value <= Decimal(100)
    assert abs(value - Decimal(part) * 100 / whole) <= Decimal("0.05")


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2),
)
def test_coverage_times_the_base_gives_back_the_pipeline(pipeline, base):
    value = coverage(pipeline, base)
    assert value >= 0 and abs(value * base - pipeline) <= base * Decimal("0.005")
