"""Typed order events: the order's history and what the customer's timeline shows."""

from django.utils import timezone

from guanxi.commerce.models import Order, OrderEvent


def order_event(order: Order, kind: str, *, actor=None, note: str = "", at=None) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        customer_id=order.customer_id,
        kind=kind,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        note=note[:500],
    )
