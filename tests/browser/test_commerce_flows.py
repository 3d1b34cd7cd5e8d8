"""Commerce and the member centre in headless Chromium against the demo server: a
consumer orders, tracks and redeems points on a phone; an IBO opens a course and sees
their team; a call-centre agent takes an order and the warehouse ships it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def portal_log_in(page, base: str, mobile: str) -> None:
    page.goto(f"{base}/portal/login/")
    page.fill("#id_mobile", mobile)
    page.fill("#id_password", "guanxi-demo-2026")
    page.click("button.primary")
    page.wait_for_url(f"{base}/portal/")


def test_a_consumer_orders_tracks_and_redeems_points(phone, live_url):
    page = phone
    portal_log_in(page, live_url, "13800138000")
    expect(page.locator(".product-card").first).to_be_visible()
    shot(page, "portal-shop")
    page.click(".product-card >> text=灵芝孢子粉胶囊")
    expect(page.locator("h1")).to_contain_text("灵芝孢子粉胶囊")
    expect(page.locator(".price").first).to_contain_text("358")  # the member price
    shot(page, "portal-product")
    page.click("text=加入购物车")
    page.click(".cart-link")
    expect(page.locator("h1")).to_contain_text("购物车")
    shot(page, "portal-cart")
    page.click("button[name=pay][value=now]")
    expect(page.locator("h1")).to_contain_text("订单")
    expect(page.locator("#tracking li.done")).to_have_count(2)  # received and paid
    shot(page, "portal-order")

    page.click(".tabbar >> text=积分")
    before = int(page.locator("#balance").inner_text())
    assert before >= 900
    page.click("summary:has-text('不锈钢保温杯')")
    page.click("details[open] button.primary")
    expect(page.locator("body")).to_contain_text("兑换成功")
    page.click(".tabbar >> text=积分")
    expect(page.locator("#balance")).to_have_text(str(before - 900))
    shot(page, "portal-points")
    page.click(".tabbar >> text=订单")
    expect(page.locator(".block-link").first).to_contain_text("积分")


def test_an_ibo_opens_a_course_and_sees_their_team(phone, live_url):
    page = phone
    portal_log_in(page, live_url, "ibo")
    page.click(".tabbar >> text=培训")
    page.click("text=直销员入门：法规与职业道德")
    page.click("button:has-text('报名')")
    expect(page.locator("body")).to_contain_text("报名成功")
    page.click("ol.steps a >> nth=0")
    expect(page.locator("h1")).to_contain_text("什么是合法直销")
    shot(page, "portal-lesson")
    page.click("text=学完了，下一课")
    expect(page.locator("h1")).to_contain_text("直销员的义务")
    page.click(".tabbar >> text=我的事业")
    expect(page.locator("#team tbody tr").first).to_be_visible()
    shot(page, "portal-business")


def test_an_agent_takes_a_phone_order_and_the_warehouse_ships_it(page, live_url):
    log_in(page, live_url, "agent")
    page.goto(f"{live_url}/commerce/orders/new/")
    page.fill("input[name=q]", "13800138000")
    page.click("#found a >> text=林小雨")
    page.select_option("#id_lines-0-product", label="深海鱼油软胶囊")
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_response_code", "TV2611")
    page.fill("#id_ship_to_phone", "13800138000")
    page.fill("#id_ship_to_address", "徐汇区漕溪北路88号")
    shot(page, "order-entry")
    page.click("button:has-text('保存订单')")
    expect(page.locator("h1")).to_contain_text("订单")
    page.fill("input[name=reference]", "WX-20261123")
    page.click("button:has-text('登记付款')")
    expect(page.locator("h1 .badge")).to_contain_text("已付款")
    shot(page, "order-detail")
    page.context.clear_cookies()
    log_in(page, live_url, "manager")
    page.goto(f"{live_url}/commerce/fulfilment/")
    expect(page.locator(".board-col").first).to_contain_text("林小雨")
    shot(page, "fulfilment-board")
    page.goto(f"{live_url}/commerce/returns/")
    expect(page.locator("table")).to_contain_text("已逾期")
    shot(page, "returns-queue")
