from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import (
    Fulfilment,
    OrderEventKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    PriceListKind,
    SalesChannel,
)
from guanxi.commerce.models.catalogue import MONEY, Product
from guanxi.core.visibility import VisibleQuerySet


class Order(models.Model):
    """A purchase through any channel (订单): who bought, who sold, what brought it, and
    where it is on its way (received → paid → packed → shipped → delivered)."""

    visibility_via = "customer"

    number = models.CharField(_("order number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,  # order_customer_idx (customer, placed_at, id) serves it
    )
    channel = models.CharField(_("channel"), max_length=20, choices=SalesChannel)
    seller = models.ForeignKey(
        "network.Distributor",
        verbose_name=_("selling distributor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders_sold",
    )
    price_list = models.CharField(
        _("price list"), max_length=20, choices=PriceListKind, default=PriceListKind.RETAIL
    )
    response_code = models.CharField(
        _("campaign / response code"), max_length=40, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus, default=OrderStatus.RECEIVED
    )
    fulfilment = models.CharField(
        _("fulfilment"), max_length=20, choices=Fulfilment, default=Fulfilment.COURIER
    )
    ship_to_name = models.CharField(_("recipient"), max_length=100, blank=True)
    ship_to_phone = models.CharField(_("recipient phone"), max_length=32, blank=True)
    ship_to_province = models.CharField(_("province"), max_length=20, blank=True)
    ship_to_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    courier = models.CharField(_("courier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    subtotal = models.DecimalField(_("goods"), **MONEY, default=0)
    shipping_fee = models.DecimalField(_("shipping"), **MONEY, default=0)
    total = models.DecimalField(_("total"), **MONEY, default=0)
    amount_paid = models.DecimalField(_("paid"), **MONEY, default=0)
    amount_refunded = models.DecimalField(_("refunded"), **MONEY, default=0)
    points_spent = models.PositiveIntegerField(_("points spent"), default=0)
    pv_total = models.DecimalField(_("PV"), **MONEY, default=0)
    bv_total = models.DecimalField(_("BV"), **MONEY, default=0)
    payment_due_on = models.DateField(_("payment due"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("payment reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    subscription = models.ForeignKey(
        "commerce.Subscription",
        verbose_name=_("auto-reorder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    # The date an auto-reorder was due when it made this order: a rerun makes none twice.
    subscription_run_on = models.DateField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    packed_at = models.DateTimeField(_("packed"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-placed_at", "-id"], name="order_customer_idx"),
            # The API's keyset pages run newest id first: a customer's first page reads 51
            # index entries instead of all of a heavy buyer's orders (docs/benchmarks.md).
            models.Index(fields=["customer", "-id"], name="order_customer_id_idx"),
            models.Index(fields=["status", "placed_at"], name="order_status_idx"),
            models.Index(fields=["seller", "-placed_at"], name="order_seller_idx"),
            # The month's volume posting finds where its orders start (post_volume).
            models.Index(fields=["paid_at"], name="order_paid_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "subscription_run_on"], name="order_once_per_reorder_run"
            )
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number

    @property
    def balance_due(self):
        return self.total - self.amount_paid

    @property
    def is_redemption(self) -> bool:
        return self.channel == SalesChannel.REDEMPTION


class OrderLine(models.Model):
    """One product on an order, at the price and volume it was invoiced with."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    pv = models.DecimalField(_("PV"), **MONEY, default=0)
    bv = models.DecimalField(_("BV"), **MONEY, default=0)
    points_price = models.PositiveIntegerField(_("points per unit"), default=0)
    points_earned = models.PositiveIntegerField(_("points earned"), default=0)
    returned_quantity = models.PositiveIntegerField(_("returned"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class Payment(models.Model):
    """Money received for an order, or paid back on a refund (negative amount)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["order", "recorded_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"


class OrderEvent(models.Model):
    """A business milestone of an order (Saleor's OrderEvent): the order's own history,
    and what the customer's timeline shows."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    customer = models.ForeignKey(
        "customers.Party", on_delete=models.PROTECT, related_name="order_events", db_index=False
    )
    kind = models.CharField(_("event"), max_length=30, choices=OrderEventKind)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "-at", "-id"], name="orderevent_timeline_idx")]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
