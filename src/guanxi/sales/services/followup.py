"""Follow-up tasks (跟进任务): create, reschedule, complete (logging the activity on the
customer's timeline, which keeps a pool claim alive), cancel; and the worker's email
reminders before a task is due and the daily digest of overdue tasks."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.core.visibility import Action, can, staff_in_scope
from guanxi.customers.choices import InteractionKind
from guanxi.sales.choices import TaskKind, TaskStatus
from guanxi.sales.models import FollowUpTask

FIELDS = ["party", "assignee", "title", "kind", "priority", "notes", "due_at", "remind_at"]
# The customers timeline has no WeChat kind: a WeChat follow-up is logged as a note.
LOGGED_AS = {
    TaskKind.CALL: InteractionKind.CALL,
    TaskKind.VISIT: InteractionKind.VISIT,
    TaskKind.EMAIL: InteractionKind.EMAIL,
    TaskKind.WECHAT: InteractionKind.NOTE,
    TaskKind.OTHER: InteractionKind.NOTE,
}
REMIND_GRACE = datetime.timedelta(hours=1)  # later than this past due, the digest tells


def _is_manager(user) -> bool:
    return user.is_admin_role or user.role == Role.MANAGER


def _require_staff(actor) -> None:
    if actor is None or actor.kind != UserKind.STAFF or not actor.is_active:
        raise PermissionDenied(_("Only staff keep follow-up tasks."))


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _remind_at(due_at, remind_before: int | None) -> datetime.datetime | None:
    minutes = settings.TASK_REMIND_MINUTES if remind_before is None else remind_before
    return None if minutes < 0 else due_at - datetime.timedelta(minutes=minutes)


def _check_assignee(actor, assignee, party) -> None:
    if assignee.pk != actor.pk:
        in_scope = staff_in_scope(actor).filter(pk=assignee.pk).exists()
        if not (_is_manager(actor) and in_scope):
            raise PermissionDenied(_("Only a manager assigns tasks, to people of their team."))
    if assignee.kind != UserKind.STAFF or not assignee.is_active:
        raise ValidationError({"assignee": _("Assign the task to an active staff member.")})
    if not can(assignee, Action.LOG, party):
        raise ValidationError(
            {"assignee": _("%(who)s cannot see this customer.") % {"who": assignee}}
        )


def _check_links(party, lead, opportunity) -> None:
    if lead is not None and lead.party_id != party.pk:
        raise ValidationError({"lead": _("The lead is about another customer.")})
    if opportunity is not None and opportunity.party_id != party.pk:
        raise ValidationError({"opportunity": _("The deal is with another customer.")})


@transaction.atomic
def task_create(
    *,
    actor,
    party,
    title: str,
    due_at: datetime.datetime,
    kind: str = TaskKind.CALL,
    priority: str = "normal",
    notes: str = "",
    assignee=None,
    lead=None,
    opportunity=None,
    remind_before: int | None = None,
    now: datetime.datetime | None = None,
) -> FollowUpTask:
    """Plan a follow-up with `party` for `assignee` (default: the actor; a manager may
    assign within their team). `remind_before` minutes (default from settings; negative:
    no email) sets when the reminder goes out."""
    _require_staff(actor)
    if not can(actor, Action.LOG, party):
        raise PermissionDenied(_("You do not have permission to do this."))
    assignee = assignee or actor
    _check_assignee(actor, assignee, party)
    _check_links(party, lead, opportunity)
    due_at = _aware(due_at)
    task = FollowUpTask(
        party=party,
        lead=lead,
        opportunity=opportunity,
        assignee=assignee,
        created_by=actor,
        title=title.strip(),
        kind=kind,
        priority=priority,
        notes=notes.strip(),
        due_at=due_at,
        remind_at=_remind_at(due_at, remind_before),
        created_at=now or timezone.now(),
    )
    task.full_clean(exclude=["party", "assignee", "created_by", "lead", "opportunity"])
    task.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        subject=party,
        changes=diff({}, snapshot(task, FIELDS)),
    )
    return task


def _locked_open(task: FollowUpTask) -> FollowUpTask:
    task = FollowUpTask.objects.select_for_update().select_related("party").get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError({"status": _("This task is closed already.")})
    return task


def _may_manage(actor, task: FollowUpTask) -> bool:
    """The assignee, whoever created it, or a manager over the assignee."""
    if actor.pk in (task.assignee_id, task.created_by_id):
        return True
    return _is_manager(actor) and staff_in_scope(actor).filter(pk=task.assignee_id).exists()


@transaction.atomic
def task_reschedule(
    *, actor, task: FollowUpTask, due_at: datetime.datetime, remind_before: int | None = None
) -> FollowUpTask:
    """Move an open task's due time; its reminder is due again for the new time."""
    task = _locked_open(task)
    if not _may_manage(actor, task):
        raise PermissionDenied(_("You do not have permission to do this."))
    before = snapshot(task, FIELDS)
    if remind_before is None:  # keep the task's own lead time
        lead = task.due_at - task.remind_at if task.remind_at else None
        remind_before = -1 if lead is None else int(lead.total_seconds() // 60)
    task.due_at = _aware(due_at)
    task.remind_at, task.reminded_at = _remind_at(task.due_at, remind_before), None
    task.save(update_fields=["due_at", "remind_at", "reminded_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=task,
        subject=task.party,
        changes=diff(before, snapshot(task, FIELDS)),
    )
    return task


@transaction.atomic
def task_complete(
    *,
    actor,
    task: FollowUpTask,
    outcome: str,
    log_activity: bool = True,
    activity_outcome: str = "",
    now: datetime.datetime | None = None,
) -> FollowUpTask:
    """The assignee marks the task done with what came of it; by default the contact is
    logged on the customer's timeline too (and counts as the claim's follow-up)."""
    from guanxi.customers.services.interactions import interaction_log

    task = _locked_open(task)
    if actor.pk != task.assignee_id:
        raise PermissionDenied(_("Only the person the task is assigned to completes it."))
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": _("Say what came of it.")})
    now = now or timezone.now()
    if log_activity:
        task.interaction = interaction_log(
            actor=actor,
            party=task.party,
            kind=LOGGED_AS[task.kind],
            subject=task.title if task.kind != TaskKind.WECHAT else f"{_('WeChat')}: {task.title}",
            body=outcome,
            outcome=activity_outcome,
            occurred_at=now,
        )
    task.status, task.outcome, task.closed_at = TaskStatus.DONE, outcome[:500], now
    task.save(update_fields=["status", "outcome", "closed_at", "interaction", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=task,
        subject=task.party,
        changes={"status": [TaskStatus.OPEN, TaskStatus.DONE], "outcome": task.outcome},
    )
    return task


@transaction.atomic
def task_cancel(*, actor, task: FollowUpTask, reason: str, now=None) -> FollowUpTask:
    task = _locked_open(task)
    if not _may_manage(actor, task):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not reason.strip():
        raise ValidationError({"outcome": _("Say why the task is cancelled.")})
    task.status, task.outcome = TaskStatus.CANCELLED, reason.strip()[:500]
    task.closed_at = now or timezone.now()
    task.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=task,
        subject=task.party,
        changes={"status": [TaskStatus.OPEN, TaskStatus.CANCELLED], "outcome": task.outcome},
    )
    return task


def task_reminders(*, now: datetime.datetime | None = None) -> int:
    """Email each assignee once per task when its reminder time has come (the outbox's
    unique reference makes a rerun or a second worker send nothing twice)."""
    from guanxi.core.notify import EMAIL, notify

    now = now or timezone.now()
    due = (
        FollowUpTask.objects.filter(
            status=TaskStatus.OPEN,
            reminded_at__isnull=True,
            remind_at__lte=now,
            due_at__gt=now - REMIND_GRACE,
        )
        .select_related("assignee", "party")
        .order_by("remind_at")
    )
    sent = 0
    for task in due:
        with transaction.atomic():
            if not FollowUpTask.objects.filter(pk=task.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another worker took it
            if not task.assignee.email:
                continue
            with override(settings.LANGUAGE_CODE):
                when = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")
                subject = _("Follow-up due %(when)s: %(task)s") % {"when": when, "task": task}
                body = _("%(kind)s %(customer)s: %(task)s, due %(when)s.") % {
                    "kind": task.get_kind_display(),
                    "customer": task.party.name,
                    "task": task.title,
                    "when": when,
                }
            queued = notify(
                channel=EMAIL,
                recipient=task.assignee.email,
                subject=subject,
                body=body,
                purpose="task_reminder",
                # Once per task and due time: moving the task earns a new reminder.
                source_ref=f"task-remind:{task.pk}:{task.due_at.isoformat()}",
            )
            sent += queued is not None
    return sent


def task_digest(*, now: datetime.datetime | None = None, limit: int = 20) -> int:
    """Once a day (from TASK_DIGEST_HOUR local time), email each user the list of their
    overdue open tasks."""
    from guanxi.core.notify import EMAIL, notify

    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.TASK_DIGEST_HOUR:
        return 0
    overdue = (
        FollowUpTask.objects.filter(status=TaskStatus.OPEN, due_at__lt=now)
        .select_related("assignee", "party")
        .order_by("assignee", "due_at")
    )
    by_user: dict = {}
    for task in overdue:
        by_user.setdefault(task.assignee, []).append(task)
    sent = 0
    for user, tasks in by_user.items():
        if not user.email:
            continue
        with override(settings.LANGUAGE_CODE):
            lines = [
                f"{timezone.localtime(t.due_at):%m-%d %H:%M} {t.party.name}: {t.title}"
                for t in tasks[:limit]
            ]
            if len(tasks) > limit:
                lines.append(_("… and %(n)d more.") % {"n": len(tasks) - limit})
            subject = _("%(n)d overdue follow-up tasks") % {"n": len(tasks)}
        queued = notify(
            channel=EMAIL,
            recipient=user.email,
            subject=subject,
            body="\n".join(lines),
            purpose="task_digest",
            source_ref=f"task-digest:{user.pk}:{local.date()}",
        )
        sent += queued is not None
    return sent
