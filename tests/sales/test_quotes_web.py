"""The quote pages: the editor without JavaScript (add, remove, errors beside the line),
the detail's actions, approval through the inbox, the PDF, and other teams kept out."""

from decimal import Decimal

import pytest
from django.utils import translation

from guanxi.sales.choices import QuoteState
from guanxi.sales.models import ApprovalRequest, Quote
from guanxi.sales.services.opportunities import opportunity_create
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create
from tests.conftest import login
from tests.factories import PartyFactory
from tests.sales.quotes_support import pdf_text


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def deal(company):
    party = PartyFactory(name="上海康泰贸易", owner=company.rep)
    return opportunity_create(actor=company.rep, party=party, title="净水器换新")


def form(catalogue, deal, rows, **extra):
    data = {
        "price_list": catalogue.retail.pk,
        "opportunity": deal.pk,
        "discount_pct": "0",
        "tax_rate": "13",
        "valid_until": "2099-12-31",
        "note": "含上门安装",
        "product": [r[0] for r in rows],
        "quantity": [r[1] for r in rows],
        "line_discount": [r[2] for r in rows],
    }
    return {**data, **extra}


def test_the_editor_adds_and_removes_lines_and_saves(company, deal, catalogue):
    rep = login(company.rep)
    url = f"/sales/customers/{deal.party_id}/quotes/new/?opportunity={deal.pk}"
    page = rep.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "反渗透净水器" in page.content.decode()
    rows = [(catalogue.purifier.pk, "2", "5")]
    added = rep.post(url, form(catalogue, deal, rows, add_line="1"))
    assert added.content.decode().count('name="quantity"') == 2
    two = [(catalogue.purifier.pk, "2", "5"), (catalogue.filter.pk, "3", "")]
    removed = rep.post(url, form(catalogue, deal, two, remove_line="0"))
    assert removed.content.decode().count('name="quantity"') == 1
    preview = rep.post(url, form(catalogue, deal, two, preview="1"), HTTP_ACCEPT_LANGUAGE="en")
    assert "6,257.50" in preview.content.decode()  # totals before saving
    assert Quote.objects.count() == 0
    saved = rep.post(url, form(catalogue, deal, two, save="1"))
    quote = Quote.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/sales/quotes/{quote.pk}/"
    assert quote.opportunity == deal and quote.total == Decimal("6257.50")
    assert quote.note == "含上门安装"


def test_bad_rows_answer_422_with_the_message_beside_the_line(company, deal, catalogue):
    rep = login(company.rep)
    url = f"/sales/customers/{deal.party_id}/quotes/new/"
    bad = rep.post(
        url,
        form(catalogue, deal, [(catalogue.purifier.pk, "0", "150")], save="1"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = bad.content.decode()
    assert bad.status_code == 422 and "greater than or equal to 1" in body
    assert "less than or equal to 100" in body
    unpriced = rep.post(
        url,
        form(catalogue, deal, [(catalogue.unpriced.pk, "1", "")], save="1"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unpriced.status_code == 422
    assert "Line 1: 样机 has no price on Retail price." in unpriced.content.decode()
    assert Quote.objects.count() == 0


def big_quote(company, deal, catalogue) -> Quote:
    return quote_create(
        actor=company.rep,
        party=deal.party,
        opportunity=deal,
        lines=[QuoteLineRequest(catalogue.purifier.pk, 10, Decimal(25))],
    )


def test_approval_then_send_accept_and_the_pdf(company, deal, catalogue):
    quote = big_quote(company, deal, catalogue)
    rep = login(company.rep)
    rep.post(f"/sales/quotes/{quote.pk}/submit/")
    quote.refresh_from_db()
    assert quote.state == QuoteState.PENDING
    page = rep.get(f"/sales/quotes/{quote.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for approval" in page and "Edit</a>" not in page
    request = ApprovalRequest.objects.get(subject_id=quote.pk, subject_type="sales.quote")
    manager = login(company.manager)
    inbox = manager.get("/sales/approvals/").content.decode()
    assert quote.reference in inbox and f"/sales/quotes/{quote.pk}/" in inbox
    assert manager.get(f"/sales/quotes/{quote.pk}/").status_code == 200  # to read it first
    manager.post("/sales/approvals/", {"request": request.pk, "decision": "approve"})
    quote.refresh_from_db()
    assert quote.state == QuoteState.READY
    rep.post(f"/sales/quotes/{quote.pk}/send/")
    rep.post(f"/sales/quotes/{quote.pk}/accept/", {"set_amount": "on"})
    quote.refresh_from_db()
    deal.refresh_from_db()
    assert quote.state == QuoteState.ACCEPTED and deal.amount == quote.total == Decimal("22350")
    pdf = rep.get(f"/sales/quotes/{quote.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "上海康泰贸易" in text and quote.reference in text
    assert "报价单" in text and "含税" in text  # Chinese whatever the user's language
    assert "草稿" not in text  # a draft says so; an accepted quote does not
    assert "Quotation" in pdf_text(rep.get(f"/sales/quotes/{quote.pk}/pdf/?lang=en").content)


def test_rejection_shows_the_comment_on_the_draft(company, deal, catalogue):
    quote = big_quote(company, deal, catalogue)
    login(company.rep).post(f"/sales/quotes/{quote.pk}/submit/")
    request = ApprovalRequest.objects.get(subject_id=quote.pk, subject_type="sales.quote")
    login(company.manager).post(
        "/sales/approvals/", {"request": request.pk, "decision": "reject", "comment": "最多八折"}
    )
    page = login(company.rep).get(f"/sales/quotes/{quote.pk}/").content.decode()
    assert "最多八折" in page and 'id="approval-comment"' in page


def test_other_teams_get_404_everywhere(company, deal, catalogue):
    quote = big_quote(company, deal, catalogue)
    far = login(company.far_rep)
    for url in (f"/sales/quotes/{quote.pk}/", f"/sales/quotes/{quote.pk}/pdf/"):
        assert far.get(url).status_code == 404
    assert far.post(f"/sales/quotes/{quote.pk}/submit/").status_code == 404
    assert far.get(f"/sales/customers/{deal.party_id}/quotes/new/").status_code == 404
    assert quote.reference not in far.get("/sales/quotes/").content.decode()
    assert quote.reference in login(company.manager).get("/sales/quotes/").content.decode()
    quote.refresh_from_db()
    assert quote.state == QuoteState.DRAFT


def test_the_list_filters_by_state_and_the_panel_links(company, deal, catalogue):
    quote = big_quote(company, deal, catalogue)
    rep = login(company.rep)
    assert quote.reference in rep.get("/sales/quotes/?state=draft").content.decode()
    assert quote.reference not in rep.get("/sales/quotes/?state=sent").content.decode()
    panel = rep.get(f"/customers/{deal.party_id}/").content.decode()
    assert f"/sales/quotes/{quote.pk}/" in panel
    assert f"quotes/new/?opportunity={deal.pk}" in panel


def test_list_queries_do_not_grow_with_quotes(company, deal, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import api_client

    def counts():
        with CaptureQueriesContext(connection) as page:
            login(company.rep).get("/sales/quotes/")
        with CaptureQueriesContext(connection) as api:
            api_client(company.rep).get("/api/v1/quotes")
        return len(page), len(api)

    big_quote(company, deal, catalogue)
    few = counts()
    for _ in range(15):
        big_quote(company, deal, catalogue)
    assert counts() == few


def test_a_draft_pdf_says_it_is_a_draft_and_escapes_names(company, catalogue):
    party = PartyFactory(name="<b>华润&康泰</b>", owner=company.rep)
    quote = quote_create(
        actor=company.rep, party=party, lines=[QuoteLineRequest(catalogue.filter.pk, 1)]
    )
    text = pdf_text(login(company.rep).get(f"/sales/quotes/{quote.pk}/pdf/").content)
    assert "草稿：" in text and "<b>华润&康泰</b>" in text
