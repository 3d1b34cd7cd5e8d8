"""Reads of commerce that are more than a filter; all start from visible_to()."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from guanxi.commerce.choices import OPEN_RETURN_STATUSES, OrderStatus, SalesChannel
from guanxi.commerce.models import Order, ReturnRequest, Subscription
from guanxi.commerce.services.access import own_distributor
from guanxi.core.choices import UserKind
from guanxi.core.converters import number_or_none
from guanxi.core.visibility import Action
from guanxi.customers.models import Party


def overdue_refunds(*, user, today: datetime.date | None = None) -> QuerySet:
    """Open returns whose 7-day refund deadline has passed, oldest first."""
    today = today or timezone.localdate()
    return (
        ReturnRequest.objects.visible_to(user, Action.VIEW)
        .filter(status__in=OPEN_RETURN_STATUSES, refund_due_on__lt=today)
        .select_related("order", "customer")
        .order_by("refund_due_on", "id")
    )


@dataclass
class OrderFilters:
    q: str = ""  # order number
    status: str = ""
    channel: str = ""
    customer: int | None = None
    seller: str = ""  # member number
    placed_from: datetime.date | None = None
    placed_to: datetime.date | None = None

    @classmethod
    def from_query(cls, query) -> "OrderFilters":
        status = query.get("status", "")
        channel = query.get("channel", "")
        customer = query.get("customer", "")
        return cls(
            q=query.get("q", "").strip()[:20],
            status=status if status in OrderStatus.values else "",
            channel=channel if channel in SalesChannel.values else "",
            customer=number_or_none(customer),
            seller=query.get("seller", "").strip()[:40],
            placed_from=_day(query.get("from", "")),
            placed_to=_day(query.get("to", "")),
        )

    def query(self) -> str:
        """The filters as a query string, for the pager's links."""
        from urllib.parse import urlencode

        pairs = {"q": self.q, "status": self.status, "channel": self.channel,
                 "customer": self.customer or "", "seller": self.seller,
                 "from": self.placed_from or "", "to": self.placed_to or ""}  # fmt: skip
        return urlencode({k: v for k, v in pairs.items() if v})


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())


def order_list(*, user, filters: OrderFilters) -> QuerySet:
    qs = Order.objects.visible_to(user).select_related("customer", "seller")
    if filters.q:
        qs = qs.filter(number__startswith=filters.q)
    if filters.seller:
        qs = qs.filter(seller__member_id=filters.seller)
    if filters.placed_from:
        qs = qs.filter(placed_at__gte=_local_midnight(filters.placed_from))
    if filters.placed_to:
        next_day = filters.placed_to + datetime.timedelta(days=1)
        qs = qs.filter(placed_at__lt=_local_midnight(next_day))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    return qs.order_by("-placed_at", "-id")


BOARD = (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED)


def fulfilment_columns(*, user, limit: int = 100) -> list[tuple[str, str, list[Order]]]:
    """The fulfilment board: paid, packed and shipped orders, oldest first per column."""
    qs = Order.objects.visible_to(user).select_related("customer")
    return [
        (
            status,
            OrderStatus(status).label,
            list(qs.filter(status=status).order_by("placed_at", "id")[:limit]),
        )
        for status in BOARD
    ]


def open_returns(*, user) -> QuerySet:
    return (
        ReturnRequest.objects.visible_to(user)
        .filter(status__in=OPEN_RETURN_STATUSES)
        .select_related("order", "customer")
        .prefetch_related("lines__order_line__product")
        .order_by("refund_due_on", "id")
    )


# The portal windows: a consumer or IBO sees what visible_to() gives a portal login (their
# own party's records), and an IBO also the orders, returns and auto-reorders they sold.


def _sold_by(user):
    distributor = own_distributor(user)
    return distributor.pk if distributor else None


def portal_orders(*, user) -> QuerySet:
    """Orders a portal login may read: their own, and for an IBO those they sold."""
    seller_id = _sold_by(user)
    own = Order.objects.visible_to(user, Action.VIEW)
    return (own | Order.objects.filter(seller_id=seller_id)) if seller_id else own


def portal_returns(*, user) -> QuerySet:
    seller_id = _sold_by(user)
    own = ReturnRequest.objects.visible_to(user, Action.VIEW)
    return (own | ReturnRequest.objects.filter(order__seller_id=seller_id)) if seller_id else own


def portal_subscriptions(*, user) -> QuerySet:
    seller_id = _sold_by(user)
    own = Subscription.objects.visible_to(user, Action.VIEW)
    return (own | Subscription.objects.filter(seller_id=seller_id)) if seller_id else own


def portal_customers(*, user) -> QuerySet:
    """The parties a portal login may order for: themselves, and for an IBO the
    customers they have sold to before or brought into the database themselves (a number
    the company already knows stays with the company: the service centre takes it)."""
    seller_id = _sold_by(user)
    if not user.party_id or user.kind not in (UserKind.CONSUMER, UserKind.DISTRIBUTOR):
        return Party.objects.none()
    mine = Q(pk=user.party_id)
    if seller_id:
        mine |= Q(pk__in=Order.objects.filter(seller_id=seller_id).values("customer_id"))
        mine |= Q(created_by=user)
    return Party.objects.filter(mine)
