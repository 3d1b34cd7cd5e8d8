from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.sales.choices import ApprovalKind, ApprovalStatus


class ApprovalPolicy(models.Model):
    """When a kind of request needs approval, and how far up the org hierarchy it goes:
    1 = the requester's nearest manager, 2 = that one's manager (the region head) too."""

    kind = models.CharField(_("kind"), max_length=20, choices=ApprovalKind, unique=True)
    threshold = models.DecimalField(
        _("needs approval above"),
        max_digits=14,
        decimal_places=2,
        default=10,
        help_text=_("For discounts: a percentage; for contracts: an amount in CNY."),
    )
    levels = models.PositiveSmallIntegerField(
        _("levels up"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    remind_after_hours = models.PositiveSmallIntegerField(_("remind after (hours)"), default=24)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")

    def __str__(self) -> str:
        return self.get_kind_display()


class ApprovalRequest(models.Model):
    """A decision requested up the hierarchy (审批) about one record (its label and id);
    the record is locked while the request is pending."""

    kind = models.CharField(_("kind"), max_length=20, choices=ApprovalKind)
    subject_type = models.CharField(max_length=100)
    subject_id = models.BigIntegerField()
    summary = models.CharField(_("summary"), max_length=300)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApprovalStatus, default=ApprovalStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    requested_at = models.DateTimeField(_("requested"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "status"], name="approval_subject_idx"
            )
        ]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")

    def __str__(self) -> str:
        return self.summary


class ApprovalStep(models.Model):
    """One approver's turn in a request's chain, in order."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="approval_steps",
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=ApprovalStatus, default=ApprovalStatus.PENDING
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        indexes = [models.Index(fields=["approver", "decision"], name="approval_inbox_idx")]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position}"
