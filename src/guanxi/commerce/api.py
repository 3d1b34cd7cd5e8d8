"""Staff REST API of commerce: products, orders, returns, points, auto-reorders.

Every order, return, points and auto-reorder query starts from `visible_to(user)`, so a
record of a customer the user cannot see answers 404, like on the web.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from guanxi.commerce import selectors
from guanxi.commerce.api_schemas import (
    ORDER_DETAIL_PREFETCH,
    RETURN_PREFETCH,
    CategoryOut,
    LineIn,
    Money,
    OrderFilterIn,
    PointsBalanceOut,
    PointsEntryOut,
    ProductOut,
    ReturnIn,
    ReturnOut,
    ShipToIn,
    StaffOrderDetailOut,
    StaffOrderOut,
    SubscriptionAction,
    SubscriptionIn,
    SubscriptionOut,
    filter_orders,
    get_or_422,
    line_requests,
    reject_nulls,
    return_quantities,
    ship_to,
)
from guanxi.commerce.choices import (
    OPEN_RETURN_STATUSES,
    Fulfilment,
    OrderStatus,
    PaymentMethod,
    PriceListKind,
    ReturnStatus,
    SalesChannel,
    SubscriptionStatus,
)
from guanxi.commerce.models import (
    Category,
    Order,
    PointsEntry,
    Product,
    ReturnRequest,
    Subscription,
)
from guanxi.commerce.services import catalogue, orders, points, returns, subscriptions
from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.choices import UserKind
from guanxi.customers.selectors import party_for
from guanxi.network.models import Distributor

router = Router(tags=["commerce"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _staff(request):
    """The staff user of the request; portal logins use /portal/ instead."""
    user = request.auth
    if user.kind != UserKind.STAFF:
        raise PermissionDenied(_("Portal logins use the /api/v1/portal/ endpoints."))
    return user


# Catalogue ------------------------------------------------------------------------------

Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class ProductIn(Schema):
    sku: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    category_id: IdValue
    summary: str = Field("", max_length=300)
    description: str = Field("", max_length=20000)
    pv: Money = Decimal(0)
    bv: Money = Decimal(0)
    warranty_months: int = Field(0, ge=0, le=600)
    launch_date: datetime.date | None = None
    redemption_points: int | None = Field(None, ge=1, le=10_000_000)
    is_active: bool = True
    prices: dict[PriceListKind, Price | None] = Field(
        {}, description="price list kind → price; null takes the product off that list"
    )


class ProductPatch(Schema):
    sku: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    category_id: IdValue | None = None
    summary: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20000)
    pv: Money | None = None
    bv: Money | None = None
    warranty_months: int | None = Field(None, ge=0, le=600)
    launch_date: datetime.date | None = None
    redemption_points: int | None = Field(None, ge=1, le=10_000_000)
    is_active: bool | None = None
    prices: dict[PriceListKind, Price | None] | None = None


def _products():
    return Product.objects.select_related("category").prefetch_related("prices__price_list")


def _catalogue_fields(fields: dict) -> dict:
    if "category_id" in fields:
        fields["category"] = get_or_422(
            Category.objects, fields.pop("category_id"), "category_id", _("Unknown category.")
        )
    return fields


@router.get("/product-categories", response=list[CategoryOut])
def category_list(request):
    _staff(request)
    return list(Category.objects.all())


@router.get("/products", response=list[ProductOut])
@paginate(CursorPagination)
def product_list(
    request, category_id: IdValue | None = None, active: bool | None = None, q: str = ""
):
    _staff(request)
    qs = _products()
    if category_id:
        qs = qs.filter(category_id=category_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(sku__iexact=q.strip()))
    return qs


@router.get("/products/{product_id}", response={200: ProductOut, 404: ErrorOut})
def product_detail(request, product_id: RecordId):
    _staff(request)
    return get_object_or_404(_products(), pk=product_id)


@router.post("/products", response={201: ProductOut, **ERRORS})
def product_create(request, payload: ProductIn):
    data = _catalogue_fields(payload.dict())
    product = catalogue.product_create(actor=_staff(request), **data)
    return Status(201, _products().get(pk=product.pk))


@router.patch("/products/{product_id}", response={200: ProductOut, **ERRORS})
def product_update(request, product_id: RecordId, payload: ProductPatch):
    user = _staff(request)
    product = get_object_or_404(Product, pk=product_id)
    fields = payload.dict(exclude_unset=True)
    reject_nulls(fields, {"launch_date", "redemption_points"})
    catalogue.product_update(actor=user, product=product, **_catalogue_fields(fields))
    return _products().get(pk=product.pk)


# Orders ---------------------------------------------------------------------------------


class OrderIn(Schema):
    customer_id: IdValue
    channel: SalesChannel
    lines: list[LineIn] = Field(..., min_length=1, max_length=orders.MAX_LINES)
    fulfilment: Fulfilment = Fulfilment.COURIER
    ship_to: ShipToIn | None = None
    seller_id: IdValue | None = Field(None, description="the selling distributor, if any")
    price_list: PriceListKind | None = Field(None, description="default: the customer's list")
    response_code: str = Field("", max_length=40)
    shipping_fee: Money = Decimal(0)
    note: str = Field("", max_length=500)


class PaymentIn(Schema):
    amount: Money
    method: PaymentMethod
    reference: str = Field("", max_length=80)


class AdvanceIn(Schema):
    status: OrderStatus = Field(description="the next step: packed, shipped or delivered")
    courier: str = Field("", max_length=50)
    tracking_number: str = Field("", max_length=60)


class CancelIn(Schema):
    reason: str = Field("", max_length=500)


def _visible_order(request, order_id: int) -> Order:
    qs = Order.objects.visible_to(_staff(request)).select_related("customer")
    return get_object_or_404(qs, pk=order_id)


def _order_detail(order_id: int) -> Order:
    qs = Order.objects.select_related("customer").prefetch_related(*ORDER_DETAIL_PREFETCH)
    return qs.get(pk=order_id)


@router.get("/orders", response=list[StaffOrderOut])
@paginate(CursorPagination)
def order_list(request, filters: Query[OrderFilterIn]):
    qs = Order.objects.visible_to(_staff(request)).select_related("customer")
    return filter_orders(qs, filters)


@router.get("/orders/{order_id}", response={200: StaffOrderDetailOut, 404: ErrorOut})
def order_detail(request, order_id: RecordId):
    return _order_detail(_visible_order(request, order_id).pk)


@router.post("/orders", response={201: StaffOrderDetailOut, **ERRORS})
def order_create(request, payload: OrderIn):
    user = _staff(request)
    customer = party_for(user=user, party_id=payload.customer_id)
    seller = None
    if payload.seller_id:
        seller = get_or_422(
            Distributor.objects, payload.seller_id, "seller_id", _("Unknown distributor.")
        )
    order = orders.order_place(
        actor=user,
        customer=customer,
        channel=payload.channel,
        lines=line_requests(payload.lines),
        fulfilment=payload.fulfilment,
        ship_to=ship_to(payload.ship_to),
        seller=seller,
        price_list=payload.price_list,
        response_code=payload.response_code,
        shipping_fee=payload.shipping_fee,
        note=payload.note,
    )
    return Status(201, _order_detail(order.pk))


@router.post("/orders/{order_id}/payments", response={201: StaffOrderDetailOut, **ERRORS})
def order_payment(request, order_id: RecordId, payload: PaymentIn):
    order = _visible_order(request, order_id)
    orders.payment_record(actor=request.auth, order=order, **payload.dict())
    return Status(201, _order_detail(order.pk))


@router.post("/orders/{order_id}/advance", response={200: StaffOrderDetailOut, **ERRORS})
def order_advance(request, order_id: RecordId, payload: AdvanceIn):
    order = _visible_order(request, order_id)
    orders.order_advance(
        actor=request.auth,
        order=order,
        to_status=payload.status,
        courier=payload.courier,
        tracking_number=payload.tracking_number,
    )
    return _order_detail(order.pk)


@router.post("/orders/{order_id}/cancel", response={200: StaffOrderDetailOut, **ERRORS})
def order_cancel(request, order_id: RecordId, payload: CancelIn):
    order = _visible_order(request, order_id)
    orders.order_cancel(actor=request.auth, order=order, reason=payload.reason)
    return _order_detail(order.pk)


# Returns --------------------------------------------------------------------------------


class ReturnFilterIn(Schema):
    status: ReturnStatus | None = None
    open: bool | None = Field(None, description="requested or goods received")
    overdue: bool = Field(False, description="open returns past their 7-day refund deadline")
    customer_id: IdValue | None = None
    order_id: IdValue | None = None


class RejectIn(Schema):
    note: str = Field(..., max_length=300)


class RefundIn(Schema):
    method: PaymentMethod
    reference: str = Field("", max_length=80)


def _visible_return(request, return_id: int) -> ReturnRequest:
    qs = ReturnRequest.objects.visible_to(_staff(request))
    return get_object_or_404(qs, pk=return_id)


def _return_detail(return_id: int) -> ReturnRequest:
    qs = ReturnRequest.objects.select_related("order").prefetch_related(*RETURN_PREFETCH)
    return qs.get(pk=return_id)


@router.get("/returns", response=list[ReturnOut])
@paginate(CursorPagination)
def return_list(request, filters: Query[ReturnFilterIn]):
    user = _staff(request)
    if filters.overdue:
        qs = selectors.overdue_refunds(user=user)
    else:
        qs = ReturnRequest.objects.visible_to(user)
    if filters.open is not None:
        open_q = {"status__in": OPEN_RETURN_STATUSES}
        qs = qs.filter(**open_q) if filters.open else qs.exclude(**open_q)
    lookups = {
        "status": filters.status,
        "customer_id": filters.customer_id,
        "order_id": filters.order_id,
    }
    qs = qs.filter(**{k: v for k, v in lookups.items() if v is not None})
    return qs.select_related("order").prefetch_related(*RETURN_PREFETCH)


@router.get("/returns/{return_id}", response={200: ReturnOut, 404: ErrorOut})
def return_detail(request, return_id: RecordId):
    return _return_detail(_visible_return(request, return_id).pk)


@router.post("/returns", response={201: ReturnOut, **ERRORS})
def return_create(request, payload: ReturnIn):
    order = _visible_order(request, payload.order_id)
    ret = returns.return_request(
        actor=request.auth,
        order=order,
        quantities=return_quantities(payload),
        unopened=payload.unopened,
        reason=payload.reason,
    )
    return Status(201, _return_detail(ret.pk))


@router.post("/returns/{return_id}/receive", response={200: ReturnOut, **ERRORS})
def return_receive(request, return_id: RecordId):
    ret = _visible_return(request, return_id)
    returns.return_receive(actor=request.auth, ret=ret)
    return _return_detail(ret.pk)


@router.post("/returns/{return_id}/reject", response={200: ReturnOut, **ERRORS})
def return_reject(request, return_id: RecordId, payload: RejectIn):
    ret = _visible_return(request, return_id)
    returns.return_reject(actor=request.auth, ret=ret, note=payload.note)
    return _return_detail(ret.pk)


@router.post("/returns/{return_id}/refund", response={200: ReturnOut, **ERRORS})
def return_refund(request, return_id: RecordId, payload: RefundIn):
    ret = _visible_return(request, return_id)
    returns.return_refund(actor=request.auth, ret=ret, **payload.dict())
    return _return_detail(ret.pk)


# Points ---------------------------------------------------------------------------------


class AdjustIn(Schema):
    points: int = Field(..., ge=-10_000_000, le=10_000_000, description="signed; not zero")
    note: str = Field(..., max_length=300)


@router.get("/parties/{party_id}/points", response={200: PointsBalanceOut, 404: ErrorOut})
def points_balance(request, party_id: RecordId):
    party = party_for(user=_staff(request), party_id=party_id)
    return {"party_id": party.pk, "balance": points.points_balance(party.pk)}


@router.get("/parties/{party_id}/points/entries", response=list[PointsEntryOut])
@paginate(CursorPagination)
def points_entries(request, party_id: RecordId):
    user = _staff(request)
    party = party_for(user=user, party_id=party_id)
    return PointsEntry.objects.visible_to(user).filter(party=party)


@router.post("/parties/{party_id}/points/adjustments", response={201: PointsEntryOut, **ERRORS})
def points_adjust(request, party_id: RecordId, payload: AdjustIn):
    user = _staff(request)
    party = party_for(user=user, party_id=party_id)
    entry = points.points_adjust(actor=user, party=party, points=payload.points, note=payload.note)
    return Status(201, entry)


# Auto-reorders --------------------------------------------------------------------------


class StaffSubscriptionIn(SubscriptionIn):
    customer_id: IdValue


class SubscriptionFilterIn(Schema):
    status: SubscriptionStatus | None = None
    customer_id: IdValue | None = None
    product_id: IdValue | None = None
    due_by: datetime.date | None = Field(None, description="next order on or before this day")


@router.get("/subscriptions", response=list[SubscriptionOut])
@paginate(CursorPagination)
def subscription_list(request, filters: Query[SubscriptionFilterIn]):
    qs = Subscription.objects.visible_to(_staff(request)).select_related("product")
    lookups = {
        "status": filters.status,
        "customer_id": filters.customer_id,
        "product_id": filters.product_id,
        "next_run_on__lte": filters.due_by,
    }
    return qs.filter(**{k: v for k, v in lookups.items() if v is not None})


@router.get("/subscriptions/{subscription_id}", response={200: SubscriptionOut, 404: ErrorOut})
def subscription_detail(request, subscription_id: RecordId):
    qs = Subscription.objects.visible_to(_staff(request)).select_related("product")
    return get_object_or_404(qs, pk=subscription_id)


@router.post("/subscriptions", response={201: SubscriptionOut, **ERRORS})
def subscription_create(request, payload: StaffSubscriptionIn):
    user = _staff(request)
    customer = party_for(user=user, party_id=payload.customer_id)
    product = get_or_422(Product.objects, payload.product_id, "product_id", _("Unknown product."))
    sub = subscriptions.subscription_create(
        actor=user,
        customer=customer,
        product=product,
        quantity=payload.quantity,
        every_weeks=payload.every_weeks,
        first_on=payload.first_on,
        fulfilment=payload.fulfilment,
    )
    return Status(201, sub)


@router.post("/subscriptions/{subscription_id}/{action}", response={200: SubscriptionOut, **ERRORS})
def subscription_change(request, subscription_id: RecordId, action: SubscriptionAction):
    qs = Subscription.objects.visible_to(_staff(request)).select_related("customer")
    sub = get_object_or_404(qs, pk=subscription_id)
    return subscriptions.subscription_change(actor=request.auth, subscription=sub, action=action)
