"""A contract from an accepted quote in headless Chromium against the demo server: the
manager records that the customer accepted a sent quote, draws up the contract from the
quote page (amount and terms from the quote) with a one-instalment plan, and follows the
links between the contract and the quote both ways."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def test_contract_drawn_up_from_an_accepted_quote(page, live_url):
    log_in(page, live_url, "manager")
    page.goto(f"{live_url}/sales/quotes/?state=sent")
    page.locator("#quotes tbody tr td a").first.click()
    reference = page.locator("h1").inner_text().split()[1]
    page.click("#quote-actions button:has-text('客户已接受')")
    expect(page.locator("#quote-state")).to_have_text("已接受")
    page.click("#quote-contract")
    expect(page.locator("#contract-source")).to_contain_text(reference)
    total = page.locator("#id_amount").input_value()
    expect(page.locator("#id_terms")).to_contain_text(f"报价单 {reference}（含税）")
    page.fill(
        "#id_plan-0-due_on", (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    )
    page.fill("#id_plan-0-amount", total)
    shot(page, "contract-from-quote")
    page.click("#contract-form button.primary")
    expect(page.locator(".messages")).to_contain_text("已起草")
    expect(page.locator("#contract-status")).to_have_text("草稿")
    number = page.locator("h1").inner_text().split()[0]
    page.click("#contract-quote")
    expect(page.locator("#quote-contracts")).to_contain_text(number)
    expect(page.locator("#quote-contract")).to_have_count(0)  # once per quote
