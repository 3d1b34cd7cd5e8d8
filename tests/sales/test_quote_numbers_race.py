"""Eight reps saving a quote at the same instant get eight different, consecutive numbers
(PostgreSQL: real parallel transactions, the first ones racing to create the year's
counter row)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from guanxi.core.choices import Role
from guanxi.sales.models import Quote
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create
from tests.factories import PartyFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def test_parallel_quotes_get_distinct_consecutive_numbers(company, catalogue):
    reps = [UserFactory(role=Role.SALES_REP, org_unit=company.team_a) for _ in range(8)]
    parties = [PartyFactory(owner=rep) for rep in reps]
    start = threading.Barrier(len(reps))
    errors = []

    def make(rep, party):
        try:
            start.wait()
            quote_create(actor=rep, party=party, lines=[QuoteLineRequest(catalogue.filter.pk, 1)])
        except Exception as exc:  # noqa: BLE001  (reported below, not swallowed)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=make, args=pair) for pair in zip(reps, parties, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(Quote.objects.values_list("number", flat=True))
    assert numbers == [f"BJ{year}-{n:06d}" for n in range(1, 9)]
