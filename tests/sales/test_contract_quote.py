"""A contract drawn up from an accepted quote: the quote's total, lines and customer, the
link both ways, the contract approval threshold, once per quote, the quote's visibility;
through the service, the web page and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from guanxi.core.models import AuditEvent
from guanxi.sales.choices import ContractStatus, QuoteState
from guanxi.sales.models import ApprovalPolicy, ApprovalRequest, Contract
from guanxi.sales.services.contracts import contract_create, contract_submit, contract_terminate
from guanxi.sales.services.opportunities import opportunity_close, opportunity_create
from guanxi.sales.services.quote_flow import quote_accept, quote_send, quote_submit
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create
from tests.conftest import api_client
from tests.factories import PartyFactory
from tests.sales.contract_helpers import TODAY, client_for, plan_post

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def accepted_quote(rep, catalogue, *, party=None, deal=True):
    """Two purifiers at retail 2980 less 5 % and three filters at 198.50: 5662.00 + 595.50
    = 6257.50 (VAT 13 % inside: 6257.50 × 13 / 113 = 719.89)."""
    party = party or PartyFactory(name="上海康泰贸易", owner=rep)
    opportunity = opportunity_create(actor=rep, party=party, title="净水器团购") if deal else None
    quote = quote_create(
        actor=rep,
        party=party,
        opportunity=opportunity,
        lines=[
            QuoteLineRequest(catalogue.purifier.pk, 2, D(5)),
            QuoteLineRequest(catalogue.filter.pk, 3),
        ],
        note="货到付款",
    )
    quote_submit(actor=rep, quote=quote)
    quote_send(actor=rep, quote=quote)
    return quote_accept(actor=rep, quote=quote)


def test_worked_example_from_an_accepted_quote(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    assert (quote.total, quote.tax) == (D("6257.50"), D("719.89"))
    contract = contract_create(actor=company.manager, quote=quote)
    assert contract.quote == quote and contract.party == quote.party
    assert contract.owner == company.rep  # the quote's rep, whoever draws it up
    assert contract.opportunity == quote.opportunity and contract.title == "净水器团购"
    assert contract.amount == D("6257.50") and contract.status == ContractStatus.DRAFT
    assert contract.terms.splitlines() == [
        f"Quote {quote.reference}, VAT included:",
        "反渗透净水器 (RO-500) × 2 at ¥2980.00, 5% off: ¥5662.00",
        "复合滤芯 (RO-F1) × 3 at ¥198.50, 0% off: ¥595.50",
        "Total ¥6257.50, of which VAT 13%: ¥719.89",
        "",
        "货到付款",
    ]
    audit = AuditEvent.objects.get(object_type="sales.contract", action="create")
    assert audit.subject_id == str(quote.party_id)
    assert audit.changes["quote"] == [None, quote.reference]


def test_a_quote_without_a_deal_is_titled_by_its_number(company, catalogue):
    quote = accepted_quote(company.rep, catalogue, deal=False)
    contract = contract_create(actor=company.rep, quote=quote, amount=D("6000.00"))
    assert contract.title == f"Quote {quote.reference}" and contract.opportunity is None
    assert contract.amount == D("6000.00")  # given amounts win, as for deals


@pytest.mark.parametrize(("threshold", "status"), [("6257.50", "active"), ("6257.49", "pending")])
def test_the_contract_approval_threshold_applies(company, catalogue, threshold, status):
    ApprovalPolicy.objects.update_or_create(kind="contract", defaults={"threshold": threshold})
    quote = accepted_quote(company.rep, catalogue)
    contract = contract_create(
        actor=company.rep,
        quote=quote,
        signed_on=TODAY,
        instalments=[
            _spec(TODAY + datetime.timedelta(days=30), "3000.00"),
            _spec(TODAY + datetime.timedelta(days=60), "3257.50"),
        ],
    )
    contract_submit(actor=company.rep, contract=contract)
    contract.refresh_from_db()
    assert contract.status == status
    assert ApprovalRequest.objects.filter(kind="contract").exists() == (status == "pending")


def _spec(due, amount):
    from guanxi.sales.services.contracts import InstalmentSpec

    return InstalmentSpec(due, D(amount))


def test_only_an_accepted_quote_becomes_a_contract(company, catalogue):
    party = PartyFactory(owner=company.rep)
    quote = quote_create(
        actor=company.rep, party=party, lines=[QuoteLineRequest(catalogue.purifier.pk, 1)]
    )
    quote_submit(actor=company.rep, quote=quote)
    quote = quote_send(actor=company.rep, quote=quote)
    assert quote.state == QuoteState.SENT
    with pytest.raises(ValidationError) as refused:
        contract_create(actor=company.rep, quote=quote)
    assert refused.value.message_dict == {"quote": ["Only an accepted quote becomes a contract."]}


def test_once_per_quote_unless_terminated(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    first = contract_create(actor=company.rep, quote=quote)
    with pytest.raises(ValidationError) as refused:
        contract_create(actor=company.rep, quote=quote)
    assert refused.value.message_dict == {
        "quote": [f"This quote has become contract {first.number} already."]
    }
    contract_terminate(actor=company.rep, contract=first, reason="录入错误")
    again = contract_create(actor=company.rep, quote=quote)
    assert again.pk != first.pk and Contract.objects.filter(quote=quote).count() == 2


def test_the_quotes_deal_is_not_contracted_twice(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    deal = opportunity_close(actor=company.rep, opportunity=quote.opportunity, won=True)
    by_deal = contract_create(actor=company.rep, opportunity=deal)
    with pytest.raises(ValidationError) as refused:
        contract_create(actor=company.rep, quote=quote)
    refusal = f"The deal of this quote has contract {by_deal.number} already."
    assert refused.value.messages == [refusal]
    contract_terminate(actor=company.rep, contract=by_deal, reason="改按报价签")
    from_quote = contract_create(actor=company.rep, quote=quote)
    with pytest.raises(ValidationError, match="has a contract already"):
        contract_create(actor=company.rep, opportunity=deal)  # and the other way round
    assert from_quote.opportunity == deal


def test_a_rep_of_another_team_may_not(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    with pytest.raises(PermissionDenied):
        contract_create(actor=company.far_rep, quote=quote)
    assert not Contract.objects.exists()


def test_one_source_exactly(company, catalogue):
    with pytest.raises(ValidationError):
        contract_create(actor=company.rep)


# The web pages.


def test_web_button_form_and_links_both_ways(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    client = client_for(company.rep)
    page = client.get(f"/sales/quotes/{quote.pk}/").content.decode()
    url = f"/sales/contracts/from-quote/{quote.pk}/"
    assert f'href="{url}"' in page
    form = client.get(url).content.decode()
    assert "6257.50" in form and "复合滤芯 (RO-F1) × 3" in form and quote.reference in form
    rows = [(TODAY + datetime.timedelta(days=30), "6257.50")]
    fields = {"title": "净水器团购合同", "amount": "6257.50", "signed_on": TODAY.isoformat()}
    made = client.post(url, plan_post(rows, **fields))
    contract = Contract.objects.get(quote=quote)
    assert made.status_code == 302 and made["Location"] == f"/sales/contracts/{contract.pk}/"
    shown = client.get(made["Location"]).content.decode()
    assert f'href="/sales/quotes/{quote.pk}/"' in shown and quote.reference in shown
    page = client.get(f"/sales/quotes/{quote.pk}/").content.decode()
    assert f'href="/sales/contracts/{contract.pk}/"' in page and f'href="{url}"' not in page
    again = client.post(url, plan_post(rows, **fields))
    assert again.status_code == 422
    assert f"This quote has become contract {contract.number} already." in again.content.decode()


def test_the_contract_list_offers_accepted_quotes_until_drawn_up(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    url = f'href="/sales/contracts/from-quote/{quote.pk}/"'
    assert url in client_for(company.rep).get("/sales/contracts/").content.decode()
    assert url not in client_for(company.far_rep).get("/sales/contracts/").content.decode()
    contract_create(actor=company.rep, quote=quote)
    assert url not in client_for(company.rep).get("/sales/contracts/").content.decode()


def test_web_refuses_a_quote_the_user_cannot_see(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    url = f"/sales/contracts/from-quote/{quote.pk}/"
    assert client_for(company.far_rep).get(url).status_code == 404
    assert client_for(company.far_rep).post(url, plan_post([])).status_code == 404


# The API.


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_draws_up_from_a_quote(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    response = post(
        api_client(company.rep),
        "/api/v1/contracts/from-quote",
        {
            "quote_id": quote.pk,
            "signed_on": TODAY.isoformat(),
            "instalments": [{"due_on": "2027-01-10", "amount": "6257.50"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["quote_id"] == quote.pk and body["amount"] == "6257.50"
    assert body["opportunity_id"] == quote.opportunity_id and len(body["instalments"]) == 1
    detail = api_client(company.rep).get(f"/api/v1/contracts/{body['id']}").json()
    assert detail["quote_id"] == quote.pk


def test_api_answers_4xx_with_field_messages(company, catalogue):
    quote = accepted_quote(company.rep, catalogue)
    client = api_client(company.rep)
    url = "/api/v1/contracts/from-quote"
    assert post(client, url, {"quote_id": quote.pk}).status_code == 201
    twice = post(client, url, {"quote_id": quote.pk})
    assert twice.status_code == 422 and "quote" in twice.json()["errors"]
    other = accepted_quote(company.rep, catalogue)
    short = [{"due_on": "2027-01-10", "amount": "100.00"}]
    plan = post(client, url, {"quote_id": other.pk, "instalments": short})
    assert plan.status_code == 422 and "instalments" in plan.json()["errors"]
    assert not Contract.objects.filter(quote=other).exists()  # all or nothing
    bad = post(client, url, {"quote_id": "x", "amount": "-1"})
    assert bad.status_code == 422
    assert post(client, url, {"quote_id": 10**9}).status_code == 404
    unseen = post(api_client(company.far_rep), url, {"quote_id": quote.pk})
    assert unseen.status_code == 404


def test_the_demo_draws_a_contract_from_its_accepted_quote(company, catalogue):
    from django.utils import timezone

    from guanxi.commerce.models import PriceListItem, Product
    from guanxi.sales.demo_quotes import load_quotes_demo

    shelf = catalogue.purifier.category
    third = Product.objects.create(sku="AIR-1", name="空气净化器", category=shelf)
    PriceListItem.objects.create(price_list=catalogue.retail, product=third, price=D("3680"))
    # The demo's approved and rejected quotes must need approval with this small catalogue.
    ApprovalPolicy.objects.update_or_create(kind="quote", defaults={"threshold": D(5)})
    for rep in (company.rep, company.teammate):
        for n in range(3):
            opportunity_create(actor=rep, party=PartyFactory(owner=rep), title=f"团购{n}")
    users = {"rep": company.rep, "rep2": company.teammate, "manager": company.manager}
    assert load_quotes_demo(users=users, now=timezone.now()) == 6
    contract = Contract.objects.get()
    assert contract.quote.state == QuoteState.ACCEPTED and contract.amount == contract.quote.total
    assert [i.note for i in contract.instalments.all()] == ["首付款", "尾款"]
