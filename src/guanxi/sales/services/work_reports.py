"""Daily and weekly work reports (日报 / 周报): a rep writes one per day or ISO week,
pre-filled with the period's facts, edits it until submitting; managers over the rep
comment, and the rep sees the comments (and may reply)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.sales.choices import ReportKind, ReportStatus
from guanxi.sales.kpi_math import week_of
from guanxi.sales.models import ReportComment, WorkReport

TEXT_FIELDS = ["done", "plan", "problems"]
MAX_TEXT = 5000


def report_period(*, kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The day itself, or the ISO week (Monday–Sunday) containing it."""
    if kind == ReportKind.WEEKLY:
        return week_of(day)
    if kind == ReportKind.DAILY:
        return day, day
    raise ValidationError({"kind": _("Choose a daily or a weekly report.")})


def _texts(done: str, plan: str, problems: str) -> dict[str, str]:
    texts = {"done": done.strip(), "plan": plan.strip(), "problems": problems.strip()}
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            raise ValidationError({name: _("Keep it under %(n)d characters.") % {"n": MAX_TEXT}})
    return texts


@transaction.atomic
def report_save(
    *,
    actor,
    kind: str,
    day: datetime.date,
    done: str = "",
    plan: str = "",
    problems: str = "",
    submit: bool = False,
    now: datetime.datetime | None = None,
) -> WorkReport:
    """Write (or go on writing) the actor's report for the period containing `day`; the
    period's facts are filled in (again) on every save. Submitting locks it."""
    from guanxi.sales.kpis import period_facts

    if actor.kind != UserKind.STAFF or not actor.is_active:
        raise PermissionDenied(_("Only staff write work reports."))
    now = now or timezone.now()
    start, end = report_period(kind=kind, day=day)
    if start > timezone.localdate(now):
        raise ValidationError({"day": _("A report cannot be for a period not begun yet.")})
    texts = _texts(done, plan, problems)
    if submit and not texts["done"]:
        raise ValidationError({"done": _("Say what was done before submitting.")})
    report = (
        WorkReport.objects.select_for_update()
        .filter(author=actor, kind=kind, period_start=start)
        .first()
    )
    before = snapshot(report, [*TEXT_FIELDS, "status"]) if report else {}
    if report is None:
        report = WorkReport(author=actor, kind=kind, period_start=start, period_end=end)
        report.created_at = now
    elif report.status == ReportStatus.SUBMITTED:
        raise ValidationError({"status": _("This report is submitted and can no longer change.")})
    for name, value in texts.items():
        setattr(report, name, value)
    report.facts = period_facts(user=actor, start=start, end=end)
    if submit:
        report.status, report.submitted_at = ReportStatus.SUBMITTED, now
    report.full_clean(exclude=["author"], validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # the same rep saving twice at once: one report stays
        raise ValidationError({"day": _("This report was just saved elsewhere.")}) from exc
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=report,
        changes=diff(before, snapshot(report, [*TEXT_FIELDS, "status"])),
    )
    return report


def may_comment(user, report: WorkReport) -> bool:
    """The author, or a manager / administrator whose subtree holds the author."""
    if user.pk == report.author_id:
        return True
    manager = user.is_admin_role or user.role == Role.MANAGER
    return manager and WorkReport.objects.visible_to(user).filter(pk=report.pk).exists()


@transaction.atomic
def report_comment(
    *, actor, report: WorkReport, body: str, now: datetime.datetime | None = None
) -> ReportComment:
    if not may_comment(actor, report):
        raise PermissionDenied(_("Only the author's managers comment on a report."))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"body": _("Comment once the report is submitted.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > MAX_TEXT:
        raise ValidationError({"body": _("Keep it under %(n)d characters.") % {"n": MAX_TEXT}})
    comment = ReportComment.objects.create(
        report=report, author=actor, body=body, created_at=now or timezone.now()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=comment,
        subject=report,
        changes={"body": [None, body]},
    )
    return comment
