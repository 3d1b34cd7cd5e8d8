"""Posting to the volume ledger (orders will call `volume_post`; imports load in bulk)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from guanxi.core.bulk import in_clause
from guanxi.network.choices import PeriodStatus, VolumeKind
from guanxi.network.models import CommissionPeriod, Distributor, VolumeEntry
from guanxi.network.periods import booked_period, period_of


def closed_periods(since: str) -> set[str]:
    """Closed periods from `since` on, locked against closing meanwhile (PostgreSQL)."""
    if connection.vendor != "postgresql":
        rows = CommissionPeriod.objects.filter(period__gte=since, status=PeriodStatus.CLOSED)
        return set(rows.values_list("period", flat=True))
    # A close holds its period FOR UPDATE: a shared lock waits for it, so no entry is
    # booked into a period that closes before the entry is committed (and concurrent
    # postings do not wait for each other).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT period, status FROM network_commissionperiod WHERE period >= %s FOR SHARE",
            [since],
        )
        return {period for period, status in cursor.fetchall() if status == PeriodStatus.CLOSED}


def volume_post(
    *,
    distributor: Distributor,
    date: datetime.date,
    pv: Decimal,
    bv: Decimal,
    amount: Decimal,
    source_ref: str,
    region: str = "",
) -> VolumeEntry:
    """Append one signed entry; a negative one is a return. Idempotent on source_ref: the
    unique index refuses a second entry, and the first one is returned."""
    try:
        return _post(distributor, date, pv, bv, amount, source_ref, region)
    except IntegrityError:  # the same source posted at the same moment: that one stands
        return VolumeEntry.objects.get(source_ref=source_ref)


@transaction.atomic
def _post(distributor, date, pv, bv, amount, source_ref, region) -> VolumeEntry:
    for name, value in (("pv", pv), ("bv", bv), ("amount", amount)):
        if Decimal(value) != Decimal(value).quantize(Decimal("0.01")):
            raise ValidationError({name: _("At most 2 decimal places.")})
    period = period_of(date)
    kind = VolumeKind.RETURN if min(pv, bv, amount) < 0 else VolumeKind.SALE
    return VolumeEntry.objects.create(
        distributor=distributor,
        date=date,
        period=period,
        booked_period=booked_period(period, closed_periods(period)),
        pv=pv,
        bv=bv,
        amount=amount,
        kind=kind,
        source_ref=source_ref,
        region=region,
    )


def posted_refs(refs: list[str]) -> list[str]:
    """Which of the source references `refs` the ledger holds already."""
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(refs), 5000):
            sql, params = in_clause("source_ref", refs[start : start + 5000])
            cursor.execute(f"SELECT source_ref FROM network_volumeentry WHERE {sql}", params)  # noqa: S608
            found.extend(r[0] for r in cursor.fetchall())
    return found
