from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.service.choices import RequestChannel, RequestStatus


class ServiceRequest(models.Model):
    """A customer's question or request to the service centre (服务工单), visible to
    whoever may see the customer, and answered by staff."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="service_requests",
        db_index=False,  # service_request_party_idx (party, created_at, id) serves it
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("question"))
    channel = models.CharField(_("channel"), max_length=20, choices=RequestChannel)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, default=RequestStatus.OPEN
    )
    order = models.ForeignKey(
        "commerce.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["party", "-created_at", "-id"], name="service_request_party_idx"),
            models.Index(fields=["status", "created_at"], name="service_request_queue_idx"),
        ]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"
