from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.customers.choices import InteractionKind, Outcome


class Interaction(models.Model):
    """A logged call, visit, email, SMS, direct mail or note (跟进记录), with its follow-up."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party", on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField(_("type"), max_length=20, choices=InteractionKind)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("details"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["party", "-occurred_at", "-id"], name="interaction_party_idx"),
            models.Index(
                fields=["actor", "follow_up_on"],
                name="interaction_followup_idx",
                condition=models.Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True),
            ),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}".strip()
