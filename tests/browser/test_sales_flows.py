"""Sales in headless Chromium against the demo server: a rep claims a record from the
pool, opens a deal on it, drags the deal across the board and asks for a discount above
the threshold; the manager approves it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def test_claim_deal_board_discount_and_the_managers_approval(page, live_url):
    log_in(page, live_url, "rep")
    page.goto(f"{live_url}/sales/pool/")
    expect(page.locator("#pool tbody tr").first).to_be_visible()
    shot(page, "sales-pool")
    name = page.locator("#pool tbody tr td").first.inner_text()
    page.locator("#pool tbody tr").first.locator("button").click()
    expect(page.locator("h1")).to_contain_text(name)
    page.click("#sales-panel summary")
    page.fill("#sales-panel input[name=title]", "浏览器测试商机")
    page.fill("#sales-panel input[name=amount]", "6800")
    page.click("#sales-panel button")
    expect(page.locator("#sales-panel")).to_contain_text("浏览器测试商机")
    page.goto(f"{live_url}/sales/board/")
    card = page.locator(".board-card", has_text="浏览器测试商机")
    expect(page.locator(".board-col").nth(0)).to_contain_text("浏览器测试商机")
    card.drag_to(page.locator(".board-col").nth(2))
    expect(page.locator(".board-col").nth(2)).to_contain_text("浏览器测试商机")
    shot(page, "sales-board")
    page.reload()  # stored, not only drawn
    expect(page.locator(".board-col").nth(2)).to_contain_text("浏览器测试商机")
    page.goto(f"{live_url}/sales/claims/")
    expect(page.locator("#claims")).to_contain_text(name)
    page.click(f"#claims a:has-text('{name}')")
    deal = page.locator("#sales-panel li", has_text="浏览器测试商机")
    deal.locator("input[name=percent]").fill("15")
    deal.locator(".discount-form button").click()
    expect(page.locator(".messages")).to_contain_text("折扣已提交审批")
    page.context.clear_cookies()
    log_in(page, live_url, "manager")
    page.click(".mainnav >> text=审批")
    expect(page.locator("#inbox")).to_contain_text("浏览器测试商机")
    shot(page, "sales-approvals")
    page.locator("#inbox button", has_text="批准").first.click()
    expect(page.locator("#inbox")).to_contain_text("没有待您审批的申请")


def test_a_crowded_board_column_shows_its_largest_deals_and_more_on_request(page, live_url):
    log_in(page, live_url, "rep")
    page.goto(f"{live_url}/sales/board/")
    page.select_option("select[name=pipeline]", label="社区团购")
    first = page.locator(".board-col").nth(0)
    expect(first).to_contain_text("36")  # the column's count covers every deal
    expect(first.locator(".board-card")).to_have_count(30)
    first.locator(".board-more a").click()
    expect(first.locator(".board-card")).to_have_count(36)
    expect(first.locator(".board-more")).to_have_count(0)
    shot(page, "sales-board-more")
