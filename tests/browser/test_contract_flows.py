"""Contracts in headless Chromium against the demo server: a rep draws up a contract from
a won deal with a three-instalment plan, the manager approves it, a collection is recorded
and the plan shows the first instalment paid and the second part paid."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser
DEAL = "企业团购蛋白粉（待签合同）"  # a won deal of the rep's in the demo, ¥52,000


def test_contract_from_a_won_deal_approval_and_a_collection(page, live_url):
    log_in(page, live_url, "rep")
    page.goto(f"{live_url}/sales/contracts/")
    page.locator("#won-deals li", has_text=DEAL).locator("a[href*='/contract/']").click()
    expect(page.locator("#id_amount")).to_have_value("52000.00")
    today = datetime.date.today()
    for n, (days, amount) in enumerate([(-40, "20000"), (-10, "20000"), (50, "12000")]):
        page.fill(f"#id_plan-{n}-due_on", (today + datetime.timedelta(days=days)).isoformat())
        page.fill(f"#id_plan-{n}-amount", amount)
    shot(page, "contract-new")
    page.click("#contract-form button.primary")
    expect(page.locator("h1")).to_contain_text(DEAL)
    number = page.locator("h1").inner_text().split()[0]
    contract_url = page.url
    expect(page.locator("#plan-table tbody tr")).to_have_count(3)
    page.click("#submit-contract")
    expect(page.locator(".messages")).to_contain_text("已提交审批")
    expect(page.locator("#contract-status")).to_have_text("待审批")

    page.context.clear_cookies()
    log_in(page, live_url, "manager")
    page.click(".mainnav >> text=审批")
    row = page.locator("#inbox .row", has_text=number)
    expect(row).to_be_visible()
    row.locator("button", has_text="批准").click()
    expect(page.locator(".messages")).to_contain_text("审批意见已保存")

    page.context.clear_cookies()
    log_in(page, live_url, "rep")
    page.goto(contract_url)
    expect(page.locator("#contract-status")).to_have_text("履行中")
    page.fill("#collection-form #id_amount", "25000")
    page.select_option("#collection-form #id_method", "wechat_pay")
    page.fill("#collection-form #id_reference", "微信支付 4200001")
    page.click("#collection-form button.primary")
    expect(page.locator(".messages")).to_contain_text("回款已登记")
    rows = page.locator("#plan-table tbody tr")
    expect(rows.nth(0)).to_contain_text("已付清")
    expect(rows.nth(1)).to_contain_text("部分回款")
    expect(rows.nth(2)).to_contain_text("未回款")
    expect(page.locator("#collections")).to_contain_text("微信支付 4200001")
    shot(page, "contract-collected")
    page.goto(f"{live_url}/sales/targets/")
    expect(page.locator("#rep-targets")).to_contain_text("李销售")
    expect(page.locator("#rep-targets tbody tr")).to_have_count(1)  # a rep sees their own
    shot(page, "contract-targets-rep")
    page.goto(f"{live_url}/sales/receivables/overdue/")
    expect(page.locator("#overdue")).to_contain_text(number)  # the second, part paid
    shot(page, "contract-overdue")
