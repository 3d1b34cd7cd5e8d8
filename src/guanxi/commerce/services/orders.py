"""Placing, paying, fulfilling and cancelling orders (订单)."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.choices import (
    FULFILMENT_STEPS,
    NEXT_STATUS,
    OPEN_RETURN_STATUSES,
    Fulfilment,
    OrderEventKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    PriceListKind,
    SalesChannel,
)
from guanxi.commerce.models import Order, OrderLine, Payment, Product
from guanxi.commerce.services.access import own_distributor, require_order_right, require_role
from guanxi.commerce.services.events import order_event
from guanxi.commerce.services.points import points_earn_for_order
from guanxi.commerce.services.pricing import money, price_list_for, prices_for
from guanxi.commerce.services.volume import post_order_volume
from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, UserKind
from guanxi.core.visibility import Action
from guanxi.customers.services.parties import party_stage_after_purchase

MAX_LINES = 50
MAX_QUANTITY = 999


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class ShipTo:
    name: str = ""
    phone: str = ""
    province: str = ""
    address: str = ""


def _check_lines(lines: list[LineRequest]) -> dict[int, Product]:
    if not lines:
        raise ValidationError({"lines": _("Add at least one product.")})
    if len(lines) > MAX_LINES:
        raise ValidationError(
            {"lines": _("An order holds at most %(n)d lines.") % {"n": MAX_LINES}}
        )
    for line in lines:
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise ValidationError(
                {"lines": _("Quantities are from 1 to %(n)d.") % {"n": MAX_QUANTITY}}
            )
    products = Product.objects.in_bulk([line.product_id for line in lines])
    missing = [line.product_id for line in lines if line.product_id not in products]
    inactive = [p.name for p in products.values() if not p.is_active]
    if missing:
        raise ValidationError({"lines": _("Unknown product.")})
    if inactive:
        raise ValidationError(
            {"lines": _("Not on sale: %(names)s.") % {"names": "、".join(inactive)}}
        )
    return products


def _check_ship_to(fulfilment: str, ship_to: ShipTo) -> None:
    if fulfilment not in Fulfilment.values:
        raise ValidationError({"fulfilment": _("Choose courier delivery or pickup.")})
    if fulfilment == Fulfilment.COURIER:
        errors = {}
        if not ship_to.name.strip():
            errors["ship_to_name"] = _("Who receives the parcel?")
        if not ship_to.phone.strip():
            errors["ship_to_phone"] = _("A phone number for the courier is needed.")
        if not ship_to.address.strip():
            errors["ship_to_address"] = _("Where should it be delivered?")
        if errors:
            raise ValidationError(errors)


def _seller_for(actor, channel: str, seller, subscription):
    """An auto-reorder is sold by whoever set it up as seller, whoever places it; IBO
    orders by the IBO logged in; staff name the seller; members buying for themselves
    have none."""
    if channel == SalesChannel.SUBSCRIPTION:
        return subscription.seller if subscription is not None else None
    if actor.kind == UserKind.DISTRIBUTOR:
        return own_distributor(actor) if channel == SalesChannel.IBO else None
    if actor.kind == UserKind.CONSUMER:
        return None
    return seller


def _number(order: Order) -> str:
    return f"{timezone.localtime(order.placed_at):%Y%m%d}{order.pk:08d}"


@transaction.atomic
def order_place(
    *,
    actor,
    customer,
    channel: str,
    lines: list[LineRequest],
    fulfilment: str = Fulfilment.COURIER,
    ship_to: ShipTo | None = None,
    seller=None,
    price_list: str | None = None,
    response_code: str = "",
    shipping_fee: Decimal = Decimal("0"),
    note: str = "",
    subscription=None,
    subscription_run_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Order:
    """Record an order at the customer's prices; it waits for payment (status received)."""
    if channel not in SalesChannel.values or channel == SalesChannel.REDEMPTION:
        raise ValidationError({"channel": _("Choose the channel the order came through.")})
    if (channel == SalesChannel.SUBSCRIPTION) != (subscription is not None):
        raise ValidationError({"channel": _("Auto-reorder orders are placed by the worker.")})
    require_order_right(actor, customer, channel=channel)
    if actor.kind != UserKind.STAFF and price_list is not None:
        raise PermissionDenied(_("Only staff choose the price list."))
    kind = price_list or price_list_for(customer)
    if kind not in PriceListKind.values:
        raise ValidationError({"price_list": _("Unknown price list.")})
    products = _check_lines(lines)
    ship_to = ship_to or ShipTo()
    _check_ship_to(fulfilment, ship_to)
    shipping_fee = money(shipping_fee)
    if shipping_fee < 0:
        raise ValidationError({"shipping_fee": _("Shipping cannot be negative.")})
    prices = prices_for(list(products.values()), kind)
    unpriced = [products[ln.product_id].name for ln in lines if ln.product_id not in prices]
    if unpriced:
        raise ValidationError(
            {
                "lines": _("No price on this price list for: %(names)s.")
                % {"names": "、".join(unpriced)}
            }
        )
    now = now or timezone.now()
    order = Order.objects.create(
        number=uuid.uuid4().hex[:20],
        customer=customer,
        channel=channel,
        seller=_seller_for(actor, channel, seller, subscription),
        price_list=kind,
        response_code=response_code.strip()[:40],
        fulfilment=fulfilment,
        ship_to_name=ship_to.name.strip()[:100],
        ship_to_phone=ship_to.phone.strip()[:32],
        ship_to_province=ship_to.province.strip()[:20],
        ship_to_address=ship_to.address.strip()[:300],
        shipping_fee=shipping_fee,
        note=note.strip()[:500],
        placed_by=actor if actor.kind == UserKind.STAFF else None,
        placed_at=now,
        payment_due_on=timezone.localdate(now)
        + datetime.timedelta(days=settings.PAYMENT_TERMS_DAYS),
        subscription=subscription,
        subscription_run_on=subscription_run_on,
    )
    _add_lines(order, lines, products, prices)
    order.number = _number(order)
    order.save(update_fields=["number", "subtotal", "total", "pv_total", "bv_total"])
    order_event(order, OrderEventKind.PLACED, actor=actor, at=now)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=order,
        subject=customer,
        changes={"order": [None, order.number], "total": [None, str(order.total)]},
    )
    return order


def _add_lines(order, lines, products, prices) -> None:
    rows = []
    for line in lines:
        product = products[line.product_id]
        unit = money(prices[line.product_id])
        rows.append(
            OrderLine(
                order=order,
                product=product,
                quantity=line.quantity,
                unit_price=unit,
                amount=money(unit * line.quantity),
                pv=money(product.pv * line.quantity),
                bv=money(product.bv * line.quantity),
            )
        )
    OrderLine.objects.bulk_create(rows)
    order.subtotal = sum((r.amount for r in rows), Decimal("0"))
    order.total = order.subtotal + order.shipping_fee
    order.pv_total = sum((r.pv for r in rows), Decimal("0"))
    order.bv_total = sum((r.bv for r in rows), Decimal("0"))


def _locked(order: Order) -> Order:
    """The order row locked for this transaction, with its customer (not locked)."""
    return Order.objects.select_for_update(of=("self",)).select_related("customer").get(pk=order.pk)


@transaction.atomic
def payment_record(
    *,
    actor,
    order: Order,
    amount: Decimal,
    method: str,
    reference: str = "",
    now: datetime.datetime | None = None,
) -> Payment:
    """Record money received; the payment that settles the order posts volume and points."""
    order = _locked(order)
    _require_order_staff_or_self(actor, order)
    if order.status != OrderStatus.RECEIVED:
        raise ValidationError({"amount": _("This order is not waiting for payment.")})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose how the customer paid.")})
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if amount > order.balance_due:
        raise ValidationError(
            {"amount": _("That is more than the %(due)s still due.") % {"due": order.balance_due}}
        )
    now = now or timezone.now()
    payment = Payment.objects.create(
        order=order,
        amount=amount,
        method=method,
        status=PaymentStatus.SUCCEEDED,
        reference=reference.strip()[:80],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_at=now,
    )
    order.amount_paid += amount
    fields = ["amount_paid"]
    if order.amount_paid == order.total:
        order.status, order.paid_at = OrderStatus.PAID, now
        fields += ["status", "paid_at"]
    order.save(update_fields=fields)
    if order.status == OrderStatus.PAID:
        _settled(order, actor=actor, now=now)
    return payment


def _settled(order: Order, *, actor, now) -> None:
    order_event(order, OrderEventKind.PAID, actor=actor, at=now)
    post_order_volume(order)
    points_earn_for_order(order, now=now)
    _lifecycle_after_purchase(order, actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=order,
        subject=order.customer,
        changes={"status": [OrderStatus.RECEIVED, OrderStatus.PAID]},
    )


def _require_order_staff_or_self(actor, order: Order) -> None:
    """Staff with the order right on the customer; portal users for their own orders."""
    require_order_right(actor, order.customer, channel=order.channel)
    if actor.kind == UserKind.DISTRIBUTOR and order.customer_id != actor.party_id:
        distributor = own_distributor(actor)
        if distributor is None or order.seller_id != distributor.pk:
            raise PermissionDenied(_("You may not change this order."))


@transaction.atomic
def order_advance(
    *,
    actor,
    order: Order,
    to_status: str,
    courier: str = "",
    tracking_number: str = "",
    now: datetime.datetime | None = None,
) -> Order:
    """Move a paid order one step on: packed, shipped (courier only), delivered."""
    require_role(actor, Action.FULFIL)
    order = _locked(order)
    expected = NEXT_STATUS.get(order.status)
    if order.fulfilment == Fulfilment.PICKUP and order.status == OrderStatus.PACKED:
        expected = OrderStatus.DELIVERED  # handed over at the counter
    if to_status != expected:
        raise ValidationError({"status": _("This order cannot move to that status now.")})
    leaving = to_status in (OrderStatus.PACKED, OrderStatus.SHIPPED)
    if leaving and order.returns.filter(status__in=OPEN_RETURN_STATUSES).exists():
        raise ValidationError({"status": _("A return is open on this order: settle it first.")})
    if to_status == OrderStatus.SHIPPED and not (courier.strip() and tracking_number.strip()):
        raise ValidationError({"tracking_number": _("Enter the courier and tracking number.")})
    now = now or timezone.now()
    before = order.status
    order.status = to_status
    setattr(order, FULFILMENT_STEPS[to_status], now)
    fields = ["status", FULFILMENT_STEPS[to_status]]
    if to_status == OrderStatus.SHIPPED:
        order.courier, order.tracking_number = courier.strip()[:50], tracking_number.strip()[:60]
        fields += ["courier", "tracking_number"]
    order.save(update_fields=fields)
    note = f"{order.courier} {order.tracking_number}" if to_status == OrderStatus.SHIPPED else ""
    order_event(order, to_status, actor=actor, at=now, note=note)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=order,
        subject=order.customer,
        changes={"status": [before, to_status]},
    )
    return order


@transaction.atomic
def order_cancel(*, actor, order: Order, reason: str = "") -> Order:
    """Cancel an order not fully paid (a paid one is returned instead). Money received
    on a partly paid order goes back as a refund, which needs the fulfilment right."""
    order = _locked(order)
    _require_order_staff_or_self(actor, order)
    if order.status != OrderStatus.RECEIVED:
        raise ValidationError(
            {"status": _("Only an unpaid order can be cancelled; a paid one is returned.")}
        )
    now = timezone.now()
    if order.amount_paid > order.amount_refunded:
        require_role(actor, Action.FULFIL)
        _refund_deposit(order, actor, now)
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now
    order.save(update_fields=["status", "cancelled_at", "amount_refunded"])
    order_event(order, OrderEventKind.CANCELLED, actor=actor, note=reason)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=order,
        subject=order.customer,
        changes={"status": [OrderStatus.RECEIVED, OrderStatus.CANCELLED]},
    )
    return order


def _refund_deposit(order: Order, actor, now) -> None:
    """Pay back what a cancelled order had received, by the way it was last paid."""
    due = order.amount_paid - order.amount_refunded
    last = order.payments.filter(status=PaymentStatus.SUCCEEDED).order_by("-recorded_at").first()
    Payment.objects.create(
        order=order,
        amount=-due,
        method=last.method if last else PaymentMethod.BANK_TRANSFER,
        status=PaymentStatus.REFUNDED,
        reference=_("Order cancelled"),
        recorded_by=actor,
        recorded_at=now,
    )
    order.amount_refunded += due


def _lifecycle_after_purchase(order: Order, actor) -> None:
    paid = Order.objects.filter(
        customer_id=order.customer_id, paid_at__isnull=False, subtotal__gt=0
    ).count()
    party_stage_after_purchase(actor=actor, party=order.customer, paid_orders=paid)
