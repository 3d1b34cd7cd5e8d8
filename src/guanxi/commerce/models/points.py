from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.commerce.choices import EarningRuleKind, PointsKind
from guanxi.commerce.models.catalogue import MONEY, Product
from guanxi.core.visibility import VisibleQuerySet


class EarningRule(models.Model):
    """How paid orders earn points: per amount, per unit of a product, or a campaign bonus."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=EarningRuleKind)
    points = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1)])
    per_amount = models.DecimalField(
        _("per amount (CNY)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
        help_text=_("For points per amount: this many points for each full amount paid."),
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.CASCADE
    )
    response_code = models.CharField(_("campaign / response code"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One signed movement of a party's loyalty points (积分). Append-only: the database
    refuses changes, except a merge re-pointing the entry to the surviving party."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party", on_delete=models.PROTECT, related_name="points_entries", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PointsKind)
    points = models.IntegerField(_("points"))
    occurred_at = models.DateTimeField(_("time"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    order = models.ForeignKey(
        "commerce.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_request = models.ForeignKey(
        "commerce.ReturnRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.ForeignKey(
        EarningRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_ref = models.CharField(max_length=80, unique=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["party", "-occurred_at", "-id"], name="points_party_idx")]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")

    def __str__(self) -> str:
        return f"{self.party_id} {self.points:+d}"
