"""Returns (退货): unopened goods within 30 days of purchase, refunded at the invoice
price within 7 days of the request (直销管理条例 Art. 25); volume and points reversed."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.choices import (
    OPEN_RETURN_STATUSES,
    OrderEventKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    PointsKind,
    ReturnStatus,
)
from guanxi.commerce.models import Order, OrderLine, Payment, PointsEntry, ReturnLine, ReturnRequest
from guanxi.commerce.services.access import require_role
from guanxi.commerce.services.events import order_event
from guanxi.commerce.services.orders import _require_order_staff_or_self
from guanxi.commerce.services.points import expiry_date, lock_party, points_take
from guanxi.commerce.services.pricing import money
from guanxi.commerce.services.volume import post_return_volume
from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action

RETURN_WINDOW_DAYS = 30
REFUND_DAYS = 7
RETURNABLE = (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def return_window_ends(order: Order) -> datetime.date:
    """The last day a return may be asked for: 30 days from the day of purchase."""
    return timezone.localdate(order.placed_at) + datetime.timedelta(days=RETURN_WINDOW_DAYS)


def returnable_quantities(order: Order) -> dict[int, int]:
    """order line id → units not yet returned nor in an open return request."""
    pending = dict(
        ReturnLine.objects.filter(
            order_line__order=order, return_request__status__in=OPEN_RETURN_STATUSES
        )
        .values_list("order_line_id")
        .annotate(q=Sum("quantity"))
    )
    return {
        line.pk: line.quantity - line.returned_quantity - pending.get(line.pk, 0)
        for line in order.lines.all()
    }


@transaction.atomic
def return_request(
    *,
    actor,
    order: Order,
    quantities: dict[int, int],
    unopened: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> ReturnRequest:
    """Ask to return units of a paid order; the refund falls due 7 days from now."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require_order_staff_or_self(actor, order)
    now = now or timezone.now()
    if order.status not in RETURNABLE:
        raise ValidationError({"order": _("Only a paid order can be returned.")})
    if timezone.localdate(now) > return_window_ends(order):
        raise ValidationError(
            {
                "order": _("The 30-day return period ended on %(day)s.")
                % {"day": return_window_ends(order).isoformat()}
            }
        )
    if not unopened:
        raise ValidationError({"unopened": _("Only unopened goods can be returned.")})
    open_units = returnable_quantities(order)
    wanted = {int(k): int(v) for k, v in quantities.items() if int(v) > 0}
    if not wanted:
        raise ValidationError({"lines": _("Choose what comes back.")})
    for line_id, qty in wanted.items():
        if line_id not in open_units or qty > open_units[line_id]:
            raise ValidationError({"lines": _("More units than can still be returned.")})
    lines = OrderLine.objects.in_bulk(list(wanted))
    ret = ReturnRequest.objects.create(
        order=order,
        customer_id=order.customer_id,
        reason=reason.strip()[:300],
        unopened=True,
        requested_at=now,
        refund_due_on=timezone.localdate(now) + datetime.timedelta(days=REFUND_DAYS),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(
            return_request=ret,
            order_line=lines[i],
            quantity=q,
            amount=money(lines[i].unit_price * q),
        )
        for i, q in wanted.items()
    )
    ret.refund_amount = sum((money(lines[i].unit_price * q) for i, q in wanted.items()), Decimal(0))
    ret.save(update_fields=["refund_amount"])
    order_event(order, OrderEventKind.RETURN_REQUESTED, actor=actor, at=now, note=ret.reason)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=ret,
        subject=order.customer,
        changes={"refund_amount": [None, str(ret.refund_amount)]},
    )
    return ret


def _locked_open(ret: ReturnRequest) -> ReturnRequest:
    ret = ReturnRequest.objects.select_for_update().select_related("order").get(pk=ret.pk)
    if ret.status not in OPEN_RETURN_STATUSES:
        raise ValidationError({"status": _("This return is already settled.")})
    return ret


@transaction.atomic
def return_receive(*, actor, ret: ReturnRequest) -> ReturnRequest:
    """The goods are back in the warehouse (optional step before the refund)."""
    require_role(actor, Action.FULFIL)
    ret = _locked_open(ret)
    ret.status, ret.received_at, ret.handled_by = ReturnStatus.RECEIVED, timezone.now(), actor
    ret.save(update_fields=["status", "received_at", "handled_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=ret,
        subject=ret.order.customer,
        changes={"status": [ReturnStatus.REQUESTED, ReturnStatus.RECEIVED]},
    )
    return ret


@transaction.atomic
def return_reject(*, actor, ret: ReturnRequest, note: str) -> ReturnRequest:
    require_role(actor, Action.FULFIL)
    ret = _locked_open(ret)
    if not note.strip():
        raise ValidationError({"decision_note": _("Say why the return is refused.")})
    before = ret.status
    ret.status, ret.handled_by, ret.decision_note = ReturnStatus.REJECTED, actor, note.strip()[:300]
    ret.save(update_fields=["status", "handled_by", "decision_note"])
    order_event(ret.order, OrderEventKind.RETURN_REJECTED, actor=actor, note=ret.decision_note)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=ret,
        subject=ret.order.customer,
        changes={"status": [before, ReturnStatus.REJECTED]},
    )
    return ret


@transaction.atomic
def return_refund(
    *,
    actor,
    ret: ReturnRequest,
    method: str,
    reference: str = "",
    now: datetime.datetime | None = None,
) -> ReturnRequest:
    """Pay the refund at the invoice price; reverse the volume and the points."""
    require_role(actor, Action.FULFIL)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose how the money goes back.")})
    ret = _locked_open(ret)
    order = Order.objects.select_for_update().get(pk=ret.order_id)
    now = now or timezone.now()
    lines = list(ret.lines.select_related("order_line"))
    pv = bv = Decimal(0)
    for rl in lines:
        line = rl.order_line
        pv += money(line.pv * rl.quantity / line.quantity)
        bv += money(line.bv * rl.quantity / line.quantity)
    if ret.refund_amount > 0:
        Payment.objects.create(
            order=order,
            amount=-ret.refund_amount,
            method=method,
            status=PaymentStatus.REFUNDED,
            reference=reference.strip()[:80],
            recorded_by=actor,
            recorded_at=now,
        )
        order.amount_refunded += ret.refund_amount
        order.save(update_fields=["amount_refunded"])
    post_return_volume(
        order, pv=pv, bv=bv, amount=ret.refund_amount, ref=f"return:{ret.pk}", at=now
    )
    _reverse_points(ret, order, lines, now)
    for rl in lines:  # after the points: their share depends on what was returned before
        OrderLine.objects.filter(pk=rl.order_line_id).update(
            returned_quantity=rl.order_line.returned_quantity + rl.quantity
        )
    ret.status, ret.refunded_at, ret.handled_by = ReturnStatus.REFUNDED, now, actor
    ret.save(
        update_fields=[
            "status",
            "refunded_at",
            "handled_by",
            "points_reversed",
            "points_restored",
            "points_shortfall",
        ]
    )
    order_event(order, OrderEventKind.REFUNDED, actor=actor, at=now, note=f"¥{ret.refund_amount}")
    _close_if_all_back(order, actor, now)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=ret,
        subject=order.customer,
        changes={
            "status": [ReturnStatus.REQUESTED, ReturnStatus.REFUNDED],
            "refund_amount": [None, str(ret.refund_amount)],
        },
    )
    return ret


def _close_if_all_back(order: Order, actor, now) -> None:
    """Everything refunded before it left the warehouse: the order is off the fulfilment
    board (cancelled); an order already shipped keeps its tracking history."""
    if order.status not in (OrderStatus.PAID, OrderStatus.PACKED):
        return
    if any(ln.returned_quantity < ln.quantity for ln in OrderLine.objects.filter(order=order)):
        return
    before = order.status
    order.status, order.cancelled_at = OrderStatus.CANCELLED, now
    order.save(update_fields=["status", "cancelled_at"])
    order_event(
        order,
        OrderEventKind.CANCELLED,
        actor=actor,
        at=now,
        note=_("Everything was returned before shipping."),
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=order,
        subject=order.customer,
        changes={"status": [before, OrderStatus.CANCELLED]},
    )


def line_points_back(points_earned: int, quantity: int, returned_before: int, now_back: int) -> int:
    """The points a return takes back from one line: its cumulative share after the
    return less the share taken before, so a line returned in parts gives back exactly
    what it earned."""
    after = points_earned * (returned_before + now_back) // quantity
    before = points_earned * returned_before // quantity
    return after - before


def _reverse_points(ret: ReturnRequest, order: Order, lines, now) -> None:
    lock_party(order.customer_id)
    if order.is_redemption:
        restored = sum(rl.order_line.points_price * rl.quantity for rl in lines)
        if restored:
            PointsEntry.objects.create(
                party_id=order.customer_id,
                kind=PointsKind.REVERSE,
                points=restored,
                occurred_at=now,
                order=order,
                return_request=ret,
                source_ref=f"restore:{ret.pk}",
                note=_("Redemption returned"),
                expires_on=expiry_date(timezone.localdate(now)),  # valid as if earned today
            )
        ret.points_restored = restored
        return
    due = sum(
        line_points_back(
            rl.order_line.points_earned,
            rl.order_line.quantity,
            rl.order_line.returned_quantity,
            rl.quantity,
        )
        for rl in lines
    )
    if due:
        taken, short = points_take(
            party_id=order.customer_id,
            points=due,
            kind=PointsKind.REVERSE,
            now=now,
            source_ref=f"reverse:{ret.pk}",
            clamp=True,
            order=order,
            return_request=ret,
        )
        ret.points_reversed, ret.points_shortfall = taken, short
