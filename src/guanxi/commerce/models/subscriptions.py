from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import Fulfilment, SubscriptionStatus
from guanxi.core.visibility import VisibleQuerySet


class Subscription(models.Model):
    """Auto-reorder (自动复购): the worker orders `quantity` of a product every N weeks."""

    visibility_via = "customer"

    customer = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    product = models.ForeignKey(
        "commerce.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    every_weeks = models.PositiveSmallIntegerField(
        _("every (weeks)"), validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    next_run_on = models.DateField(_("next order on"))
    status = models.CharField(
        _("status"), max_length=20, choices=SubscriptionStatus, default=SubscriptionStatus.ACTIVE
    )
    seller = models.ForeignKey(
        "network.Distributor",
        verbose_name=_("selling distributor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fulfilment = models.CharField(
        _("fulfilment"), max_length=20, choices=Fulfilment, default=Fulfilment.COURIER
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["next_run_on", "id"]
        indexes = [models.Index(fields=["status", "next_run_on"], name="subscription_due_idx")]
        verbose_name = _("auto-reorder")
        verbose_name_plural = _("auto-reorders")

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity} / {self.every_weeks}w"
