from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.customers.choices import Channel, ConsentMethod, ConsentStatus


class Consent(models.Model):
    """One recorded consent decision for one channel (营销授权), kept as history.

    The latest row per (party, channel) is the consent in force; earlier rows are the
    evidence PIPL asks for (when, how, who recorded it).
    """

    visibility_via = "party"

    party = models.ForeignKey("customers.Party", on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    status = models.CharField(_("status"), max_length=20, choices=ConsentStatus)
    method = models.CharField(_("how"), max_length=30, choices=ConsentMethod)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("when"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["party", "channel", "-recorded_at"], name="consent_idx")]
        verbose_name = _("marketing consent")
        verbose_name_plural = _("marketing consents")

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_status_display()}"
