"""Order lifecycle: prices by list, payment posting volume and points, fulfilment steps,
cancellation, and who may order for whom."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanxi.commerce.choices import OrderEventKind, OrderStatus, PointsKind
from guanxi.commerce.models import OrderEvent, PointsEntry
from guanxi.commerce.services.orders import order_advance, order_cancel, payment_record
from guanxi.commerce.services.points import points_balance
from guanxi.core.models import AuditEvent
from guanxi.network.models import VolumeEntry
from tests.commerce.conftest import place, place_paid
from tests.factories import PartyFactory


def test_an_order_is_priced_from_the_customers_list(company, shop):
    walk_in = PartyFactory(owner=company.rep)
    retail = place(company.rep, walk_in, (shop.tea, 2), (shop.pot, 1), shipping_fee="12")
    assert retail.price_list == "retail"
    assert retail.subtotal == Decimal("450.50") and retail.total == Decimal("462.50")
    assert retail.pv_total == Decimal("180") and retail.bv_total == Decimal("270")
    assert retail.status == OrderStatus.RECEIVED and len(retail.number) == 16
    member = place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal")
    assert member.price_list == "member" and member.total == Decimal("90")
    ibo_own = place(shop.ibo_user, shop.ibo.party, (shop.tea, 1), channel="ibo")
    assert ibo_own.price_list == "distributor" and ibo_own.total == Decimal("80")


def test_paying_posts_volume_to_the_seller_and_earns_points(company, shop):
    buyer = PartyFactory(owner=company.rep)
    order = place(company.rep, buyer, (shop.tea, 3), seller=shop.ibo, response_code="DM2611")
    payment_record(actor=company.rep, order=order, amount=Decimal("100"), method="cash")
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and order.balance_due == Decimal("200")
    assert not VolumeEntry.objects.exists()
    with pytest.raises(ValidationError, match="more than"):
        payment_record(actor=company.rep, order=order, amount=Decimal("200.01"), method="cash")
    payment_record(actor=company.rep, order=order, amount=Decimal("200"), method="alipay")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at
    entry = VolumeEntry.objects.get()
    assert (entry.distributor, entry.pv, entry.bv, entry.amount) == (
        shop.ibo,
        Decimal("120"),
        Decimal("180"),
        Decimal("300"),
    )
    assert entry.source_ref == f"order:{order.number}" and entry.region == "上海市"
    assert points_balance(buyer.pk) == 30  # 1 point per full 10 CNY
    earn = PointsEntry.objects.get(party=buyer)
    assert earn.kind == PointsKind.EARN and earn.expires_on.month == order.paid_at.month
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == [OrderEventKind.PAID, OrderEventKind.PLACED]
    assert AuditEvent.objects.filter(subject_id=str(buyer.pk), object_type="commerce.order")


def test_a_distributor_buying_for_themselves_gets_the_volume(shop):
    order = place_paid(shop.ibo_user, shop.ibo.party, (shop.pot, 1), channel="portal")
    assert VolumeEntry.objects.get().distributor == shop.ibo
    assert order.seller is None


def test_fulfilment_moves_one_step_at_a_time_and_courier_needs_tracking(company, shop):
    order = place_paid(company.rep, shop.consumer, (shop.tea, 1))
    with pytest.raises(PermissionDenied):
        order_advance(actor=company.rep, order=order, to_status="packed")
    with pytest.raises(ValidationError):
        order_advance(actor=company.manager, order=order, to_status="shipped")
    order_advance(actor=company.manager, order=order, to_status="packed")
    with pytest.raises(ValidationError, match="tracking"):
        order_advance(actor=company.manager, order=order, to_status="shipped")
    order_advance(
        actor=company.manager,
        order=order,
        to_status="shipped",
        courier="顺丰",
        tracking_number="SF1",
    )
    done = order_advance(actor=company.manager, order=order, to_status="delivered")
    assert done.status == OrderStatus.DELIVERED
    assert done.paid_at <= done.packed_at <= done.shipped_at <= done.delivered_at


def test_a_pickup_order_is_handed_over_after_packing(company, shop):
    order = place_paid(company.rep, shop.consumer, (shop.tea, 1), fulfilment="pickup")
    order_advance(actor=company.admin, order=order, to_status="packed")
    assert order_advance(actor=company.admin, order=order, to_status="delivered").delivered_at


def test_only_an_unpaid_order_is_cancelled(company, shop):
    order = place(company.rep, shop.consumer, (shop.tea, 1))
    assert order_cancel(actor=company.rep, order=order, reason="不要了").status == "cancelled"
    with pytest.raises(ValidationError):
        payment_record(actor=company.rep, order=order, amount=Decimal(90), method="cash")
    paid = place_paid(company.rep, shop.consumer, (shop.tea, 1))
    with pytest.raises(ValidationError, match="returned"):
        order_cancel(actor=company.rep, order=paid)


def test_who_may_order_for_whom(company, shop):
    theirs = PartyFactory(owner=company.far_rep)
    with pytest.raises(PermissionDenied):
        place(company.rep, theirs, (shop.tea, 1))
    with pytest.raises(PermissionDenied):
        place(company.analyst, theirs, (shop.tea, 1))
    assert place(company.agent, theirs, (shop.tea, 1))  # the call centre takes any order
    with pytest.raises(PermissionDenied):
        place(shop.consumer_user, theirs, (shop.tea, 1), channel="portal")
    with pytest.raises(PermissionDenied):
        place(
            shop.consumer_user,
            shop.consumer,
            (shop.tea, 1),
            channel="portal",
            price_list="distributor",
        )
    with pytest.raises(PermissionDenied):  # the company's customer, not the IBO's
        place(shop.ibo_user, theirs, (shop.tea, 1), channel="ibo")
    brought_in = PartyFactory(owner=None, created_by=shop.ibo_user)
    for_customer = place(shop.ibo_user, brought_in, (shop.tea, 1), channel="ibo")
    assert for_customer.seller == shop.ibo and for_customer.price_list == "retail"


@pytest.mark.parametrize(
    ("lines", "field"),
    [([], "lines"), ([("tea", 0)], "lines"), ([("tea", 1000)], "lines")],
)
def test_bad_orders_are_refused_with_a_field(company, shop, lines, field):
    with pytest.raises(ValidationError) as caught:
        place(company.rep, shop.consumer, *[(getattr(shop, p), q) for p, q in lines])
    assert field in caught.value.message_dict


def test_courier_orders_need_an_address_and_inactive_products_are_refused(company, shop):
    from guanxi.commerce.services.orders import ShipTo

    with pytest.raises(ValidationError) as caught:
        place(company.rep, shop.consumer, (shop.tea, 1), ship_to=ShipTo())
    assert {"ship_to_name", "ship_to_phone", "ship_to_address"} <= set(caught.value.message_dict)
    shop.tea.is_active = False
    shop.tea.save()
    with pytest.raises(ValidationError, match="灵芝茶"):
        place(company.rep, shop.consumer, (shop.tea, 1))
    with pytest.raises(ValidationError, match="保温杯"):  # no member price
        place(shop.consumer_user, shop.consumer, (shop.gift, 1), channel="portal")


def test_buying_moves_the_customer_along_the_lifecycle(company, shop):
    buyer = PartyFactory(owner=company.rep)
    assert buyer.lifecycle_stage == "prospect"
    place(company.rep, buyer, (shop.tea, 1))  # unpaid: no change yet
    buyer.refresh_from_db()
    assert buyer.lifecycle_stage == "prospect"
    place_paid(company.rep, buyer, (shop.tea, 1))
    buyer.refresh_from_db()
    assert buyer.lifecycle_stage == "customer"
    place_paid(company.rep, buyer, (shop.tea, 1))
    buyer.refresh_from_db()
    assert buyer.lifecycle_stage == "repeat_customer"
    assert AuditEvent.objects.filter(object_id=str(buyer.pk), changes__has_key="lifecycle_stage")
