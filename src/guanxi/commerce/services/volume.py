"""Posting an order's volume to the network's ledger: paying posts it, a refund posts
the negative entry (ARCHITECTURE: the commission engine reads only that ledger)."""

from decimal import Decimal

from django.utils import timezone

from guanxi.commerce.models import Order


def credited_distributor(order: Order):
    """Whose PV an order is: the selling distributor, else the buyer if a distributor."""
    from guanxi.network.models import Distributor

    if order.seller_id:
        return order.seller
    return Distributor.objects.filter(party_id=order.customer_id).first()


def post_order_volume(order: Order) -> None:
    """Credit the order's volume on the day it was paid."""
    if order.is_redemption or order.subtotal <= 0:
        return
    day = timezone.localdate(order.paid_at)
    _post(order, order.pv_total, order.bv_total, order.subtotal, f"order:{order.number}", day)


def post_return_volume(
    order: Order, *, pv: Decimal, bv: Decimal, amount: Decimal, ref: str, at
) -> None:
    """Take the returned part back on the day of the refund."""
    if order.is_redemption or amount <= 0:
        return
    _post(order, -pv, -bv, -amount, ref, timezone.localdate(at))


def _post(order, pv, bv, amount, source_ref, day) -> None:
    from guanxi.network.services.ledger import volume_post

    distributor = credited_distributor(order)
    if distributor is None:
        return
    volume_post(
        distributor=distributor,
        date=day,
        pv=pv,
        bv=bv,
        amount=amount,
        source_ref=source_ref,
        region=order.ship_to_province or distributor.service_region,
    )
