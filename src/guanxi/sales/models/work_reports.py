from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.sales.choices import ReportKind, ReportStatus


class WorkReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The author's own reports; a manager's or administrator's whole subtree. Reps do
        not read their teammates' reports (visibility.staff_in_scope would give a rep
        their team, which is right for customers but not for these)."""
        from guanxi.core.choices import Role, UserKind
        from guanxi.core.visibility import staff_in_scope

        if not getattr(user, "is_authenticated", False) or user.kind != UserKind.STAFF:
            return self.none()
        if user.is_admin_role or user.role == Role.MANAGER:
            return self.filter(Q(author=user) | Q(author__in=staff_in_scope(user).values("pk")))
        return self.filter(author=user)


class WorkReport(models.Model):
    """A rep's daily or weekly work report (日报 / 周报): what was done, the plan, the
    problems, and the period's facts the system filled in. Editable until submitted."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="work_reports",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    done = models.TextField(_("what was done"), blank=True)
    plan = models.TextField(_("plan for next"), blank=True)
    problems = models.TextField(_("problems and help needed"), blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "author", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "kind", "period_start"], name="one_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["kind", "period_start"], name="report_period_idx")]
        verbose_name = _("work report")
        verbose_name_plural = _("work reports")

    def __str__(self) -> str:
        return f"{self.author} · {self.get_kind_display()} {self.period_start}"


class ReportComment(models.Model):
    """A manager's comment on a work report (or the author's reply)."""

    report = models.ForeignKey(WorkReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["report", "created_at", "id"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.body[:40]}"
