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


def test_recycling_on_several_connections_returns_each_claim_once(company):
    import datetime

    from django.utils import timezone

    from guanxi.core.models import AuditEvent
    from guanxi.sales.services.pool import claims_recycle

    long_ago = timezone.now() - datetime.timedelta(days=40)
    parties = [PartyFactory(owner=None) for _ in range(7)]
    for party in parties:
        claim_take(actor=company.rep, party=party, now=long_ago)
    told = []
    counts = claims_recycle(batch=2, notify=lambda user, n: told.append((user, n)))
    assert sum(counts.values()) == 7 and told == [(company.rep.pk, 7)]
    assert not Party.objects.filter(pk__in=[p.pk for p in parties], owner__isnull=False).exists()
    assert AuditEvent.objects.filter(action="recycle").count() == 7
