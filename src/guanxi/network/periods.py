"""Commission periods are calendar months, written YYYY-MM (they sort as text)."""

import datetime

from guanxi.network.engine.files import period_bounds


def period_of(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_period(period: str) -> str:
    return period_of(period_bounds(period)[1])


def booked_period(period: str, closed: set[str]) -> str:
    """Where an entry of `period` counts: itself, or the first later period still open."""
    while period in closed:
        period = next_period(period)
    return period
