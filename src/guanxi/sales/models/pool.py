from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.sales.choices import ClaimEnd


class PoolPolicy(models.Model):
    """The rules of the public pool (公海), one row, kept by an administrator."""

    protection_days = models.PositiveSmallIntegerField(
        _("protection period (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("A claim ends after this long unless the customer is won."),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("follow-up within (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Returned to the pool if the rep logs no follow-up for this long."),
    )
    progress_days = models.PositiveSmallIntegerField(
        _("progress within (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Returned to the pool if the lead makes no progress for this long."),
    )
    max_claims = models.PositiveIntegerField(
        _("records a rep may hold"), default=200, validators=[MinValueValidator(1)]
    )
    reclaim_after_days = models.PositiveSmallIntegerField(
        _("reclaim after (days)"),
        default=7,
        help_text=_("A rep whose claim was returned may claim the record again after this."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pool policy")
        verbose_name_plural = _("pool policies")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Claim(models.Model):
    """A rep's registered, time-limited right to a record from the pool (报备 / 认领).

    While active, the party's owner is the claimant; at most one claim per party is
    active (a partial unique index, besides the conditional update that takes it)."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    claimed_at = models.DateTimeField(_("claimed"))
    protected_until = models.DateTimeField(_("protected until"))
    last_follow_up_at = models.DateTimeField(_("last follow-up"), null=True, blank=True)
    last_progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=20, choices=ClaimEnd, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party"], condition=Q(ended_at__isnull=True), name="one_active_claim"
            )
        ]
        indexes = [
            models.Index(fields=["user", "ended_at"], name="claim_user_idx"),
            models.Index(
                fields=["protected_until"],
                condition=Q(ended_at__isnull=True),
                name="claim_active_idx",
            ),
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.party_id} · {self.user_id}"
