"""User flows in headless Chromium against the demo server."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def test_rep_finds_a_customer_by_initials_opens_360_and_logs_a_call(page, live_url):
    log_in(page, live_url, "rep")
    # Add a customer the rep will look for.
    page.goto(f"{live_url}/customers/new/")
    page.fill("#id_name", "欧阳娜娜")
    page.fill("#id_mobile", "139 8765 4321")
    page.fill("#id_province", "上海市")
    page.fill("#id_city", "上海市")
    page.fill("#id_district", "浦东新区")
    page.fill("#id_address", "世纪大道 100 号")
    page.click("#party-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("欧阳娜娜")

    page.goto(f"{live_url}/customers/")
    page.fill("#id_q", "oynn")  # pinyin initials; htmx updates the list as one types
    expect(page.locator("#results tbody tr")).to_have_count(1)
    result = page.locator("#results a", has_text="欧阳娜娜")
    expect(result).to_be_visible()
    shot(page, "customer-search")
    result.click()

    expect(page.locator("h1")).to_contain_text("欧阳娜娜")
    page.select_option("#id_kind", "call")
    page.select_option("#id_outcome", "interested")
    page.fill("#id_subject", "介绍新品")
    page.fill("#id_body", "客户对新品感兴趣，下周再联系")
    page.click("#log-form button[type=submit]")
    expect(page.locator("ol.timeline")).to_contain_text("介绍新品")
    expect(page.locator("ol.timeline")).to_contain_text("客户对新品感兴趣")
    shot(page, "customer-360")

    page.click("nav.tabs >> text=变更历史")
    expect(page.locator("#tab-body table.history")).to_contain_text("+8613987654321")


def test_duplicate_warning_in_the_browser(page, live_url):
    log_in(page, live_url, "rep2")
    page.goto(f"{live_url}/customers/new/")
    page.fill("#id_name", "欧阳某")
    page.fill("#id_mobile", "13987654321")
    page.click("#party-form button[type=submit]")
    expect(page.locator(".duplicates")).to_contain_text("欧阳娜娜")
    expect(page.locator(".duplicates")).to_contain_text("李销售")
    shot(page, "duplicate-warning")


def test_language_switch_and_phone_layout(phone, live_url):
    log_in(phone, live_url, "manager")
    phone.goto(f"{live_url}/customers/")
    expect(phone.locator("h1")).to_have_text("客户")
    shot(phone, "phone-customers-zh")
    phone.select_option("select[name=language]", "en")
    expect(phone.locator("h1")).to_have_text("Customers")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "the list must not scroll sideways on a phone"
    shot(phone, "phone-customers-en")
    phone.select_option("select[name=language]", "zh-hans")
    expect(phone.locator("h1")).to_have_text("客户")


def test_follow_ups_page_and_transfer_form(page, live_url):
    log_in(page, live_url, "manager")
    expect(page.locator("h1")).to_contain_text(re.compile("跟进"))
    shot(page, "follow-ups")
    page.goto(f"{live_url}/customers/transfer/")
    expect(page.locator("h1")).to_contain_text("转移")


def test_marketer_imports_a_list_and_manager_merges_a_duplicate(page, live_url, tmp_path):
    path = tmp_path / "展会名单.csv"
    path.write_bytes(
        (
            "姓名,手机,邮箱,省份,城市,详细地址\n"
            "林晓红,13712345001,lxh@163.com,广东省,深圳市,科技园路8号2栋301\n"
            "林曉紅,137-1234-5001,,,,\n"
            "郑大伟,12345,,,,\n"
        ).encode("gb18030")
    )
    log_in(page, live_url, "marketer")
    page.goto(f"{live_url}/customers/imports/new/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_source_name", "深圳展会")
    page.click("form button.primary")
    expect(page.locator("table.preview")).to_contain_text("林曉紅")
    expect(page.locator("table.preview")).to_contain_text("不是有效的电话号码")
    shot(page, "import-mapping")
    page.click("button[name=run]")
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("新建客户 1 位", timeout=30_000)
    expect(progress).to_contain_text("1 行匹配到已有客户")
    expect(progress).to_contain_text("1 行有错误")
    shot(page, "import-done")

    page.context.clear_cookies()
    log_in(page, live_url, "manager")
    page.goto(f"{live_url}/customers/review/")
    page.locator("a.button", has_text="比较").first.click()
    expect(page.locator("table.compare")).to_be_visible()
    shot(page, "duplicate-compare")
    page.click("button[value=merge]")
    expect(page.locator(".messages")).to_contain_text("已合并")
    shot(page, "after-merge")


def test_manager_expands_the_genealogy_and_opens_a_statement(page, live_url):
    log_in(page, live_url, "admin")
    page.goto(f"{live_url}/network/")
    expect(page.locator("#results tbody tr")).to_have_count(5)  # the five roots
    page.click("#results a:text('GX100001')")
    expect(page.locator("h1")).to_contain_text("GX100001")
    tree = page.locator("section.card ul.tree").first
    first = tree.locator(":scope > li:has(button.expand)").first
    first.locator("button.expand").click()  # loads the recruits of the first child
    expect(first.locator(".branch ul.tree > li").first).to_be_visible()
    shot(page, "network-tree")
    page.click("text=奖金明细 >> xpath=.. >> table a >> nth=0")
    expect(page.locator("h1")).to_contain_text("奖金明细")
    expect(page.locator("body")).not_to_contain_text("明细合计不符")
    shot(page, "network-statement")
    page.goto(f"{live_url}/network/health/")
    expect(page.locator("svg.chart")).to_be_visible()
    shot(page, "network-health")


def test_a_distributor_sees_the_back_office(page, live_url):
    page.goto(f"{live_url}/login/")
    page.fill("#id_username", "ibo")
    page.fill("#id_password", "guanxi-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/portal/")  # distributors land in the member centre
    page.click(".tabbar >> text=我的事业")
    expect(page.locator("h1")).to_contain_text("GX100002")
    shot(page, "network-back-office")
