"""Returns inside the 30-day window, refunds at the invoice price with volume and points
reversed; the points ledger's invariants, redemption, expiry and merges."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from guanxi.commerce.choices import PointsKind, ReturnStatus
from guanxi.commerce.models import PointsEntry
from guanxi.commerce.selectors import overdue_refunds
from guanxi.commerce.services.points import (
    allocate,
    expiry_date,
    points_adjust,
    points_balance,
    points_expire,
)
from guanxi.commerce.services.redemption import points_redeem
from guanxi.commerce.services.returns import (
    line_points_back,
    return_refund,
    return_reject,
    return_request,
)
from guanxi.network.models import VolumeEntry
from tests.commerce.conftest import SHIP, place_paid

T0 = timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0))


def _ask(actor, order, qty=None, *, days=0, unopened=True):
    line = order.lines.get()
    return return_request(
        actor=actor,
        order=order,
        quantities={line.pk: qty or line.quantity},
        unopened=unopened,
        now=order.placed_at + datetime.timedelta(days=days),
    )


def test_the_return_window_is_thirty_days_from_purchase(company, shop):
    order = place_paid(company.rep, shop.consumer, (shop.tea, 3), now=T0)
    late = T0.replace(hour=23, minute=59) + datetime.timedelta(days=31)
    with pytest.raises(ValidationError, match="30-day"):
        return_request(
            actor=company.rep,
            order=order,
            quantities={order.lines.get().pk: 1},
            unopened=True,
            now=late,
        )
    with pytest.raises(ValidationError, match="unopened"):
        _ask(company.rep, order, 1, days=30, unopened=False)
    ret = _ask(company.rep, order, 1, days=30)
    assert ret.refund_due_on == datetime.date(2026, 4, 7)  # request day + 7
    assert ret.refund_amount == Decimal("90")  # the member price it was invoiced at
    with pytest.raises(ValidationError, match="More units"):
        _ask(company.rep, order, 3, days=30)


def test_an_unpaid_order_cannot_be_returned_nor_someone_elses(company, shop):
    from tests.commerce.conftest import place

    order = place(company.rep, shop.consumer, (shop.tea, 1))
    with pytest.raises(ValidationError, match="paid"):
        _ask(company.rep, order)


def test_a_refund_reverses_volume_and_points_line_by_line(company, shop):
    order = place_paid(
        company.rep, shop.consumer, (shop.tea, 3), seller=shop.ibo, price_list="retail"
    )
    assert points_balance(shop.consumer.pk) == 30
    first = return_refund(actor=company.manager, ret=_ask(company.rep, order, 1), method="alipay")
    assert first.status == ReturnStatus.REFUNDED and first.points_reversed == 10
    second = return_refund(actor=company.manager, ret=_ask(company.rep, order, 2), method="alipay")
    assert second.points_reversed == 20 and points_balance(shop.consumer.pk) == 0
    order.refresh_from_db()
    assert order.amount_refunded == Decimal("300") and order.lines.get().returned_quantity == 3
    assert order.status == "cancelled"  # everything came back before it was shipped
    volumes = VolumeEntry.objects.order_by("id").values_list("pv", "amount", "kind")
    assert list(volumes) == [
        (Decimal("120"), Decimal("300"), "sale"),
        (Decimal("-40"), Decimal("-100"), "return"),
        (Decimal("-80"), Decimal("-200"), "return"),
    ]
    with pytest.raises(ValidationError, match="paid order"):
        _ask(company.rep, order, 1)


def test_spent_points_are_not_taken_below_zero(company, shop):
    order = place_paid(company.rep, shop.consumer, (shop.pot, 2), price_list="retail")  # 50 points
    points_adjust(actor=company.manager, party=shop.consumer, points=460, note="开业赠送")
    points_redeem(actor=shop.consumer_user, customer=shop.consumer, product=shop.gift, ship_to=SHIP)
    assert points_balance(shop.consumer.pk) == 10
    ret = return_refund(actor=company.admin, ret=_ask(company.rep, order, 2), method="card")
    assert (ret.points_reversed, ret.points_shortfall) == (10, 40)
    assert points_balance(shop.consumer.pk) == 0


def test_a_returned_redemption_gives_the_points_back(company, shop):
    points_adjust(actor=company.manager, party=shop.consumer, points=1000, note="补偿")
    order = points_redeem(
        actor=company.agent, customer=shop.consumer, product=shop.gift, quantity=2, ship_to=SHIP
    )
    assert order.total == 0 and order.points_spent == 1000 and order.status == "paid"
    assert points_balance(shop.consumer.pk) == 0
    with pytest.raises(ValidationError, match="Not enough points"):
        points_redeem(actor=company.agent, customer=shop.consumer, product=shop.gift, ship_to=SHIP)
    ret = return_refund(actor=company.admin, ret=_ask(company.agent, order, 1), method="cash")
    assert ret.refund_amount == 0 and ret.points_restored == 500
    assert points_balance(shop.consumer.pk) == 500
    assert not VolumeEntry.objects.exists()


def test_overdue_refunds_are_listed_for_managers(company, shop):
    order = place_paid(company.rep, shop.consumer, (shop.tea, 2), now=T0)
    ret = _ask(company.rep, order, 1, days=2)  # due 2026-03-10
    other = _ask(company.rep, order, 1, days=5)
    return_reject(actor=company.manager, ret=other, note="已开封")
    assert list(overdue_refunds(user=company.manager, today=datetime.date(2026, 3, 10))) == []
    assert list(overdue_refunds(user=company.manager, today=datetime.date(2026, 3, 11))) == [ret]
    assert list(overdue_refunds(user=company.far_rep, today=datetime.date(2026, 3, 11))) == []


@given(
    total=st.integers(0, 10**6), weights=st.lists(st.integers(1, 10**6), min_size=1, max_size=20)
)
def test_allocation_hands_out_every_point_fairly(total, weights):
    shares = allocate(total, [Decimal(w) for w in weights])
    assert sum(shares) == total
    exact = [Decimal(total) * w / sum(weights) for w in weights]
    assert all(abs(s - e) < 1 for s, e in zip(shares, exact, strict=True))


@given(
    earned=st.integers(0, 10**6),
    parts=st.lists(st.integers(1, 50), min_size=1, max_size=10),
)
def test_returning_a_line_in_parts_takes_back_exactly_what_it_earned(earned, parts):
    quantity = sum(parts)
    taken, returned = 0, 0
    for part in parts:
        back = line_points_back(earned, quantity, returned, part)
        assert back >= 0
        taken, returned = taken + back, returned + part
    assert taken == earned


def test_points_expire_first_in_first_out(company, shop):
    party = shop.consumer
    now = timezone.now()
    for ref, points, expires in (("a", 100, "2026-01-31"), ("b", 100, "2026-07-31")):
        PointsEntry.objects.create(
            party=party,
            kind="earn",
            points=points,
            occurred_at=now,
            expires_on=expires,
            source_ref=ref,
        )
    PointsEntry.objects.create(
        party=party, kind="redeem", points=-50, occurred_at=now, source_ref="r1"
    )
    assert points_expire(today=datetime.date(2026, 2, 1)) == 1
    assert points_balance(party.pk) == 100  # 100 + 100 - 50 - 50 expired
    assert points_expire(today=datetime.date(2026, 2, 1)) == 0  # a rerun expires nothing
    PointsEntry.objects.create(
        party=party, kind="redeem", points=-30, occurred_at=now, source_ref="r2"
    )
    points_expire(today=datetime.date(2026, 8, 1))
    assert points_balance(party.pk) == 0
    assert PointsEntry.objects.filter(kind=PointsKind.EXPIRE).count() == 2


def test_expiry_is_the_end_of_the_month_two_years_on():
    assert expiry_date(datetime.date(2026, 5, 17)) == datetime.date(2028, 5, 31)
    assert expiry_date(datetime.date(2026, 12, 1), 2) == datetime.date(2027, 2, 28)


def test_the_points_ledger_refuses_changes_but_follows_a_merge(company, shop):
    from guanxi.customers.services.merge import parties_merge
    from tests.factories import PartyFactory

    entry = points_adjust(actor=company.admin, party=shop.consumer, points=70, note="活动")
    for sql in ("UPDATE commerce_pointsentry SET points = 1", "DELETE FROM commerce_pointsentry"):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    survivor = PartyFactory(owner=company.rep, name="王芳")
    parties_merge(actor=company.admin, survivor_id=survivor.pk, merged_ids=[shop.consumer.pk])
    entry.refresh_from_db()
    assert entry.party_id == survivor.pk and points_balance(survivor.pk) == 70


def test_an_adjustment_needs_a_reason_and_the_right(company, shop):
    with pytest.raises(ValidationError, match="why"):
        points_adjust(actor=company.admin, party=shop.consumer, points=5, note=" ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        points_adjust(actor=company.rep, party=shop.consumer, points=5, note="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            party=shop.consumer, kind="earn", points=1, occurred_at=timezone.now(), source_ref="dup"
        )
        PointsEntry.objects.create(
            party=shop.consumer, kind="earn", points=1, occurred_at=timezone.now(), source_ref="dup"
        )
