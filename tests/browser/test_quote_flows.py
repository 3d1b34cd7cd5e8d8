"""Quotes in headless Chromium against the demo server: a rep builds a quote from a deal
with a big discount (adding a line with htmx) and finishes it; it waits for approval; the
manager approves it in the inbox; the rep downloads the PDF, in Chinese."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot
from tests.sales.quotes_support import pdf_text

pytestmark = pytest.mark.browser


def test_big_discount_quote_is_approved_and_downloaded(page, live_url):
    log_in(page, live_url, "rep")
    page.goto(f"{live_url}/sales/opportunities/?state=open")
    # the rep's own deal (a customer shared with them read-only would offer no quote)
    page.locator("#deals tbody tr", has_text="李销售").first.locator("td a").first.click()
    customer = page.locator("h1").inner_text().split()[0]
    page.locator("#quotes-panel a", has_text="报价").first.click()
    expect(page.locator("h1")).to_contain_text("新建报价单")
    row = page.locator("tr.quote-line").nth(0)
    row.locator("select[name=product]").select_option(index=1)
    row.locator("input[name=quantity]").fill("3")
    row.locator("input[name=line_discount]").fill("30")
    page.click("button[name=add_line]")  # htmx swaps in the lines with one more row
    expect(page.locator("tr.quote-line")).to_have_count(2)
    expect(page.locator("tr.quote-line").nth(0).locator("input[name=line_discount]")).to_have_value(
        "30"
    )
    second = page.locator("tr.quote-line").nth(1)
    second.locator("select[name=product]").select_option(index=2)
    second.locator("input[name=quantity]").fill("1")
    page.click("button[name=preview]")
    prices = [
        Decimal(
            re.search(r"¥([\d,.]+)", row.locator("option:checked").inner_text())
            .group(1)
            .replace(",", "")
        )
        for row in page.locator("tr.quote-line").all()
    ]
    at_list = prices[0] * 3 + prices[1]  # the totals of both lines, once htmx has swapped
    shown = re.escape(f"{at_list:,.2f}").replace(",", ",?")  # grouping depends on the locale
    expect(page.locator("#quote-preview")).to_contain_text(re.compile(shown))
    shot(page, "quote-editor")
    page.click("button[name=save]")
    expect(page.locator("#quote-state")).to_have_text("草稿")
    reference = re.search(r"BJ\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    quote_url = page.url
    page.click("#quote-actions button:has-text('完成报价')")
    expect(page.locator("#quote-state")).to_have_text("审批中")
    expect(page.locator("#quote-actions")).to_contain_text("报价单已锁定")
    page.context.clear_cookies()
    log_in(page, live_url, "manager")
    page.click(".mainnav >> text=审批")
    item = page.locator("#inbox .row", has_text=reference)
    expect(item).to_be_visible()
    shot(page, "quote-approval")
    item.locator("input[name=comment]").fill("同意")
    item.locator("button", has_text="批准").click()
    expect(page.locator("#inbox")).not_to_contain_text(reference)
    page.context.clear_cookies()
    log_in(page, live_url, "rep")
    page.goto(quote_url)
    expect(page.locator("#quote-state")).to_have_text("待发送")
    expect(page.locator("#approval-comment")).to_contain_text("同意")
    shot(page, "quote-detail")
    with page.expect_download() as download:
        page.click("#quote-pdf")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert customer in text and reference in text and "报价单" in text
