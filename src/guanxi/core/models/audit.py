from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.choices import AuditAction


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One change to a record: who, when, from where, and field-level before/after.

    Append-only: the model refuses updates and deletes, and a database trigger
    (migration 0002) refuses them for raw SQL too.
    `subject_*` names the record whose History tab shows the event (a contact point's
    change appears on its party's history).
    """

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        # The trail outlives users: deleting one must not try to UPDATE the trail.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-occurred_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")
