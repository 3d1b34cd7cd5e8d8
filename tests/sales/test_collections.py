"""Collections (回款) reconciled against the plan oldest due first: worked examples,
reversal, refusal of overpayment, the invariants under hypothesis, overdue receivables
and their reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.core.models import AuditEvent, OutboundMessage
from guanxi.sales.choices import ContractStatus, InstalmentStatus
from guanxi.sales.engine.receivables import Due, allocate
from guanxi.sales.selectors_contracts import overdue
from guanxi.sales.services.collections import (
    collection_record,
    collection_reverse,
    receivable_reminders,
)
from tests.sales.contract_helpers import TODAY, active_contract


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pay(contract, actor, amount, day=TODAY, method="bank_transfer"):
    return collection_record(
        actor=actor,
        contract=contract,
        amount=Decimal(amount),
        collected_on=day,
        method=method,
        reference="工行 0001",
    )


def states(contract):
    return [(i.paid, i.status) for i in contract.instalments.order_by("position")]


def test_worked_example_oldest_due_first(company):
    contract = active_contract(company.rep, "10000.00", "10000.00", "10000.00")
    pay(contract, company.rep, "4000.00")
    assert states(contract) == [
        (Decimal("4000.00"), InstalmentStatus.PART_PAID),
        (Decimal("0.00"), InstalmentStatus.OPEN),
        (Decimal("0.00"), InstalmentStatus.OPEN),
    ]
    pay(contract, company.rep, "12500.50", method="wechat_pay")
    assert states(contract) == [
        (Decimal("10000.00"), InstalmentStatus.PAID),
        (Decimal("6500.50"), InstalmentStatus.PART_PAID),
        (Decimal("0.00"), InstalmentStatus.OPEN),
    ]
    contract.refresh_from_db()
    assert contract.collected == Decimal("16500.50")
    assert contract.outstanding == Decimal("13499.50")
    assert AuditEvent.objects.filter(object_type="sales.collection").count() == 2


def test_overpayment_is_refused(company):
    contract = active_contract(company.rep, "1000.00", "2000.00")
    pay(contract, company.rep, "2500.00")
    with pytest.raises(ValidationError) as err:
        pay(contract, company.rep, "500.01")
    assert err.value.message_dict["amount"] == ["Only ¥500.00 is outstanding on this contract."]


def test_bad_input_is_a_field_error(company):
    contract = active_contract(company.rep)
    with pytest.raises(ValidationError) as err:
        collection_record(
            actor=company.rep,
            contract=contract,
            amount=Decimal("0.001"),
            collected_on=TODAY + datetime.timedelta(days=1),
            method="barter",
        )
    assert set(err.value.message_dict) == {"amount", "collected_on", "method"}


def test_settling_in_full_completes_and_a_reversal_reopens(company):
    contract = active_contract(company.rep, "1000.00", "2000.00")
    first = pay(contract, company.rep, "1000.00")
    last = pay(contract, company.rep, "2000.00")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED
    with pytest.raises(PermissionDenied):  # a rep does not undo money
        collection_reverse(actor=company.rep, collection=first, reason="录错")
    with pytest.raises(ValidationError, match="why"):
        collection_reverse(actor=company.manager, collection=first, reason="")
    collection_reverse(actor=company.manager, collection=first, reason="重复录入")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    assert contract.collected == Decimal("2000.00")
    # The remaining 2000 is poured oldest due first again: the first instalment is paid.
    assert states(contract) == [
        (Decimal("1000.00"), InstalmentStatus.PAID),
        (Decimal("1000.00"), InstalmentStatus.PART_PAID),
    ]
    with pytest.raises(ValidationError, match="already"):
        collection_reverse(actor=company.manager, collection=first, reason="again")
    first.refresh_from_db()
    assert first.reversed_by == company.manager and last.reversed_at is None


def test_a_new_plan_is_reconciled_at_once(company):
    from guanxi.sales.services.contracts import plan_set
    from tests.sales.contract_helpers import plan

    contract = active_contract(company.rep, "10000.00", "20000.00")
    pay(contract, company.rep, "15000.00")
    plan_set(
        actor=company.rep, contract=contract, instalments=plan("5000", "5000", "5000", "15000")
    )
    assert [p for p, _s in states(contract)] == [
        Decimal(5000),
        Decimal(5000),
        Decimal(5000),
        Decimal(0),
    ]


def test_overdue_receivables_and_what_each_may_see(company):
    contract = active_contract(company.rep, "10000.00", "10000.00", "10000.00")
    # Due 60 and 30 days ago and today: two are overdue until paid.
    pay(contract, company.rep, "12000.00")
    rows = list(overdue(user=company.rep))
    assert [(r.position, r.outstanding_amount, (TODAY - r.due_on).days) for r in rows] == [
        (2, Decimal("8000.00"), 30)
    ]
    assert list(overdue(user=company.manager)) == rows
    assert list(overdue(user=company.far_rep)) == []
    assert list(overdue(user=company.rep_b)) == []


def test_reminders_go_to_the_rep_at_most_once_a_week_per_instalment(company):
    company.rep.email = "rep@example.cn"
    company.rep.save()
    contract = active_contract(company.rep, "10000.00", "10000.00", "10000.00")
    # 09:00 local today, so "six hours later" is still today whenever the test runs.
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    assert receivable_reminders(now=now) == 2
    assert receivable_reminders(now=now + datetime.timedelta(hours=6)) == 0
    # Days later only the third (due today) has fallen overdue: its first reminder.
    assert receivable_reminders(now=now + datetime.timedelta(days=6, hours=23)) == 1
    pay(contract, company.rep, "10000.00")  # the first instalment is paid meanwhile
    assert receivable_reminders(now=now + datetime.timedelta(days=7)) == 1  # the second
    mails = OutboundMessage.objects.filter(purpose="receivable_reminder")
    assert mails.count() == 4
    assert {m.recipient for m in mails} == {"rep@example.cn"}
    assert contract.number in mails.first().subject


# --- invariants --------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=5_000_00).map(lambda c: Decimal(c) / 100)
days = st.integers(min_value=0, max_value=400)


@given(
    plan=st.lists(st.tuples(days, cents), min_size=1, max_size=8),
    share=st.fractions(min_value=0, max_value=1),
)
def test_allocation_invariants(plan, share):
    base = datetime.date(2026, 1, 1)
    dues = [Due(i, base + datetime.timedelta(days=d), a) for i, (d, a) in enumerate(plan)]
    total = sum((d.amount for d in dues), Decimal(0))
    collected = (total * Decimal(share.numerator) / share.denominator).quantize(Decimal("0.01"))
    paid = allocate(dues, collected)
    assert all(Decimal(0) <= paid[d.position] <= d.amount for d in dues)
    assert sum(paid.values(), Decimal(0)) == collected
    # Oldest due first: nothing later is paid while something earlier is still open.
    ordered = sorted(dues, key=lambda d: (d.due_on, d.position))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if paid[later.position] > 0:
            assert paid[earlier.position] == earlier.amount
    with pytest.raises(ValueError):
        allocate(dues, total + Decimal("0.01"))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    payments=st.lists(cents, min_size=1, max_size=6),
    reversed_mask=st.lists(st.booleans(), min_size=6, max_size=6),
    order=st.randoms(use_true_random=False),
)
def test_recorded_collections_reconcile_whatever_the_order(company, payments, reversed_mask, order):
    """Through the services: each instalment's paid ≤ its amount, the plan's paid = the
    money kept, and recording the same collections in another order ends the same."""
    finals = []
    for attempt in range(2):
        contract = active_contract(company.rep, "3000.00", "2000.00", "5000.00")
        seq = list(enumerate(payments))
        if attempt:
            order.shuffle(seq)
        made = {}
        for i, amount in seq:
            try:
                made[i] = pay(contract, company.rep, amount)
            except ValidationError:
                made[i] = None  # more than is outstanding: refused
        for i, collection in made.items():
            if collection and reversed_mask[i]:
                collection_reverse(actor=company.manager, collection=collection, reason="测试")
        contract.refresh_from_db()
        rows = list(contract.instalments.order_by("position"))
        kept = sum(
            (c.amount for c in contract.collections.filter(reversed_at__isnull=True)),
            Decimal(0),
        )
        assert all(Decimal(0) <= r.paid <= r.amount for r in rows)
        assert sum((r.paid for r in rows), Decimal(0)) == kept == contract.collected
        assert kept <= contract.amount
        finals.append((kept, [r.paid for r in rows]))
    # The allocation depends only on the money kept, so equal totals give equal states.
    if finals[0][0] == finals[1][0]:
        assert finals[0][1] == finals[1][1]
