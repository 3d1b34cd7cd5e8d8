"""Portal REST API under /api/v1/portal/: the logged-in consumer's or IBO's own orders,
points, auto-reorders and returns (an IBO also sees the orders they sold to customers).

Every query starts from the portal selectors, so another customer's record answers 404
whatever id is put in the URL or the body.
"""

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from guanxi.commerce import selectors
from guanxi.commerce.api_schemas import (
    ORDER_DETAIL_PREFETCH,
    RETURN_PREFETCH,
    LineIn,
    OrderDetailOut,
    OrderFilterIn,
    OrderOut,
    PointsBalanceOut,
    PointsEntryOut,
    PortalProductOut,
    RedeemIn,
    ReturnIn,
    ReturnOut,
    ShipToIn,
    SubscriptionAction,
    SubscriptionIn,
    SubscriptionOut,
    filter_orders,
    get_or_422,
    line_requests,
    return_quantities,
    ship_to,
)
from guanxi.commerce.choices import Fulfilment, OrderStatus, SalesChannel, SubscriptionStatus
from guanxi.commerce.models import Order, PointsEntry, PriceListItem, Product, ReturnRequest
from guanxi.commerce.services import orders, points, redemption, returns, subscriptions
from guanxi.commerce.services.access import own_distributor
from guanxi.commerce.services.orders import MAX_LINES
from guanxi.commerce.services.pricing import price_list_for
from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.choices import PORTAL_KINDS, UserKind
from guanxi.customers.models import Party

router = Router(tags=["portal"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
OPEN_ORDER_STATUSES = (
    OrderStatus.RECEIVED,
    OrderStatus.PAID,
    OrderStatus.PACKED,
    OrderStatus.SHIPPED,
)


@dataclass(frozen=True)
class Me:
    user: object
    party: Party
    distributor: object | None


def _me(request) -> Me:
    """The portal identity of the request: a consumer or distributor login with a party."""
    user = request.auth
    if user.kind not in PORTAL_KINDS or not user.party_id:
        raise PermissionDenied(_("These endpoints are for consumer and distributor logins."))
    return Me(user=user, party=user.party, distributor=own_distributor(user))


def _customer(me: Me, customer_id: int | None) -> Party:
    """Whom a portal order is for: oneself, or (IBO) a customer sold to before."""
    if customer_id is None or customer_id == me.party.pk:
        return me.party
    return get_object_or_404(selectors.portal_customers(user=me.user), pk=customer_id)


class MeOut(Schema):
    party_id: int
    name: str
    user_kind: UserKind
    member_id: str | None = Field(description="the IBO's member number")
    price_list: str
    points_balance: int
    open_orders: int
    active_subscriptions: int


@router.get("/me", response={200: MeOut, 403: ErrorOut})
def portal_me(request):
    me = _me(request)
    own = selectors.portal_orders(user=me.user).filter(customer=me.party)
    subs = selectors.portal_subscriptions(user=me.user).filter(customer=me.party)
    return {
        "party_id": me.party.pk,
        "name": me.party.name,
        "user_kind": me.user.kind,
        "member_id": me.distributor.member_id if me.distributor else None,
        "price_list": price_list_for(me.party),
        "points_balance": points.points_balance(me.party.pk),
        "open_orders": own.filter(status__in=OPEN_ORDER_STATUSES).count(),
        "active_subscriptions": subs.filter(status=SubscriptionStatus.ACTIVE).count(),
    }


@router.get("/products", response=list[PortalProductOut])
@paginate(CursorPagination)
def portal_products(request, category_id: IdValue | None = None, redeemable: bool = False):
    """Products on sale, at your price (member or distributor price)."""
    me = _me(request)
    price = PriceListItem.objects.filter(
        product=OuterRef("pk"), price_list__kind=price_list_for(me.party)
    ).values("price")[:1]
    qs = Product.objects.filter(is_active=True).select_related("category")
    if category_id:
        qs = qs.filter(category_id=category_id)
    if redeemable:
        qs = qs.filter(redemption_points__isnull=False)
    return qs.annotate(my_price=Subquery(price))


# Orders ---------------------------------------------------------------------------------


class PortalOrderFilterIn(OrderFilterIn):
    placed_for: Literal["me", "customers"] | None = Field(
        None, description="IBO: only my own orders, or only those sold to my customers"
    )


class PortalOrderIn(Schema):
    customer_id: IdValue | None = Field(
        None, description="IBO: a customer you have sold to; default: yourself"
    )
    lines: list[LineIn] = Field(..., min_length=1, max_length=MAX_LINES)
    fulfilment: Fulfilment = Fulfilment.COURIER
    ship_to: ShipToIn | None = None
    response_code: str = Field("", max_length=40)
    note: str = Field("", max_length=500)


class PortalCancelIn(Schema):
    reason: str = Field("", max_length=500)


def _my_order(me: Me, order_id: int) -> Order:
    return get_object_or_404(selectors.portal_orders(user=me.user), pk=order_id)


def _order_detail(order_id: int) -> Order:
    qs = Order.objects.select_related("customer").prefetch_related(*ORDER_DETAIL_PREFETCH)
    return qs.get(pk=order_id)


@router.get("/orders", response=list[OrderOut])
@paginate(CursorPagination)
def portal_orders(request, filters: Query[PortalOrderFilterIn]):
    me = _me(request)
    qs = filter_orders(selectors.portal_orders(user=me.user), filters)
    if filters.placed_for == "me":
        qs = qs.filter(customer=me.party)
    elif filters.placed_for == "customers":
        qs = qs.exclude(customer=me.party)
    return qs.select_related("customer")


@router.get("/orders/{order_id}", response={200: OrderDetailOut, 403: ErrorOut, 404: ErrorOut})
def portal_order_detail(request, order_id: RecordId):
    return _order_detail(_my_order(_me(request), order_id).pk)


@router.post("/orders", response={201: OrderDetailOut, **ERRORS})
def portal_order_place(request, payload: PortalOrderIn):
    me = _me(request)
    customer = _customer(me, payload.customer_id)
    channel = SalesChannel.PORTAL if customer.pk == me.party.pk else SalesChannel.IBO
    order = orders.order_place(
        actor=me.user,
        customer=customer,
        channel=channel,
        lines=line_requests(payload.lines),
        fulfilment=payload.fulfilment,
        ship_to=ship_to(payload.ship_to),
        response_code=payload.response_code,
        note=payload.note,
    )
    return Status(201, _order_detail(order.pk))


@router.post("/orders/{order_id}/cancel", response={200: OrderDetailOut, **ERRORS})
def portal_order_cancel(request, order_id: RecordId, payload: PortalCancelIn):
    me = _me(request)
    order = _my_order(me, order_id)
    orders.order_cancel(actor=me.user, order=order, reason=payload.reason)
    return _order_detail(order.pk)


# Points ---------------------------------------------------------------------------------


@router.get("/points", response={200: PointsBalanceOut, 403: ErrorOut})
def portal_points(request):
    me = _me(request)
    return {"party_id": me.party.pk, "balance": points.points_balance(me.party.pk)}


@router.get("/points/entries", response=list[PointsEntryOut])
@paginate(CursorPagination)
def portal_points_entries(request):
    me = _me(request)
    return PointsEntry.objects.visible_to(me.user).filter(party=me.party)


@router.post("/points/redemptions", response={201: OrderDetailOut, **ERRORS})
def portal_redeem(request, payload: RedeemIn):
    """Spend your points on a product of the redemption catalogue (积分兑换)."""
    me = _me(request)
    product = get_or_422(Product.objects, payload.product_id, "product_id", _("Unknown product."))
    order = redemption.points_redeem(
        actor=me.user,
        customer=me.party,
        product=product,
        quantity=payload.quantity,
        fulfilment=payload.fulfilment,
        ship_to=ship_to(payload.ship_to),
    )
    return Status(201, _order_detail(order.pk))


# Auto-reorders --------------------------------------------------------------------------


class PortalSubscriptionIn(SubscriptionIn):
    customer_id: IdValue | None = Field(
        None, description="IBO: a customer you have sold to; default: yourself"
    )


@router.get("/subscriptions", response=list[SubscriptionOut])
@paginate(CursorPagination)
def portal_subscriptions(request, status: SubscriptionStatus | None = None):
    qs = selectors.portal_subscriptions(user=_me(request).user).select_related("product")
    return qs.filter(status=status) if status else qs


@router.post("/subscriptions", response={201: SubscriptionOut, **ERRORS})
def portal_subscription_create(request, payload: PortalSubscriptionIn):
    me = _me(request)
    customer = _customer(me, payload.customer_id)
    product = get_or_422(Product.objects, payload.product_id, "product_id", _("Unknown product."))
    sub = subscriptions.subscription_create(
        actor=me.user,
        customer=customer,
        product=product,
        quantity=payload.quantity,
        every_weeks=payload.every_weeks,
        first_on=payload.first_on,
        fulfilment=payload.fulfilment,
    )
    return Status(201, sub)


@router.post(
    "/subscriptions/{subscription_id}/{action}",
    response={200: SubscriptionOut, **ERRORS},
)
def portal_subscription_change(request, subscription_id: RecordId, action: SubscriptionAction):
    me = _me(request)
    sub = get_object_or_404(selectors.portal_subscriptions(user=me.user), pk=subscription_id)
    return subscriptions.subscription_change(actor=me.user, subscription=sub, action=action)


# Returns --------------------------------------------------------------------------------


@router.get("/returns", response=list[ReturnOut])
@paginate(CursorPagination)
def portal_returns(request):
    qs = selectors.portal_returns(user=_me(request).user)
    return qs.select_related("order").prefetch_related(*RETURN_PREFETCH)


@router.post("/returns", response={201: ReturnOut, **ERRORS})
def portal_return_request(request, payload: ReturnIn):
    """Ask to return unopened goods within 30 days of purchase."""
    me = _me(request)
    order = _my_order(me, payload.order_id)
    ret = returns.return_request(
        actor=me.user,
        order=order,
        quantities=return_quantities(payload),
        unopened=payload.unopened,
        reason=payload.reason,
    )
    qs = ReturnRequest.objects.select_related("order").prefetch_related(*RETURN_PREFETCH)
    return Status(201, qs.get(pk=ret.pk))
