from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.sales.choices import TaskKind, TaskPriority, TaskStatus


class FollowUpTask(models.Model):
    """A due next contact with a customer (跟进任务), optionally about one of its leads or
    deals, assigned to a staff member; done or cancelled with an outcome."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="follow_up_tasks",
    )
    lead = models.ForeignKey(
        "sales.Lead",
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    opportunity = models.ForeignKey(
        "sales.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="follow_up_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("task"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=TaskKind, default=TaskKind.CALL)
    priority = models.CharField(
        _("priority"), max_length=10, choices=TaskPriority, default=TaskPriority.NORMAL
    )
    notes = models.TextField(_("notes"), blank=True)
    due_at = models.DateTimeField(_("due"))
    # When the email reminder goes out (null: none); kept so the job is one indexed range.
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus, default=TaskStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    interaction = models.ForeignKey(
        "customers.Interaction",
        verbose_name=_("activity logged"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="task_assignee_idx"),
            models.Index(
                fields=["remind_at"],
                condition=Q(status="open", reminded_at__isnull=True),
                name="task_remind_idx",
            ),
            models.Index(fields=["assignee", "closed_at"], name="task_closed_idx"),
        ]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self) -> str:
        return self.title
