"""Quotes: numbering, prices from the price list (snapshotted), totals, the way from
draft to accepted, the discount approval with its lock, revisions, expiry, visibility."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from guanxi.commerce.models import PriceListItem
from guanxi.core.models import AuditEvent
from guanxi.customers import timeline
from guanxi.sales.choices import QuoteState
from guanxi.sales.models import ApprovalPolicy, ApprovalRequest, Opportunity, Quote
from guanxi.sales.services.approvals import approval_decide
from guanxi.sales.services.opportunities import opportunity_create
from guanxi.sales.services.quote_flow import (
    quote_accept,
    quote_decline,
    quote_revise,
    quote_send,
    quote_submit,
    quotes_expire,
)
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create, quote_update
from tests.factories import PartyFactory

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def deal(company):
    return opportunity_create(
        actor=company.rep,
        party=PartyFactory(name="上海康泰贸易", owner=company.rep),
        title="净水器",
    )


FIVE = Decimal(5)


def lines(catalogue, purifier_discount=FIVE):
    return [
        QuoteLineRequest(catalogue.purifier.pk, 2, purifier_discount),
        QuoteLineRequest(catalogue.filter.pk, 3),
    ]


def make(company, deal, catalogue, **kw):
    kw.setdefault("lines", lines(catalogue))
    return quote_create(actor=company.rep, party=deal.party, opportunity=deal, **kw)


def test_a_quote_from_a_deal_is_priced_from_the_list_and_numbered(company, deal, catalogue):
    quote = make(company, deal, catalogue, discount_pct=D(3))
    year = timezone.localdate().year
    assert quote.number == f"BJ{year}-000001" and quote.reference == quote.number
    assert quote.price_list == catalogue.retail  # a plain customer buys at retail
    assert quote.state == QuoteState.DRAFT and quote.tax_rate == D(13)
    assert quote.valid_until == timezone.localdate() + datetime.timedelta(days=30)
    assert [(ln.name, ln.unit_price) for ln in quote.lines.all()] == [
        ("反渗透净水器", D("2980.00")),
        ("复合滤芯", D("198.50")),
    ]
    assert (quote.total, quote.tax, quote.net) == (D("6069.77"), D("698.29"), D("5371.48"))
    assert quote.effective_discount_pct == D("7.41")
    assert AuditEvent.objects.filter(object_type="sales.quote", subject_id=str(deal.party_id))
    assert make(company, deal, catalogue).number == f"BJ{year}-000002"


def test_prices_are_snapshotted(company, deal, catalogue):
    quote = make(company, deal, catalogue)
    PriceListItem.objects.filter(product=catalogue.purifier, price_list=catalogue.retail).update(
        price=D("3280")
    )
    quote.refresh_from_db()
    assert quote.lines.get(position=0).unit_price == D("2980.00")
    member = quote_update(
        actor=company.rep, quote=quote, lines=lines(catalogue), price_list=catalogue.member
    )
    assert member.lines.get(position=0).unit_price == D("2680.00")  # re-priced on change


def test_bad_lines_and_figures_are_field_errors(company, deal, catalogue):
    with pytest.raises(ValidationError) as bad:
        make(
            company,
            deal,
            catalogue,
            lines=[
                QuoteLineRequest(catalogue.unpriced.pk, 1),
                QuoteLineRequest(catalogue.filter.pk, 0),
                QuoteLineRequest(catalogue.filter.pk, 1, D(120)),
                QuoteLineRequest(999999, 1),
            ],
        )
    problems = bad.value.message_dict["lines"]
    assert problems[0] == "Line 1: 样机 has no price on Retail price."
    assert any(p.startswith("Line 2: the quantity") for p in problems)
    assert any(p.startswith("Line 3: a discount") for p in problems)
    assert any(p.startswith("Line 4: choose a product") for p in problems)
    with pytest.raises(ValidationError) as bad:
        make(company, deal, catalogue, discount_pct=D(101))
    assert "discount_pct" in bad.value.message_dict
    with pytest.raises(ValidationError) as bad:
        make(company, deal, catalogue, valid_until=timezone.localdate() - datetime.timedelta(1))
    assert "valid_until" in bad.value.message_dict
    other = opportunity_create(actor=company.rep, party=PartyFactory(owner=company.rep), title="x")
    with pytest.raises(ValidationError) as bad:
        quote_create(actor=company.rep, party=deal.party, opportunity=other, lines=[])
    assert "opportunity" in bad.value.message_dict
    assert Quote.objects.count() == 0


def test_small_discount_goes_straight_to_ready_then_sent_and_accepted(company, deal, catalogue):
    quote = quote_submit(actor=company.rep, quote=make(company, deal, catalogue))
    assert quote.state == QuoteState.READY  # 4.55 % is under the 10 % threshold
    quote = quote_send(actor=company.rep, quote=quote)
    with pytest.raises(ValidationError, match="while the quote is Sent"):
        quote_update(actor=company.rep, quote=quote, lines=[])  # revised, not edited
    quote = quote_accept(actor=company.rep, quote=quote)
    assert quote.state == QuoteState.ACCEPTED
    assert Opportunity.objects.get(pk=deal.pk).amount == quote.total
    kinds = list(quote.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["created", "ready", "sent", "accepted"]


def test_a_big_discount_waits_for_approval_locked(company, deal, catalogue):
    quote = quote_submit(
        actor=company.rep, quote=make(company, deal, catalogue, lines=lines(catalogue, D(20)))
    )
    assert quote.state == QuoteState.PENDING and quote.effective_discount_pct > 10
    with pytest.raises(ValidationError, match="locked"):
        quote_update(actor=company.rep, quote=quote, lines=lines(catalogue))
    with pytest.raises(ValidationError, match="locked"):
        quote_send(actor=company.rep, quote=quote)
    request = ApprovalRequest.objects.get(subject_type="sales.quote", subject_id=quote.pk)
    assert request.kind == "quote" and quote.reference in request.summary
    approval_decide(actor=company.manager, request=request, approve=True, comment="同意")
    quote.refresh_from_db()
    assert quote.state == QuoteState.READY and quote.approval_comment == "同意"
    approved = quote.events.get(kind="approved")
    assert approved.actor == company.manager and approved.note == "同意"
    assert AuditEvent.objects.filter(
        object_type="sales.quote", object_id=str(quote.pk), actor=company.manager
    ).exists()
    assert quote_send(actor=company.rep, quote=quote).state == QuoteState.SENT


def test_the_threshold_is_the_quote_policy(company, deal, catalogue):
    ApprovalPolicy.objects.create(kind="quote", threshold=D(4))
    quote = quote_submit(actor=company.rep, quote=make(company, deal, catalogue))
    assert quote.state == QuoteState.PENDING  # 4.55 % over 4 %


def test_rejection_returns_it_to_draft_with_the_comment(company, deal, catalogue):
    quote = quote_submit(
        actor=company.rep, quote=make(company, deal, catalogue, lines=lines(catalogue, D(30)))
    )
    request = ApprovalRequest.objects.get(subject_id=quote.pk, subject_type="sales.quote")
    with pytest.raises(ValidationError):
        approval_decide(actor=company.manager, request=request, approve=False)  # needs a reason
    approval_decide(actor=company.manager, request=request, approve=False, comment="折扣太大")
    quote.refresh_from_db()
    assert quote.state == QuoteState.DRAFT and "折扣太大" in quote.approval_comment
    quote = quote_update(actor=company.rep, quote=quote, lines=lines(catalogue))
    assert quote_submit(actor=company.rep, quote=quote).state == QuoteState.READY


def test_editing_a_ready_quote_sends_it_back_to_draft(company, deal, catalogue):
    quote = quote_submit(actor=company.rep, quote=make(company, deal, catalogue))
    quote = quote_update(
        actor=company.rep, quote=quote, lines=lines(catalogue, D(40)), note="含安装"
    )
    assert quote.state == QuoteState.DRAFT
    assert quote_submit(actor=company.rep, quote=quote).state == QuoteState.PENDING


def test_a_sent_quote_is_revised_into_a_new_version(company, deal, catalogue):
    sent = quote_send(
        actor=company.rep,
        quote=quote_submit(actor=company.rep, quote=make(company, deal, catalogue)),
    )
    v2 = quote_revise(actor=company.rep, quote=sent)
    sent.refresh_from_db()
    assert sent.state == QuoteState.SUPERSEDED
    assert (v2.number, v2.version, v2.reference) == (sent.number, 2, f"{sent.number}-V2")
    assert v2.state == QuoteState.DRAFT and v2.total == sent.total
    assert v2.lines.count() == 2 and sent.lines.count() == 2
    with pytest.raises(ValidationError):
        quote_accept(actor=company.rep, quote=sent)
    with pytest.raises(ValidationError):
        quote_revise(actor=company.rep, quote=sent)


def test_decline_needs_a_reason(company, deal, catalogue):
    sent = quote_send(
        actor=company.rep,
        quote=quote_submit(actor=company.rep, quote=make(company, deal, catalogue)),
    )
    with pytest.raises(ValidationError) as bad:
        quote_decline(actor=company.rep, quote=sent, reason=" ")
    assert "reason" in bad.value.message_dict
    declined = quote_decline(actor=company.rep, quote=sent, reason="预算不够")
    assert declined.state == QuoteState.DECLINED and declined.decline_reason == "预算不够"
    assert Opportunity.objects.get(pk=deal.pk).amount == 0


def test_an_expired_quote_cannot_be_accepted(company, deal, catalogue):
    now = timezone.now()
    sent = quote_send(
        actor=company.rep,
        quote=quote_submit(
            actor=company.rep,
            quote=make(company, deal, catalogue, valid_until=timezone.localdate(now)),
        ),
    )
    tomorrow = now + datetime.timedelta(days=1)
    assert sent.is_expired is False
    with pytest.raises(ValidationError, match="expired"):
        quote_accept(actor=company.rep, quote=sent, now=tomorrow)
    assert quotes_expire(now=now) == 0  # valid through its last day
    assert quotes_expire(now=tomorrow) == 1
    assert quotes_expire(now=tomorrow) == 0  # safe to run twice
    sent.refresh_from_db()
    assert sent.state == QuoteState.EXPIRED and sent.is_expired
    assert quote_revise(actor=company.rep, quote=sent, now=tomorrow).state == QuoteState.DRAFT


def test_reps_of_other_teams_neither_see_nor_act(company, deal, catalogue):
    quote = make(company, deal, catalogue)
    assert not Quote.objects.visible_to(company.far_rep).filter(pk=quote.pk).exists()
    assert not Quote.objects.visible_to(company.teammate).filter(pk=quote.pk).exists()
    assert Quote.objects.visible_to(company.manager).filter(pk=quote.pk).exists()
    with pytest.raises(PermissionDenied):
        quote_submit(actor=company.far_rep, quote=quote)
    with pytest.raises(PermissionDenied):
        quote_create(actor=company.far_rep, party=deal.party, lines=lines(catalogue))
    with pytest.raises(PermissionDenied):
        quote_create(actor=company.analyst, party=deal.party, lines=lines(catalogue))


def test_quote_milestones_are_on_the_customer_timeline(company, deal, catalogue):
    quote = quote_submit(actor=company.rep, quote=make(company, deal, catalogue))
    entries = [
        e for e in timeline.timeline_page(deal.party, company.rep)[0] if e.category == "quote"
    ]
    assert [e.title for e in entries] == [
        f"Quote {quote.reference}: Ready to send",
        f"Quote {quote.reference}: Created",
    ]


def test_amounts_too_large_for_the_columns_are_a_field_error(company, deal, catalogue):
    PriceListItem.objects.filter(product=catalogue.purifier).update(price=D("9999999999.99"))
    with pytest.raises(ValidationError) as bad:
        make(company, deal, catalogue, lines=[QuoteLineRequest(catalogue.purifier.pk, 1000)])
    assert bad.value.message_dict["lines"] == ["These amounts are too large for one quote."]


def test_the_editor_shows_the_validity_date_as_iso_in_chinese(company, deal, catalogue):
    from tests.conftest import login

    with translation.override("zh-hans"):
        page = login(company.rep).get(f"/sales/customers/{deal.party_id}/quotes/new/")
    valid = timezone.localdate() + datetime.timedelta(days=30)
    assert f'value="{valid.isoformat()}"' in page.content.decode()
