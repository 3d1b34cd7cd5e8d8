from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import ReturnStatus
from guanxi.commerce.models.catalogue import MONEY
from guanxi.core.visibility import VisibleQuerySet


class ReturnRequest(models.Model):
    """A return of unopened goods (退货): within 30 days of purchase, refunded at the
    invoice price within 7 days of the request (直销管理条例 Art. 25)."""

    visibility_via = "customer"

    order = models.ForeignKey(
        "commerce.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns"
    )
    customer = models.ForeignKey(
        "customers.Party", on_delete=models.PROTECT, related_name="returns"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus, default=ReturnStatus.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    unopened = models.BooleanField(_("goods unopened"), default=False)
    requested_at = models.DateTimeField(_("requested"))
    refund_due_on = models.DateField(_("refund due"))
    received_at = models.DateTimeField(_("goods received"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    refund_amount = models.DecimalField(_("refund"), **MONEY, default=0)
    points_restored = models.PositiveIntegerField(_("points given back"), default=0)
    points_reversed = models.PositiveIntegerField(_("points taken back"), default=0)
    points_shortfall = models.PositiveIntegerField(
        _("points already spent"),
        default=0,
        help_text=_("Earned points the customer had spent before the return."),
    )
    decision_note = models.CharField(_("comment"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["refund_due_on", "id"]
        indexes = [models.Index(fields=["status", "refund_due_on"], name="return_queue_idx")]
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self) -> str:
        return f"{self.order} #{self.pk}"


class ReturnLine(models.Model):
    """How many units of one order line come back, and their invoice value."""

    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "commerce.OrderLine", on_delete=models.PROTECT, related_name="return_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["return_request", "id"]
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")

    def __str__(self) -> str:
        return f"{self.order_line} ↩ {self.quantity}"
