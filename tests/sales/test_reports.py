"""Funnel and forecast arithmetic on a worked example (known answers)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from guanxi.sales.reports import (
    age_band,
    forecast,
    funnel,
    outcomes,
    win_rates,
    win_rates_by_age,
)
from guanxi.sales.services.opportunities import (
    opportunity_close,
    opportunity_create,
    opportunity_move,
    pipeline_default,
)
from tests.factories import PartyFactory

T0 = timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 0))
DAY = datetime.timedelta(days=1)


@pytest.fixture
def deals(company):
    """Four deals in the standard pipeline (10/30/60/80 %):
    A 1,000 closes Nov, moved to stage 2 after 2 days, then to stage 3 after 4 more → open
    B 2,000 closes Nov, moved to stage 2 after 4 days → won 2 days later
    C 3,000 closes Dec, stays in stage 1 → lost after 10 days (价格太高, 安利)
    D 4,000 closes Dec, stays in stage 1 → open
    """
    pipeline = pipeline_default()
    s = list(pipeline.stages.order_by("position"))
    made = {}
    for key, amount, close in (
        ("A", 1000, "2026-11-20"),
        ("B", 2000, "2026-11-25"),
        ("C", 3000, "2026-12-05"),
        ("D", 4000, "2026-12-15"),
    ):
        made[key] = opportunity_create(
            actor=company.rep,
            party=PartyFactory(owner=company.rep),
            title=key,
            amount=Decimal(amount),
            expected_close=datetime.date.fromisoformat(close),
            now=T0,
            competitors="安利" if key == "C" else "",
        )
    opportunity_move(actor=company.rep, opportunity=made["A"], stage=s[1], now=T0 + 2 * DAY)
    opportunity_move(actor=company.rep, opportunity=made["A"], stage=s[2], now=T0 + 6 * DAY)
    opportunity_move(actor=company.rep, opportunity=made["B"], stage=s[1], now=T0 + 4 * DAY)
    opportunity_close(actor=company.rep, opportunity=made["B"], won=True, now=T0 + 6 * DAY)
    opportunity_close(
        actor=company.rep, opportunity=made["C"], won=False, reason="价格太高", now=T0 + 10 * DAY
    )
    return pipeline, s


def test_the_funnel_counts_reach_conversion_and_days(company, deals):
    pipeline, s = deals
    rows = funnel(user=company.rep, pipeline=pipeline)
    assert [r.reached for r in rows] == [4, 2, 1, 0]
    assert [r.to_next for r in rows] == [0.5, 0.5, 0.0, None]
    # stage 1: A 2 days, B 4 days, C 10 days (closed from it); D still there
    assert rows[0].mean_days == pytest.approx((2 + 4 + 10) / 3)
    assert rows[1].mean_days == pytest.approx((4 + 2) / 2)  # A 4 days, B 2 days (won)
    assert funnel(user=company.far_rep, pipeline=pipeline)[0].reached == 0


def test_weighted_and_history_forecasts_by_month(company, deals):
    pipeline, s = deals
    # closed deals: B reached stages 1–2 and won; C reached stage 1 and lost
    assert win_rates(user=company.rep, pipeline=pipeline) == {s[0].pk: 0.5, s[1].pk: 1.0}
    rows = {r.key: r for r in forecast(user=company.rep, pipeline=pipeline)}
    assert (rows["2026-11"].deals, rows["2026-11"].amount) == (1, Decimal(1000))
    assert rows["2026-11"].weighted == Decimal("600.00")  # A at 60 %
    assert rows["2026-11"].from_history is None  # nobody closed from stage 3 yet
    assert rows["2026-12"].weighted == Decimal("400.00")  # D 4,000 at 10 %
    assert rows["2026-12"].from_history == Decimal("2000.00")  # D at the 50 % seen from stage 1
    by_rep = forecast(user=company.rep, pipeline=pipeline, by="rep")
    assert [(r.key, r.weighted) for r in by_rep] == [(company.rep.username, Decimal("1000.00"))]


def test_won_and_lost_by_reason_and_competitor(company, deals):
    pipeline, _s = deals
    reasons = {r["key"]: r for r in outcomes(user=company.rep, pipeline=pipeline, by="reason")}
    assert reasons["价格太高"]["lost"] == 1 and reasons["价格太高"]["lost_amount"] == Decimal(3000)
    rivals = {r["key"]: r for r in outcomes(user=company.rep, pipeline=pipeline, by="competitor")}
    assert rivals["安利"]["lost"] == 1 and rivals["—"]["won"] == 1


def test_the_reports_page(company, deals):
    from django.test import Client
    from django.urls import reverse

    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(company.rep)
    page = c.get(reverse("sales:reports"), {"by": "competitor"}).content.decode()
    assert 'id="funnel"' in page and "2026-12" in page and "安利" in page
    assert c.get(reverse("sales:reports"), {"pipeline": "²", "by": "x"}).status_code == 200


def test_forecast_by_team_and_outcomes_by_lead_source(company, deals):
    pipeline, _s = deals
    teams = forecast(user=company.rep, pipeline=pipeline, by="team")
    assert [(r.key, r.weighted) for r in teams] == [(company.team_a.name, Decimal("1000.00"))]
    sources = outcomes(user=company.rep, pipeline=pipeline, by="source")
    assert [(r["key"], r["won"], r["lost"]) for r in sources] == [("—", 1, 1)]  # no leads


def test_the_history_forecast_weighs_a_deal_by_its_stage_and_age(company):
    """Ten closed deals in stage 1: five won young (10 days), five lost old (100 days).
    Of the deals still open at under 30 days, half won; of those still open at 30–179
    days, none. Open deals: X (5 days old, 1,000), Y (60 days, 2,000) and Z (200 days,
    4,000: no closed deal lived that long, so the stage's rate over all ages, 50 %)."""
    pipeline = pipeline_default()
    s = list(pipeline.stages.order_by("position"))
    now = T0 + 300 * DAY

    def deal(amount, created):
        return opportunity_create(
            actor=company.rep,
            party=PartyFactory(owner=company.rep),
            title="净水器",
            amount=Decimal(amount),
            expected_close=datetime.date(2027, 1, 15),
            now=created,
        )

    for i in range(5):
        opportunity_close(actor=company.rep, opportunity=deal(100, T0), won=True, now=T0 + 10 * DAY)
        young_then_lost = deal(100, T0 + i * DAY)
        opportunity_close(
            actor=company.rep,
            opportunity=young_then_lost,
            won=False,
            reason="价格太高",
            now=T0 + (100 + i) * DAY,
        )
    for amount, age in ((1000, 5), (2000, 60), (4000, 200)):
        deal(amount, now - age * DAY)
    aged = win_rates_by_age(user=company.rep, pipeline=pipeline)
    assert aged == {(s[0].pk, 0): 0.5, (s[0].pk, 1): 0.0, (s[0].pk, 2): 0.0}
    # every closed deal was open when young: band 0 is the stage's rate over all ages
    assert aged[s[0].pk, 0] == win_rates(user=company.rep, pipeline=pipeline)[s[0].pk]
    (row,) = forecast(user=company.rep, pipeline=pipeline, by="rep", now=now)
    assert row.weighted == Decimal("700.00")  # 7,000 at 10 %
    assert row.from_history == Decimal("2500.00")  # X 50 % + Y 0 % + Z 50 %
    assert [age_band(d) for d in (0, 29.9, 30, 89, 90, 179, 180, 900)] == [0, 0, 1, 1, 2, 2, 3, 3]
