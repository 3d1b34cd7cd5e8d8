"""The staff menu in headless Chromium against the demo server: one line at 1280 px for
every demo role, every entry a role sees answers 200, groups open by click and keyboard
(Escape closes) and without JavaScript, and the phone layout folds them behind ☰."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_menu, shot

pytestmark = pytest.mark.browser

ROLES = ["admin", "manager", "rep", "agent", "marketer", "analyst"]
# What today's rules give each role beyond what every staff member sees (core/menu.py).
ONLY = {
    "/organisation/": {"admin", "manager"},
    "/customers/imports/": {"admin", "manager", "marketer"},
    "/network/runs/": {"admin"},
    "/sales/team/day/": {"admin", "manager"},
    "/commerce/fulfilment/": {"admin", "manager"},
    "/sales/pool/": {"admin", "manager", "rep"},
}


@pytest.mark.parametrize("username", ROLES)
def test_each_roles_menu_fits_one_line_and_every_entry_opens(page, live_url, username):
    log_in(page, live_url, username)
    page.goto(f"{live_url}/customers/")
    rows = page.eval_on_selector_all(
        ".topbar > a.brand, .mainnav > *, .topbar-right",
        "els => els.map(e => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom])",
    )
    # One line: every item overlaps every other vertically, and the bar stays one row high.
    one_line = max(top for top, _ in rows) < min(bottom for _, bottom in rows)
    header = page.locator("header.topbar").bounding_box()
    assert one_line and header["height"] < 70, f"{username}'s menu wraps: {rows}"
    hrefs = page.eval_on_selector_all(".mainnav a", "els => els.map(e => e.getAttribute('href'))")
    assert "/customers/" in hrefs and "/service/requests/" in hrefs
    for href, roles in ONLY.items():
        assert (href in hrefs) == (username in roles), f"{username} and {href}"
    for href in hrefs:
        assert page.request.get(f"{live_url}{href}").status == 200, f"{username}: {href}"


def test_groups_open_on_click_and_keyboard_and_mark_the_current_page(page, live_url):
    log_in(page, live_url, "manager")
    sales = page.locator(".mainnav details[data-group=sales]")
    customers = page.locator(".mainnav details[data-group=customers]")
    expect(customers).to_have_class("navgroup active")  # the follow-ups page is a customers one
    sales.locator("summary").click()
    expect(sales.locator(".navmenu")).to_be_visible()
    shot(page, "menu-manager-open")
    customers.locator("summary").click()
    expect(customers.locator(".navmenu")).to_be_visible()
    expect(sales.locator(".navmenu")).to_be_hidden()  # one group open at a time
    page.keyboard.press("Escape")
    expect(customers.locator(".navmenu")).to_be_hidden()
    expect(customers.locator("summary")).to_be_focused()
    page.keyboard.press("Tab")  # to the sales group: the summary takes the focus
    expect(sales.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(sales.locator(".navmenu")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # its first entry
    page.wait_for_url(f"{live_url}/sales/leads/")
    expect(sales).to_have_class("navgroup active")
    expect(sales.locator("a[aria-current=page]")).to_have_text("线索")


def test_the_menu_works_without_javascript(browser, live_url):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_url}/login/")
    page.fill("#id_username", "rep")
    page.fill("#id_password", "guanxi-demo-2026")
    page.click("main button[type=submit]")  # the language form's <noscript> button comes first
    page.wait_for_url(f"{live_url}/customers/follow-ups/")
    open_menu(page, "sales", "跟进任务")
    page.wait_for_url(f"{live_url}/sales/tasks/")
    expect(page.locator(".mainnav details[data-group=sales] summary .badge")).to_be_visible()
    context.close()


def test_the_phone_folds_the_groups_behind_the_menu_button(browser, live_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 760}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = context.new_page()
    log_in(phone, live_url, "rep")
    expect(phone.locator(".mainnav")).to_be_hidden()
    expect(phone.locator(".nav-toggle-label .badge")).to_be_visible()  # tasks due today
    phone.click(".nav-toggle-label")
    open_menu(phone, "sales", "跟进任务")
    phone.wait_for_url(f"{live_url}/sales/tasks/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "menu-phone")
    context.close()
