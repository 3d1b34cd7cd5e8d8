"""Follow-up discipline in headless Chromium against the demo server: a rep completes an
overdue follow-up task and writes a daily report; the manager sees both on the team's
day and comments on the report; the rep reads the comment."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def test_rep_completes_a_task_and_reports_the_manager_sees_it_and_comments(page, live_url):
    log_in(page, live_url, "rep")
    page.click(".mainnav >> text=跟进任务")
    overdue = page.locator("#overdue li.task").first
    expect(overdue).to_be_visible()
    title = overdue.locator(".strong").first.inner_text()
    shot(page, "followup-tasks")
    overdue.locator("input[name=outcome]").fill("客户同意周六上门演示")
    overdue.locator("button.primary").click()
    expect(page.locator(".messages")).to_contain_text(f"已完成：{title}")
    expect(page.locator("#closed")).to_contain_text("客户同意周六上门演示")
    page.goto(f"{live_url}/sales/work-reports/")
    expect(page.locator("#write .facts")).to_contain_text("完成任务 1")
    page.fill("#report-form textarea[name=done]", "浏览器测试日报：回访 1 位客户，已约上门演示。")
    page.fill("#report-form textarea[name=plan]", "周六上门演示净水器。")
    page.click("#report-form button[value=submit]")
    expect(page.locator(".messages")).to_contain_text("报告已提交")
    page.context.clear_cookies()
    log_in(page, live_url, "manager")
    page.click(".mainnav >> text=团队日视图")
    row = page.locator("#team-day tbody tr", has_text="李销售")
    expect(row).to_contain_text("已提交")
    shot(page, "followup-team-day")
    row.locator("a").first.click()
    expect(page.locator("#detail")).to_contain_text(title)
    page.click("text=团队日报")
    report = page.locator("#team-reports tr", has_text="李销售")
    report.locator("a", has_text="浏览器测试日报").click()
    page.fill("#comment-form textarea[name=body]", "很好，演示后把反馈写进周报。")
    page.click("#comment-form button")
    expect(page.locator("#comments")).to_contain_text("很好，演示后把反馈写进周报。")
    shot(page, "followup-report")
    report_url = page.url
    page.context.clear_cookies()
    log_in(page, live_url, "rep")
    page.goto(report_url)
    expect(page.locator("#comments")).to_contain_text("王经理")
