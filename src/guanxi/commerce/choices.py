"""Enumerations of commerce: price lists, channels, order and payment states, points."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PriceListKind(models.TextChoices):
    RETAIL = "retail", _("Retail price")
    MEMBER = "member", _("Member price")
    DISTRIBUTOR = "distributor", _("Distributor price")


class SalesChannel(models.TextChoices):
    """Where an order was taken (GLOSSARY: 门户, 呼叫中心, 直销员代下单, 体验店, 药店)."""

    PORTAL = "portal", _("Consumer portal")
    CALL_CENTRE = "call_centre", _("Call centre")
    IBO = "ibo", _("IBO on behalf of a customer")
    SHOWROOM = "showroom", _("Showroom / exhibition centre")
    PARTNER_STORE = "partner_store", _("Partner pharmacy or store")
    SUBSCRIPTION = "subscription", _("Auto-reorder")
    REDEMPTION = "redemption", _("Points redemption")


class Fulfilment(models.TextChoices):
    COURIER = "courier", _("Courier delivery")
    PICKUP = "pickup", _("Pickup")


class OrderStatus(models.TextChoices):
    """The tracking states, in order; cancelled leaves the line."""

    RECEIVED = "received", pgettext_lazy("order status", "Received")
    PAID = "paid", pgettext_lazy("order status", "Paid")
    PACKED = "packed", pgettext_lazy("order status", "Packed")
    SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
    DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


# The fulfilment steps after payment, each with the timestamp field it sets.
FULFILMENT_STEPS = {
    OrderStatus.PACKED: "packed_at",
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
}
NEXT_STATUS = {
    OrderStatus.PAID: OrderStatus.PACKED,
    OrderStatus.PACKED: OrderStatus.SHIPPED,
    OrderStatus.SHIPPED: OrderStatus.DELIVERED,
}


class PaymentMethod(models.TextChoices):
    WECHAT_PAY = "wechat_pay", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Bank card")
    CASH = "cash", _("Cash")
    CASH_ON_DELIVERY = "cod", _("Cash on delivery")


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded", pgettext_lazy("payment status", "Received")
    REFUNDED = "refunded", pgettext_lazy("payment status", "Refunded")


class OrderEventKind(models.TextChoices):
    PLACED = "placed", _("Order placed")
    PAID = "paid", _("Payment received")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Order cancelled")
    REMINDED = "reminded", _("Payment reminder sent")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURN_REJECTED = "return_rejected", _("Return rejected")
    REFUNDED = "refunded", _("Refund paid")


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("return status", "Requested")
    RECEIVED = "received", pgettext_lazy("return status", "Goods received")
    REFUNDED = "refunded", pgettext_lazy("return status", "Refunded")
    REJECTED = "rejected", pgettext_lazy("return status", "Rejected")


OPEN_RETURN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.RECEIVED)


class PointsKind(models.TextChoices):
    EARN = "earn", _("Earned")
    BONUS = "bonus", _("Campaign bonus")
    REDEEM = "redeem", _("Redeemed")
    REVERSE = "reverse", _("Reversed by a return")
    EXPIRE = "expire", _("Expired")
    ADJUST = "adjust", _("Adjustment")


class EarningRuleKind(models.TextChoices):
    PER_AMOUNT = "per_amount", _("Points per amount paid")
    PER_PRODUCT = "per_product", _("Points per unit of a product")
    CAMPAIGN_BONUS = "campaign_bonus", _("Bonus for a campaign's orders")


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("subscription status", "Active")
    PAUSED = "paused", pgettext_lazy("subscription status", "Paused")
    CANCELLED = "cancelled", pgettext_lazy("subscription status", "Cancelled")
