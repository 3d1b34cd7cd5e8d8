"""The quotes and approvals API: the uniform resource tests, the whole flow with an
approval, field errors, and the visibility of approvals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from guanxi.sales.models import ApprovalRequest, Opportunity
from guanxi.sales.services.opportunities import discount_request, opportunity_create
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create
from tests.api_base import ApiResourceTests
from tests.conftest import api_client
from tests.factories import PartyFactory
from tests.sales.quotes_support import pdf_text


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


class TestQuoteApi(ApiResourceTests):
    list_url = "/api/v1/quotes"
    detail_url = "/api/v1/quotes/{pk}"
    create_url = "/api/v1/quotes"
    invalid_field = "quantity"

    @pytest.fixture(autouse=True)
    def _catalogue(self, catalogue):
        self.cat = catalogue

    def make(self, company, owner, party=None):
        party = party or PartyFactory(owner=owner)
        return quote_create(
            actor=owner, party=party, lines=[QuoteLineRequest(self.cat.purifier.pk, 1)]
        )

    def valid_payload(self, company):
        party = PartyFactory(owner=company.rep)
        return {"party_id": party.pk, "lines": [{"product_id": self.cat.filter.pk, "quantity": 2}]}

    def invalid_payload(self, company):
        party = PartyFactory(owner=company.rep)
        return {"party_id": party.pk, "lines": [{"product_id": self.cat.filter.pk, "quantity": 0}]}


def test_a_quote_through_approval_to_accepted(company, catalogue):
    party = PartyFactory(name="苏州恒达日化商行", owner=company.rep)
    deal = opportunity_create(actor=company.rep, party=party, title="滤芯年度采购")
    rep, manager = api_client(company.rep), api_client(company.manager)
    made = post(
        rep,
        "/api/v1/quotes",
        {
            "party_id": party.pk,
            "opportunity_id": deal.pk,
            "price_list": "member",
            "discount_pct": "5",
            "lines": [
                {"product_id": catalogue.purifier.pk, "quantity": 3, "discount_pct": "10"},
                {"product_id": catalogue.filter.pk, "quantity": 12},
            ],
        },
    )
    assert made.status_code == 201, made.content
    quote = made.json()
    assert quote["price_list"] == "member" and quote["state"] == "draft"
    assert [ln["unit_price"] for ln in quote["lines"]] == ["2680.00", "178.00"]
    # 3×2680×0.9 = 7236 + 12×178 = 2136 → 9372; 5 % off → 8903.40; VAT 13 % inside
    assert (quote["subtotal"], quote["total"]) == ("9372.00", "8903.40")
    assert (quote["tax"], quote["net"]) == ("1024.28", "7879.12")
    assert sum(Decimal(ln["amount"]) for ln in quote["lines"]) == Decimal(quote["total"])
    submitted = post(rep, f"/api/v1/quotes/{quote['id']}/submit").json()
    assert submitted["state"] == "pending"  # 21.36 % below the retail prices this customer pays
    assert submitted["effective_discount_pct"] == "21.36"
    locked = rep.put(
        f"/api/v1/quotes/{quote['id']}",
        {"lines": [{"product_id": catalogue.filter.pk, "quantity": 1}]},
        content_type="application/json",
    )
    assert locked.status_code == 422 and "approval" in locked.json()["errors"]
    inbox = manager.get("/api/v1/approvals").json()["items"]
    assert [a["subject_id"] for a in inbox] == [quote["id"]] and inbox[0]["kind"] == "quote"
    approval = inbox[0]["id"]
    assert rep.get("/api/v1/approvals").json()["items"] == []  # not the rep's turn
    assert [a["id"] for a in rep.get("/api/v1/approvals?scope=mine").json()["items"]] == [approval]
    assert post(rep, f"/api/v1/approvals/{approval}/approve").status_code == 403
    decided = post(manager, f"/api/v1/approvals/{approval}/approve", {"comment": "同意"})
    assert decided.json()["status"] == "approved"
    assert decided.json()["steps"][0]["comment"] == "同意"
    assert post(rep, f"/api/v1/quotes/{quote['id']}/send").json()["state"] == "sent"
    accepted = post(rep, f"/api/v1/quotes/{quote['id']}/accept", {}).json()
    assert accepted["state"] == "accepted"
    assert Opportunity.objects.get(pk=deal.pk).amount == Decimal("8903.40")
    pdf = rep.get(f"/api/v1/quotes/{quote['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "苏州恒达日化商行" in pdf_text(pdf.content)


def test_rejection_needs_a_comment_and_returns_the_draft(company, catalogue):
    party = PartyFactory(owner=company.rep)
    quote = quote_create(
        actor=company.rep,
        party=party,
        lines=[QuoteLineRequest(catalogue.purifier.pk, 1, Decimal(50))],
    )
    rep, manager = api_client(company.rep), api_client(company.manager)
    post(rep, f"/api/v1/quotes/{quote.pk}/submit")
    approval = ApprovalRequest.objects.get(subject_id=quote.pk, subject_type="sales.quote").pk
    no_reason = post(manager, f"/api/v1/approvals/{approval}/reject", {"comment": " "})
    assert no_reason.status_code == 422 and "comment" in no_reason.json()["errors"]
    post(manager, f"/api/v1/approvals/{approval}/reject", {"comment": "五折不行"})
    again = rep.get(f"/api/v1/quotes/{quote.pk}").json()
    assert again["state"] == "draft" and "五折不行" in again["approval_comment"]


def test_field_errors_and_bad_states_are_422(company, catalogue):
    party = PartyFactory(owner=company.rep)
    rep = api_client(company.rep)
    cases = [
        ({"price_list": "vip"}, "price_list"),
        ({"discount_pct": "100.5"}, "discount_pct"),
        ({"tax_rate": "-1"}, "tax_rate"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"lines": [{"product_id": catalogue.unpriced.pk, "quantity": 1}]}, "lines"),
        ({"lines": [{"product_id": 99999, "quantity": 1}]}, "lines"),
        ({"opportunity_id": 99999}, "opportunity_id"),
    ]
    for extra, field in cases:
        payload = {"party_id": party.pk, "lines": [], **extra}
        answer = post(rep, "/api/v1/quotes", payload)
        assert answer.status_code == 422, (extra, answer.content)
        assert field in str(answer.json()), (extra, answer.json())
    draft = post(rep, "/api/v1/quotes", {"party_id": party.pk, "lines": []}).json()
    empty = post(rep, f"/api/v1/quotes/{draft['id']}/submit")
    assert empty.status_code == 422 and "lines" in empty.json()["errors"]
    assert post(rep, f"/api/v1/quotes/{draft['id']}/send").status_code == 422
    assert post(rep, f"/api/v1/quotes/{draft['id']}/decline", {"reason": ""}).status_code == 422


def test_expired_quotes_cannot_be_accepted_and_revisions_keep_the_number(company, catalogue):
    party = PartyFactory(owner=company.rep)
    rep = api_client(company.rep)
    quote = quote_create(
        actor=company.rep,
        party=party,
        lines=[QuoteLineRequest(catalogue.filter.pk, 1)],
        now=timezone.now() - datetime.timedelta(days=40),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    quote.state = "sent"
    quote.save(update_fields=["state"])
    late = post(rep, f"/api/v1/quotes/{quote.pk}/accept", {})
    assert late.status_code == 422 and "valid_until" in late.json()["errors"]
    assert rep.get(f"/api/v1/quotes/{quote.pk}").json()["is_expired"] is True
    revised = post(rep, f"/api/v1/quotes/{quote.pk}/revise")
    assert revised.status_code == 201
    assert revised.json()["reference"] == f"{quote.number}-V2"
    assert revised.json()["previous_id"] == quote.pk


def test_other_teams_see_neither_quotes_nor_approvals(company, catalogue):
    party = PartyFactory(owner=company.rep)
    quote = quote_create(
        actor=company.rep, party=party, lines=[QuoteLineRequest(catalogue.purifier.pk, 1, 30)]
    )
    post(api_client(company.rep), f"/api/v1/quotes/{quote.pk}/submit")
    approval = ApprovalRequest.objects.get(subject_id=quote.pk, subject_type="sales.quote").pk
    far = api_client(company.far_rep)
    assert far.get(f"/api/v1/quotes/{quote.pk}/pdf").status_code == 404
    assert post(far, f"/api/v1/quotes/{quote.pk}/revise").status_code == 404
    assert far.get(f"/api/v1/approvals/{approval}").status_code == 404
    assert post(far, f"/api/v1/approvals/{approval}/approve").status_code == 404
    assert far.get("/api/v1/approvals?scope=all").json()["items"] == []
    assert far.get("/api/v1/quotes").json()["items"] == []
    other = post(far, "/api/v1/quotes", {"party_id": party.pk, "lines": []})
    assert other.status_code == 404
    assert api_client(company.admin).get(f"/api/v1/approvals/{approval}").status_code == 200


def test_the_inbox_holds_deal_discounts_too(company):
    deal = opportunity_create(
        actor=company.rep, party=PartyFactory(owner=company.rep), title="团购", amount=10000
    )
    discount_request(actor=company.rep, opportunity=deal, percent=Decimal(20))
    inbox = api_client(company.manager).get("/api/v1/approvals").json()["items"]
    assert [(a["kind"], a["subject_type"]) for a in inbox] == [("discount", "sales.opportunity")]
