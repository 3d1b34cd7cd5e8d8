from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    """An email or SMS the system sent to a customer: the outbox every notice goes through
    (payment reminders, new-product news), kept as the record of what was said to whom."""

    channel = models.CharField(_("channel"), max_length=20)
    party_id = models.BigIntegerField(_("customer"), null=True, blank=True, db_index=True)
    recipient = models.CharField(_("to"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    purpose = models.CharField(_("purpose"), max_length=40)
    source_ref = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"
