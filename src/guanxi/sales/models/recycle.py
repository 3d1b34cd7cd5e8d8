from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecycleNotice(models.Model):
    """How many records one recycle batch took back from a rep, kept until the rep is
    told: each batch commits its own, so a run killed between its batches and its notices
    leaves them for the next run to send."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(_("records returned"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pending recycle notice")
        verbose_name_plural = _("pending recycle notices")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.count}"
