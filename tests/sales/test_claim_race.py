"""Two (or eight) reps claiming the same record at the same instant: exactly one wins
(PostgreSQL: real parallel transactions)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from guanxi.core.choices import Role
from guanxi.customers.models import Party
from guanxi.sales.models import Claim
from guanxi.sales.services.pool import claim_take
from tests.factories import PartyFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def test_exactly_one_of_eight_parallel_claims_wins(company):
    party = PartyFactory(owner=None)
    reps = [UserFactory(role=Role.SALES_REP, org_unit=company.team_a) for _ in range(8)]
    start = threading.Barrier(len(reps))
    outcomes = []

    def claim(rep):
        try:
            start.wait()
            claim_take(actor=rep, party=party)
            outcomes.append(rep.pk)
        except ValidationError:
            outcomes.append(None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(r,)) for r in reps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o]
    assert len(winners) == 1 and outcomes.count(None) == 7
    assert Party.objects.get(pk=party.pk).owner_id == winners[0]
    assert Claim.objects.filter(party=party, ended_at__isnull=True).count() == 1
