"""Contracts under parallel writers (PostgreSQL: real parallel transactions): numbers
stay unique, and of collections that each settle the whole balance exactly one is kept."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from guanxi.sales.models import Contract
from guanxi.sales.services.collections import collection_record
from guanxi.sales.services.contracts import contract_create
from tests.sales.contract_helpers import TODAY, active_contract, won_deal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def _parallel(work, items) -> list:
    start = threading.Barrier(len(items))
    outcomes = []

    def run(item):
        try:
            start.wait()
            outcomes.append(work(item))
        except ValidationError:
            outcomes.append(None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_contracts_drawn_up_at_once_get_distinct_numbers(company):
    deals = [won_deal(company.rep) for _ in range(6)]
    made = _parallel(lambda d: contract_create(actor=company.rep, opportunity=d).number, deals)
    assert None not in made and len(set(made)) == 6
    assert set(Contract.objects.values_list("number", flat=True)) == set(made)


def test_of_parallel_full_settlements_one_is_kept(company):
    contract = active_contract(company.rep, "1000.00", "2000.00")
    kept = _parallel(
        lambda _n: (
            collection_record(
                actor=company.rep,
                contract=contract,
                amount=Decimal("3000.00"),
                collected_on=TODAY,
                method="bank_transfer",
            ).pk
        ),
        range(4),
    )
    assert len([k for k in kept if k]) == 1 and kept.count(None) == 3
    contract.refresh_from_db()
    assert contract.collected == Decimal("3000.00") and contract.status == "completed"
