"""Opportunities: opened on a customer, moved through the stages (the kanban, with and
without JavaScript), closed won or lost; progress and winning keep the claim's promise."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guanxi.sales.choices import ClaimEnd
from guanxi.sales.models import Claim, Stage, StageChange
from guanxi.sales.services.opportunities import (
    opportunity_close,
    opportunity_create,
    opportunity_move,
    pipeline_default,
)
from guanxi.sales.services.pool import claim_take
from tests.factories import PartyFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_deal_moves_through_the_stages_and_is_won(company):
    party = PartyFactory(owner=None)
    claim_take(actor=company.rep, party=party)
    deal = opportunity_create(
        actor=company.rep, party=party, title="净水器 3 台", amount=Decimal("8940")
    )
    stages = list(pipeline_default().stages.order_by("position"))
    assert deal.stage == stages[0] and Claim.objects.get().last_progress_at is not None
    with pytest.raises(PermissionDenied):
        opportunity_move(actor=company.far_rep, opportunity=deal, stage=stages[1])
    deal = opportunity_move(actor=company.rep, opportunity=deal, stage=stages[2])
    opportunity_close(actor=company.rep, opportunity=deal, won=True)
    assert Claim.objects.get().end_reason == ClaimEnd.CONVERTED
    party.refresh_from_db()
    assert party.owner == company.rep
    assert list(StageChange.objects.values_list("state", flat=True)) == ["open", "open", "won"]
    with pytest.raises(ValidationError, match="closed"):
        opportunity_move(actor=company.rep, opportunity=deal, stage=stages[1])


def test_a_lost_deal_needs_a_reason_and_stages_stay_in_their_pipeline(company):
    party = PartyFactory(owner=company.rep)
    deal = opportunity_create(actor=company.rep, party=party, title="空气净化器")
    from guanxi.sales.models import Pipeline

    other = Pipeline.objects.create(name="团购")
    foreign = Stage.objects.create(pipeline=other, name="报价", position=0, probability=50)
    with pytest.raises(ValidationError, match="pipeline"):
        opportunity_move(actor=company.rep, opportunity=deal, stage=foreign)
    with pytest.raises(ValidationError, match="why"):
        opportunity_close(actor=company.rep, opportunity=deal, won=False)
    lost = opportunity_close(actor=company.rep, opportunity=deal, won=False, reason="价格太高")
    assert lost.state == "lost" and lost.close_reason == "价格太高"


def test_the_board_shows_visible_deals_and_moves_them(company):
    mine = opportunity_create(
        actor=company.rep,
        party=PartyFactory(owner=company.rep),
        title="我的商机",
        amount=Decimal(1000),
    )
    theirs = opportunity_create(
        actor=company.far_rep, party=PartyFactory(owner=company.far_rep), title="别人的商机"
    )
    c = login(company.rep)
    page = c.get(reverse("sales:board")).content.decode()
    assert "我的商机" in page and "别人的商机" not in page
    target = mine.pipeline.stages.get(position=1)
    swapped = c.post(
        reverse("sales:move", args=[mine.pk]), {"stage": target.pk}, HTTP_HX_REQUEST="true"
    )
    assert swapped.status_code == 200 and f'data-stage="{target.pk}"' in swapped.content.decode()
    mine.refresh_from_db()
    assert mine.stage == target
    assert c.post(reverse("sales:move", args=[theirs.pk]), {"stage": target.pk}).status_code == 404
    plain = c.post(reverse("sales:move", args=[mine.pk]), {"stage": "²"})
    assert plain.status_code == 302


def test_a_deal_opened_from_the_360_page(company):
    party = PartyFactory(owner=company.rep)
    c = login(company.rep)
    c.post(
        reverse("sales:opportunity_new", args=[party.pk]),
        {"title": "护肤套装", "amount": "1280", "expected_close": "2026-12-20"},
    )
    page = c.get(reverse("customers:detail", args=[party.pk])).content.decode()
    assert 'id="sales-panel"' in page and "护肤套装" in page
    bad = c.post(
        reverse("sales:opportunity_new", args=[party.pk]),
        {"title": "x", "amount": "lots"},
        follow=True,
    )
    assert "Enter an amount" in bad.content.decode()
    assert (
        login(company.far_rep)
        .post(reverse("sales:opportunity_new", args=[party.pk]), {"title": "x"})
        .status_code
        == 404
    )


def test_the_deal_list_filters_by_state(company):
    opportunity_create(actor=company.rep, party=PartyFactory(owner=company.rep), title="开着的")
    closed = opportunity_create(
        actor=company.rep, party=PartyFactory(owner=company.rep), title="输掉的"
    )
    opportunity_close(actor=company.rep, opportunity=closed, won=False, reason="预算不足")
    c = login(company.rep)
    page = c.get(reverse("sales:opportunities")).content.decode()
    assert "开着的" in page and "输掉的" not in page
    lost = c.get(reverse("sales:opportunities"), {"state": "lost"}).content.decode()
    assert "输掉的" in lost and "预算不足" in lost


def test_a_deal_is_closed_from_the_customers_page(company):
    party = PartyFactory(owner=company.rep)
    won = opportunity_create(actor=company.rep, party=party, title="净水器")
    lost = opportunity_create(actor=company.rep, party=party, title="空气净化器")
    rep = login(company.rep)
    page = rep.get(reverse("customers:detail", args=[party.pk])).content.decode()
    assert reverse("sales:close", args=[won.pk]) in page
    # Lost without a reason: refused with the message, nothing changes.
    refused = rep.post(reverse("sales:close", args=[lost.pk]), {"outcome": "lost"}, follow=True)
    assert "Say why the deal was lost." in refused.content.decode()
    lost.refresh_from_db()
    assert lost.state == "open"
    rep.post(reverse("sales:close", args=[lost.pk]), {"outcome": "lost", "reason": "价格太高"})
    rep.post(reverse("sales:close", args=[won.pk]), {"outcome": "won"})
    lost.refresh_from_db()
    won.refresh_from_db()
    assert (lost.state, lost.close_reason, won.state) == ("lost", "价格太高", "won")
    # Another region's rep cannot see the deal: 404, and it stays as it was.
    other = login(company.far_rep).post(reverse("sales:close", args=[won.pk]), {"outcome": "lost"})
    assert other.status_code == 404
