"""Approvals: the chain up the hierarchy, its order, the lock while pending, rejection
with a reason, reminders; and a discount above the threshold waiting for its approvers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from guanxi.core.models import OutboundMessage
from guanxi.sales.choices import ApprovalStatus
from guanxi.sales.models import ApprovalPolicy, Opportunity
from guanxi.sales.services.approvals import approval_chain, approval_decide, approval_reminders
from guanxi.sales.services.opportunities import (
    discount_request,
    opportunity_create,
    opportunity_move,
)
from tests.factories import PartyFactory, UserFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def deal(company):
    return opportunity_create(
        actor=company.rep,
        party=PartyFactory(owner=company.rep),
        title="净水器 10 台",
        amount=Decimal("29800"),
    )


def test_the_chain_goes_up_the_tree_nearest_manager_first(company):
    from guanxi.core.choices import Role

    branch_head = UserFactory(role=Role.MANAGER, org_unit=company.team_a.parent)  # 上海分公司
    assert approval_chain(company.rep, 1) == [branch_head]
    assert approval_chain(company.rep, 2) == [branch_head, company.manager]
    assert approval_chain(company.rep, 3) == [branch_head, company.manager, company.admin]
    assert approval_chain(company.manager, 1) == [company.admin]  # never oneself


def test_a_small_discount_applies_at_once(company, deal):
    discount_request(actor=company.rep, opportunity=deal, percent=Decimal(5))
    deal.refresh_from_db()
    assert deal.discount_pct == Decimal(5)


def test_a_big_discount_waits_locked_until_the_manager_approves(company, deal):
    request = discount_request(actor=company.rep, opportunity=deal, percent=Decimal(15))
    assert request.status == ApprovalStatus.PENDING
    stage = deal.pipeline.stages.get(position=1)
    with pytest.raises(ValidationError, match="locked"):
        opportunity_move(actor=company.rep, opportunity=deal, stage=stage)
    with pytest.raises(ValidationError, match="locked"):
        discount_request(actor=company.rep, opportunity=deal, percent=Decimal(20))
    with pytest.raises(PermissionDenied):
        approval_decide(actor=company.rep, request=request, approve=True)
    approval_decide(actor=company.manager, request=request, approve=True, comment="同意")
    deal.refresh_from_db()
    assert deal.discount_pct == Decimal(15)
    opportunity_move(actor=company.rep, opportunity=deal, stage=stage)  # unlocked


def test_two_levels_in_order_and_a_rejection_needs_a_reason(company, deal):
    ApprovalPolicy.objects.create(kind="discount", threshold=10, levels=2)
    request = discount_request(actor=company.rep, opportunity=deal, percent=Decimal(30))
    with pytest.raises(PermissionDenied):  # the region head's turn comes second
        approval_decide(actor=company.admin, request=request, approve=True)
    approval_decide(actor=company.manager, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING
    with pytest.raises(ValidationError, match="why"):
        approval_decide(actor=company.admin, request=request, approve=False)
    approval_decide(actor=company.admin, request=request, approve=False, comment="折扣过高")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.REJECTED
    assert Opportunity.objects.get(pk=deal.pk).discount_pct == 0
    with pytest.raises(ValidationError, match="decided"):
        approval_decide(actor=company.admin, request=request, approve=True)


def test_the_approver_is_reminded_once_a_day(company, deal):
    company.manager.email = "manager@example.cn"
    company.manager.save()
    discount_request(actor=company.rep, opportunity=deal, percent=Decimal(15))
    now = timezone.now()
    assert approval_reminders(now=now + datetime.timedelta(hours=23)) == 0
    assert approval_reminders(now=now + datetime.timedelta(hours=25)) == 1
    assert approval_reminders(now=now + datetime.timedelta(hours=30)) == 0
    assert approval_reminders(now=now + datetime.timedelta(hours=50)) == 1
    assert OutboundMessage.objects.filter(purpose="approval_reminder").count() == 2


def test_a_rep_asks_for_a_discount_and_the_manager_approves_on_the_web(company, deal):
    from django.test import Client
    from django.urls import reverse

    rep = Client(HTTP_ACCEPT_LANGUAGE="en")
    rep.force_login(company.rep)
    rep.post(reverse("sales:discount", args=[deal.pk]), {"percent": "15"})
    bad = rep.post(reverse("sales:discount", args=[deal.pk]), {"percent": "lots"}, follow=True)
    assert "percentage" in bad.content.decode()
    manager = Client(HTTP_ACCEPT_LANGUAGE="en")
    manager.force_login(company.manager)
    inbox = manager.get(reverse("sales:approvals")).content.decode()
    assert "15.00% discount" in inbox
    from guanxi.sales.models import ApprovalRequest

    request = ApprovalRequest.objects.get()
    refused = manager.post(
        reverse("sales:approvals"), {"request": request.pk, "decision": "reject"}, follow=True
    )
    assert "Say why" in refused.content.decode()
    manager.post(reverse("sales:approvals"), {"request": request.pk, "decision": "approve"})
    deal.refresh_from_db()
    assert deal.discount_pct == Decimal(15)
    assert "Nothing waits" in manager.get(reverse("sales:approvals")).content.decode()
