"""Redeeming points for products (积分换产品): a zero-price order paid in points."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.choices import (
    Fulfilment,
    OrderEventKind,
    OrderStatus,
    PointsKind,
    PriceListKind,
    SalesChannel,
)
from guanxi.commerce.models import Order, OrderLine, Product
from guanxi.commerce.services.access import require_order_right
from guanxi.commerce.services.events import order_event
from guanxi.commerce.services.orders import MAX_QUANTITY, ShipTo, _check_ship_to, _number
from guanxi.commerce.services.points import lock_party, points_take
from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, UserKind


@transaction.atomic
def points_redeem(
    *,
    actor,
    customer,
    product: Product,
    quantity: int = 1,
    fulfilment: str = Fulfilment.COURIER,
    ship_to: ShipTo | None = None,
    now: datetime.datetime | None = None,
) -> Order:
    """Spend points on a product of the redemption catalogue; refused if they do not
    suffice, however many redemptions run at once."""
    require_order_right(actor, customer, channel=SalesChannel.REDEMPTION)
    if not product.is_active or not product.redemption_points:
        raise ValidationError({"product": _("This product cannot be redeemed with points.")})
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(
            {"quantity": _("Quantities are from 1 to %(n)d.") % {"n": MAX_QUANTITY}}
        )
    ship_to = ship_to or ShipTo()
    _check_ship_to(fulfilment, ship_to)
    lock_party(customer.pk)
    now = now or timezone.now()
    cost = product.redemption_points * quantity
    order = Order.objects.create(
        number=uuid.uuid4().hex[:20],
        customer=customer,
        channel=SalesChannel.REDEMPTION,
        price_list=PriceListKind.RETAIL,
        status=OrderStatus.PAID,
        fulfilment=fulfilment,
        ship_to_name=ship_to.name.strip()[:100],
        ship_to_phone=ship_to.phone.strip()[:32],
        ship_to_province=ship_to.province.strip()[:20],
        ship_to_address=ship_to.address.strip()[:300],
        points_spent=cost,
        placed_by=actor if actor.kind == UserKind.STAFF else None,
        placed_at=now,
        paid_at=now,
    )
    order.number = _number(order)
    order.save(update_fields=["number"])
    OrderLine.objects.create(
        order=order,
        product=product,
        quantity=quantity,
        unit_price=0,
        amount=0,
        points_price=product.redemption_points,
    )
    points_take(
        party_id=customer.pk,
        points=cost,
        kind=PointsKind.REDEEM,
        now=now,
        source_ref=f"redeem:{order.number}",
        order=order,
        actor=_staff(actor),
    )
    order_event(
        order,
        OrderEventKind.PLACED,
        actor=actor,
        at=now,
        note=_("%(points)d points for %(product)s") % {"points": cost, "product": product},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=order,
        subject=customer,
        changes={"order": [None, order.number], "points_spent": [None, cost]},
    )
    return order


def _staff(actor):
    return actor if actor.kind == UserKind.STAFF else None
