"""Contracts: drawn up from won deals only, numbered uniquely, the plan adds up, approval
above the threshold (locked meanwhile), termination, visibility and the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from guanxi.core.models import AuditEvent
from guanxi.sales.choices import ApprovalStatus, ContractStatus
from guanxi.sales.models import ApprovalPolicy, ApprovalRequest, Contract
from guanxi.sales.services.approvals import approval_decide
from guanxi.sales.services.collections import collection_record
from guanxi.sales.services.contracts import (
    contract_create,
    contract_submit,
    contract_terminate,
    contract_update,
    plan_set,
)
from guanxi.sales.services.opportunities import opportunity_create
from tests.factories import PartyFactory
from tests.sales.contract_helpers import TODAY, active_contract, plan, won_deal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_won_deal_becomes_a_draft_at_its_discounted_amount(company):
    deal = won_deal(company.rep, amount="20000.00")
    deal.discount_pct = Decimal("12.5")
    deal.save()
    contract = contract_create(actor=company.rep, opportunity=deal)
    assert contract.status == ContractStatus.DRAFT
    assert contract.amount == Decimal("17500.00")
    assert contract.owner == company.rep and contract.party == deal.party
    assert contract.number.startswith("HT") and contract.number.endswith(f"{contract.pk:06d}")
    assert AuditEvent.objects.filter(
        object_type="sales.contract", subject_id=str(deal.party_id)
    ).exists()


def test_only_won_deals_and_one_live_contract_per_deal(company):
    open_deal = opportunity_create(
        actor=company.rep, party=PartyFactory(owner=company.rep), title="x", amount=Decimal(5)
    )
    with pytest.raises(ValidationError, match="won deal"):
        contract_create(actor=company.rep, opportunity=open_deal)
    deal = won_deal(company.rep)
    first = contract_create(actor=company.rep, opportunity=deal)
    with pytest.raises(ValidationError, match="already"):
        contract_create(actor=company.rep, opportunity=deal)
    contract_terminate(actor=company.rep, contract=first, reason="客户改单")
    second = contract_create(actor=company.rep, opportunity=deal)
    assert second.number != first.number


def test_bad_terms_are_field_errors(company):
    deal = won_deal(company.rep)
    with pytest.raises(ValidationError) as err:
        contract_create(
            actor=company.rep,
            opportunity=deal,
            amount=Decimal("-1"),
            starts_on=TODAY,
            ends_on=TODAY - datetime.timedelta(days=1),
            signed_on=TODAY + datetime.timedelta(days=3),
        )
    assert set(err.value.message_dict) == {"amount", "ends_on", "signed_on"}
    with pytest.raises(ValidationError, match="amount"):
        contract_create(actor=company.rep, opportunity=deal, amount=Decimal("1.005"))


def test_the_plan_must_add_up_to_the_amount(company):
    contract = contract_create(actor=company.rep, opportunity=won_deal(company.rep))
    with pytest.raises(ValidationError) as err:
        plan_set(actor=company.rep, contract=contract, instalments=plan("10000", "10000"))
    assert "add up to ¥20000.00, the contract to ¥30000.00" in str(err.value)
    with pytest.raises(ValidationError, match="above zero"):
        plan_set(actor=company.rep, contract=contract, instalments=plan("30001", "-1"))
    with pytest.raises(ValidationError, match="at least one"):
        plan_set(actor=company.rep, contract=contract, instalments=[])
    plan_set(actor=company.rep, contract=contract, instalments=plan("9000.50", "20999.50"))
    assert [i.amount for i in contract.instalments.all()] == [
        Decimal("9000.50"),
        Decimal("20999.50"),
    ]


def test_submitting_needs_a_signing_date_and_a_plan(company):
    contract = contract_create(actor=company.rep, opportunity=won_deal(company.rep))
    with pytest.raises(ValidationError, match="signed"):
        contract_submit(actor=company.rep, contract=contract)
    contract_update(
        actor=company.rep, contract=contract, title="年度合同", amount=Decimal(30000),
        signed_on=TODAY,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="at least one"):
        contract_submit(actor=company.rep, contract=contract)


def test_below_the_threshold_it_is_in_force_at_once(company):
    contract = active_contract(company.rep)
    assert contract.status == ContractStatus.ACTIVE and contract.activated_at


def test_above_the_threshold_it_waits_locked_and_the_manager_approves(company):
    ApprovalPolicy.objects.create(kind="contract", threshold=Decimal("20000"))
    contract = contract_create(
        actor=company.rep,
        opportunity=won_deal(company.rep),
        signed_on=TODAY,
        instalments=plan("10000", "10000", "10000"),
    )
    request = contract_submit(actor=company.rep, contract=contract)
    assert isinstance(request, ApprovalRequest)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.PENDING
    with pytest.raises(ValidationError, match="locked"):
        plan_set(actor=company.rep, contract=contract, instalments=plan("30000"))
    with pytest.raises(ValidationError, match="locked"):
        contract_terminate(actor=company.rep, contract=contract, reason="x")
    with pytest.raises(PermissionDenied):
        approval_decide(actor=company.rep, request=request, approve=True)
    approval_decide(actor=company.manager, request=request, approve=True)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_a_rejected_contract_goes_back_to_draft(company):
    ApprovalPolicy.objects.create(kind="contract", threshold=Decimal("0"))
    contract = contract_create(
        actor=company.rep, opportunity=won_deal(company.rep), signed_on=TODAY,
        instalments=plan("30000"),
    )  # fmt: skip
    request = contract_submit(actor=company.rep, contract=contract)
    request = approval_decide(
        actor=company.manager, request=request, approve=False, comment="付款期太长"
    )
    contract.refresh_from_db()
    assert request.status == ApprovalStatus.REJECTED
    assert contract.status == ContractStatus.DRAFT
    plan_set(actor=company.rep, contract=contract, instalments=plan("15000", "15000"))


def test_terminating_needs_a_reason_and_keeps_the_money(company):
    contract = active_contract(company.rep)
    collection_record(
        actor=company.rep, contract=contract, amount=Decimal(5000), collected_on=TODAY,
        method="cash",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="why"):
        contract_terminate(actor=company.rep, contract=contract, reason=" ")
    contract_terminate(actor=company.rep, contract=contract, reason="客户破产")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert contract.collected == Decimal(5000)
    with pytest.raises(ValidationError, match="Terminated"):
        collection_record(
            actor=company.rep, contract=contract, amount=Decimal(1), collected_on=TODAY,
            method="cash",
        )  # fmt: skip


def test_a_rep_cannot_work_on_another_teams_contract(company):
    contract = active_contract(company.far_rep)
    assert not Contract.objects.visible_to(company.rep).filter(pk=contract.pk).exists()
    assert Contract.objects.visible_to(company.admin).filter(pk=contract.pk).exists()
    assert not Contract.objects.visible_to(company.manager).filter(pk=contract.pk).exists()
    with pytest.raises(PermissionDenied):
        collection_record(
            actor=company.rep, contract=contract, amount=Decimal(1), collected_on=TODAY,
            method="cash",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        contract_create(actor=company.rep, opportunity=won_deal(company.far_rep))
    with pytest.raises(PermissionDenied):
        contract_terminate(actor=company.rep, contract=contract, reason="x")


def test_the_manager_of_the_region_sees_the_reps_contracts(company):
    contract = active_contract(company.rep)
    assert Contract.objects.visible_to(company.manager).filter(pk=contract.pk).exists()
    assert not Contract.objects.visible_to(company.rep_b).filter(pk=contract.pk).exists()
