"""Contracts from quotes under parallel writers (PostgreSQL: real parallel transactions):
a quote becomes one contract however many ask at once, and a quote and its deal asked at
once give the deal one contract."""

import pytest
from django.db import connection

from guanxi.sales.models import Contract
from guanxi.sales.services.contracts import contract_create
from guanxi.sales.services.opportunities import opportunity_close
from tests.sales.test_contract_quote import accepted_quote
from tests.sales.test_contract_race import _parallel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def test_a_quote_asked_four_times_at_once_becomes_one_contract(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    made = _parallel(lambda _n: contract_create(actor=company.rep, quote=quote).pk, range(4))
    assert len([m for m in made if m]) == 1 and made.count(None) == 3
    assert Contract.objects.filter(quote=quote).count() == 1


def test_a_quote_and_its_deal_at_once_give_the_deal_one_contract(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    deal = opportunity_close(actor=company.rep, opportunity=quote.opportunity, won=True)
    sources = [{"quote": quote}, {"opportunity": deal}] * 2
    made = _parallel(lambda source: contract_create(actor=company.rep, **source).pk, sources)
    assert len([m for m in made if m]) == 1
    assert Contract.objects.filter(opportunity=deal).count() == 1
