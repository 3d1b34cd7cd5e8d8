"""Lead scoring in headless Chromium against the demo server: a rep sorts the leads by
score and opens the best one's factors."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def test_a_rep_sorts_leads_by_score_and_reads_the_factors(page, live_url):
    log_in(page, live_url, "rep")
    page.goto(f"{live_url}/sales/leads/")
    page.click("text=评分最高优先")
    badges = page.locator("#leads .lead-score summary .badge")
    expect(badges.first).to_be_visible()
    scores = [int(text) for text in badges.all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and 0 <= scores[-1] <= scores[0] <= 100
    page.locator("#leads .lead-score summary").first.click()
    factors = page.locator("#leads .lead-score[open] li")
    expect(factors.first).to_be_visible()
    expect(factors.first).to_contain_text("：")  # worded in Chinese, field：value
    expect(factors.first).to_contain_text("赢单机会 ×")
    shot(page, "sales-lead-scores")
