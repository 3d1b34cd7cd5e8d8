from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class SalesTarget(models.Model):
    """A month's sales target (业绩目标) for one rep or one department: signed contract
    revenue, collections and new customers. `month` is the month's first day."""

    month = models.DateField(_("month"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sales_targets",
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sales_targets",
    )
    revenue = models.DecimalField(
        _("revenue (CNY)"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    collections = models.DecimalField(
        _("collections (CNY)"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    new_customers = models.PositiveIntegerField(_("new customers"), default=0)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["-month", "org_unit", "user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, org_unit__isnull=False)
                | Q(user__isnull=False, org_unit__isnull=True),
                name="target_rep_or_team",
            ),
            models.UniqueConstraint(
                fields=["user", "month"],
                condition=Q(user__isnull=False),
                name="target_once_per_rep_month",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "month"],
                condition=Q(org_unit__isnull=False),
                name="target_once_per_team_month",
            ),
        ]
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")

    def __str__(self) -> str:
        return f"{self.user or self.org_unit} {self.month:%Y-%m}"
