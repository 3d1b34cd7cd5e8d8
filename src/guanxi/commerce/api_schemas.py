"""Schemas shared by the staff API (api.py) and the portal API (api_portal.py)."""

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Schema

from guanxi.commerce.choices import (
    Fulfilment,
    OrderEventKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    PointsKind,
    PriceListKind,
    ReturnStatus,
    SalesChannel,
    SubscriptionStatus,
)
from guanxi.commerce.models import Order, OrderLine, Product, ReturnRequest
from guanxi.commerce.services.orders import MAX_LINES, MAX_QUANTITY, LineRequest, ShipTo
from guanxi.commerce.services.pricing import money
from guanxi.core.api_support import IdValue

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]


def get_or_422(queryset, pk: int, field: str, message: str):
    """A record named by an id in a request body; a missing one is a field error."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: message})
    return obj


def reject_nulls(fields: dict, nullable: set[str]) -> None:
    """PATCH: leave a field out to keep it; only `nullable` fields can be cleared."""
    nulls = sorted(k for k, v in fields.items() if v is None and k not in nullable)
    if nulls:
        raise ValidationError({k: _("This field cannot be null.") for k in nulls})


# Catalogue ------------------------------------------------------------------------------


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    category_id: int
    category_name: str
    summary: str
    description: str
    image_url: str | None
    pv: Decimal
    bv: Decimal
    warranty_months: int
    launch_date: datetime.date | None
    redemption_points: int | None
    is_active: bool
    prices: dict[str, Decimal] = Field(description="price list kind → price (CNY)")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_category_name(obj: Product) -> str:
        return obj.category.name

    @staticmethod
    def resolve_image_url(obj: Product) -> str | None:
        return obj.image.url if obj.image else None

    @staticmethod
    def resolve_prices(obj: Product) -> dict[str, Decimal]:
        return {item.price_list.kind: item.price for item in obj.prices.all()}


class PortalProductOut(Schema):
    id: int
    sku: str
    name: str
    category_id: int
    category_name: str
    summary: str
    description: str
    image_url: str | None
    pv: Decimal
    bv: Decimal
    warranty_months: int
    launch_date: datetime.date | None
    redemption_points: int | None
    price: Decimal | None = Field(description="your price; null when not sold to you")

    @staticmethod
    def resolve_category_name(obj: Product) -> str:
        return obj.category.name

    @staticmethod
    def resolve_image_url(obj: Product) -> str | None:
        return obj.image.url if obj.image else None

    @staticmethod
    def resolve_price(obj: Product) -> Decimal | None:
        return None if obj.my_price is None else money(obj.my_price)


class CategoryOut(Schema):
    id: int
    name: str
    position: int


# Orders ---------------------------------------------------------------------------------


class LineIn(Schema):
    product_id: IdValue
    quantity: Quantity


class ShipToIn(Schema):
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=32)
    province: str = Field("", max_length=20)
    address: str = Field("", max_length=300)


def line_requests(lines: list[LineIn]) -> list[LineRequest]:
    return [LineRequest(line.product_id, line.quantity) for line in lines]


def ship_to(payload: ShipToIn | None) -> ShipTo:
    return ShipTo(**payload.dict()) if payload else ShipTo()


class OrderLineOut(Schema):
    id: int
    product_id: int
    product_name: str
    sku: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    pv: Decimal
    bv: Decimal
    points_price: int
    points_earned: int
    returned_quantity: int

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku


class PaymentOut(Schema):
    id: int
    amount: Decimal
    method: PaymentMethod
    status: PaymentStatus
    reference: str
    recorded_at: datetime.datetime


class StaffPaymentOut(PaymentOut):
    recorded_by_id: int | None


class OrderEventOut(Schema):
    kind: OrderEventKind
    at: datetime.datetime


class StaffOrderEventOut(OrderEventOut):
    id: int
    actor_id: int | None
    note: str


class OrderOut(Schema):
    """What a portal login reads of an order; staff read more (StaffOrderOut)."""

    id: int
    number: str
    customer_id: int
    customer_name: str
    channel: SalesChannel
    seller_id: int | None
    price_list: PriceListKind
    status: OrderStatus
    fulfilment: Fulfilment
    subtotal: Decimal
    shipping_fee: Decimal
    total: Decimal
    amount_paid: Decimal
    amount_refunded: Decimal
    balance_due: Decimal
    points_spent: int
    pv_total: Decimal
    bv_total: Decimal
    payment_due_on: datetime.date | None
    courier: str
    tracking_number: str
    placed_at: datetime.datetime
    paid_at: datetime.datetime | None
    packed_at: datetime.datetime | None
    shipped_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None

    @staticmethod
    def resolve_customer_name(obj: Order) -> str:
        return obj.customer.name


class StaffOrderOut(OrderOut):
    response_code: str
    subscription_id: int | None
    placed_by_id: int | None
    reminders_sent: int


class OrderDetailOut(OrderOut):
    ship_to_name: str
    ship_to_phone: str
    ship_to_province: str
    ship_to_address: str
    lines: list[OrderLineOut]
    payments: list[PaymentOut]
    events: list[OrderEventOut]


class StaffOrderDetailOut(StaffOrderOut):
    ship_to_name: str
    ship_to_phone: str
    ship_to_province: str
    ship_to_address: str
    note: str
    lines: list[OrderLineOut]
    payments: list[StaffPaymentOut]
    events: list[StaffOrderEventOut]


# Lines come with their products in one query (a join), not two.
ORDER_DETAIL_PREFETCH = (
    Prefetch("lines", queryset=OrderLine.objects.select_related("product")),
    "payments",
    "events",
)


class OrderFilterIn(Schema):
    status: OrderStatus | None = None
    channel: SalesChannel | None = None
    customer_id: IdValue | None = None
    seller_id: IdValue | None = None
    placed_from: datetime.date | None = Field(None, description="placed on or after (local)")
    placed_to: datetime.date | None = Field(None, description="placed on or before (local)")


def filter_orders(qs, f: OrderFilterIn):
    if f.placed_from and f.placed_to and f.placed_from > f.placed_to:
        raise ValidationError({"placed_to": _("The end date is before the start date.")})
    lookups = {
        "status": f.status,
        "channel": f.channel,
        "customer_id": f.customer_id,
        "seller_id": f.seller_id,
        "placed_at__date__gte": f.placed_from,
        "placed_at__date__lte": f.placed_to,
    }
    return qs.filter(**{k: v for k, v in lookups.items() if v is not None})


# Returns --------------------------------------------------------------------------------


class ReturnLineIn(Schema):
    order_line_id: IdValue
    quantity: Quantity


class ReturnIn(Schema):
    order_id: IdValue
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=MAX_LINES)
    unopened: bool = Field(description="only unopened goods can be returned")
    reason: str = Field("", max_length=300)


def return_quantities(payload: ReturnIn) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for line in payload.lines:
        quantities[line.order_line_id] = quantities.get(line.order_line_id, 0) + line.quantity
    return quantities


class ReturnLineOut(Schema):
    id: int
    order_line_id: int
    product_id: int
    quantity: int
    amount: Decimal

    @staticmethod
    def resolve_product_id(obj) -> int:
        return obj.order_line.product_id


class ReturnOut(Schema):
    id: int
    order_id: int
    order_number: str
    customer_id: int
    status: ReturnStatus
    reason: str
    unopened: bool
    requested_at: datetime.datetime
    refund_due_on: datetime.date
    received_at: datetime.datetime | None
    refunded_at: datetime.datetime | None
    refund_amount: Decimal
    points_restored: int
    points_reversed: int
    points_shortfall: int
    decision_note: str
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_order_number(obj: ReturnRequest) -> str:
        return obj.order.number


RETURN_PREFETCH = ("lines__order_line",)


# Points ---------------------------------------------------------------------------------


class PointsBalanceOut(Schema):
    party_id: int
    balance: int


class PointsEntryOut(Schema):
    id: int
    kind: PointsKind
    points: int
    occurred_at: datetime.datetime
    expires_on: datetime.date | None
    order_id: int | None
    return_request_id: int | None
    note: str


class RedeemIn(Schema):
    product_id: IdValue
    quantity: Quantity = 1
    fulfilment: Fulfilment = Fulfilment.COURIER
    ship_to: ShipToIn | None = None


# Subscriptions --------------------------------------------------------------------------


class SubscriptionOut(Schema):
    id: int
    customer_id: int
    product_id: int
    product_name: str
    quantity: int
    every_weeks: int
    next_run_on: datetime.date
    status: SubscriptionStatus
    seller_id: int | None
    fulfilment: Fulfilment
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name


class SubscriptionIn(Schema):
    product_id: IdValue
    quantity: int = Field(1, ge=1, le=99)
    every_weeks: int = Field(..., ge=1, le=52)
    first_on: datetime.date | None = Field(None, description="default: every_weeks from today")
    fulfilment: Fulfilment = Fulfilment.COURIER


class SubscriptionAction(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    CANCEL = "cancel"
