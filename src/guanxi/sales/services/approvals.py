"""Approvals (审批): a chain of approvers up the org hierarchy, decided in order, with
the record locked while pending, reminders for the approver whose turn it is, and a
handler per kind that applies the outcome (a discount is applied once approved).

The chain for a requester: the nearest manager above them in the department tree, then
that manager's nearest manager, `levels` deep (ApprovalPolicy); an administrator closes
a chain that runs out of managers.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.core.languages import language_of
from guanxi.core.models import OrgUnit, User
from guanxi.sales.choices import ApprovalKind, ApprovalStatus
from guanxi.sales.models import ApprovalPolicy, ApprovalRequest, ApprovalStep

# kind → (on_approved, on_rejected), each called with the request inside the transaction.
_handlers: dict[str, tuple[Callable, Callable]] = {}


# kind → words a request's summary again in the active language (reminders go out in
# the approver's language, not the requester's).
_describers: dict[str, Callable] = {}


def register_handler(
    kind: str, *, approved: Callable, rejected: Callable, describe: Callable | None = None
) -> None:
    _handlers[kind] = (approved, rejected)
    if describe is not None:
        _describers[kind] = describe


def approval_summary(request: ApprovalRequest) -> str:
    """The request's summary in the active language when its kind can word it again,
    else as the requester's language wrote it."""
    from django.core.exceptions import ObjectDoesNotExist

    describe = _describers.get(request.kind)
    try:
        return describe(request) if describe else request.summary
    except ObjectDoesNotExist:
        return request.summary


def approval_policy(kind: str) -> ApprovalPolicy:
    policy, _created = ApprovalPolicy.objects.get_or_create(kind=kind)
    return policy


def _ancestors(unit: OrgUnit | None) -> list[OrgUnit]:
    """The unit and the units above it, nearest first (from the materialised path)."""
    if unit is None or not unit.path:
        return []
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    units = OrgUnit.objects.in_bulk(ids)
    return [units[i] for i in reversed(ids) if i in units]


def approval_chain(requester, levels: int) -> list[User]:
    """The approvers for `requester`: managers up the tree (never the requester), then an
    administrator if the tree has too few."""
    chain: list[User] = []
    for unit in _ancestors(requester.org_unit):
        managers = (
            User.objects.filter(
                org_unit=unit, role=Role.MANAGER, kind=UserKind.STAFF, is_active=True
            )
            .exclude(pk=requester.pk)
            .order_by("id")
        )
        manager = managers.first()
        if manager and manager not in chain:
            chain.append(manager)
        if len(chain) >= levels:
            return chain
    admin = (
        User.objects.filter(is_active=True, kind=UserKind.STAFF)
        .filter(role=Role.ADMIN)
        .exclude(pk=requester.pk)
        .order_by("id")
        .first()
    )
    if admin and admin not in chain:
        chain.append(admin)
    if not chain:
        raise ValidationError({"approval": _("Nobody above you can approve this.")})
    return chain


def pending_for(subject_type: str, subject_id: int) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(
        subject_type=subject_type, subject_id=subject_id, status=ApprovalStatus.PENDING
    ).first()


def require_unlocked(subject_type: str, subject_id: int) -> None:
    """Refuse a change to a record while an approval about it is pending."""
    if pending_for(subject_type, subject_id):
        raise ValidationError({"approval": _("Waiting for approval: this record is locked.")})


@transaction.atomic
def approval_request(
    *,
    actor,
    kind: str,
    subject_type: str,
    subject_id: int,
    summary: str,
    payload: dict,
    now: datetime.datetime | None = None,
) -> ApprovalRequest:
    if kind not in ApprovalKind.values:
        raise ValidationError({"kind": _("Unknown kind of approval.")})
    if pending_for(subject_type, subject_id):
        raise ValidationError({"approval": _("An approval is pending for this record already.")})
    now = now or timezone.now()
    chain = approval_chain(actor, approval_policy(kind).levels)
    request = ApprovalRequest.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=summary[:300],
        payload=payload,
        requested_by=actor,
        requested_at=now,
    )
    ApprovalStep.objects.bulk_create(
        ApprovalStep(request=request, position=i, approver=user) for i, user in enumerate(chain)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        changes={"summary": [None, request.summary], "approvers": [None, [u.pk for u in chain]]},
    )
    return request


def current_step(request: ApprovalRequest) -> ApprovalStep | None:
    return request.steps.filter(decision=ApprovalStatus.PENDING).order_by("position").first()


@transaction.atomic
def approval_decide(
    *, actor, request: ApprovalRequest, approve: bool, comment: str = "", now=None
) -> ApprovalRequest:
    """The approver whose turn it is approves (on to the next, or done) or rejects (done;
    a comment is required)."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ApprovalStatus.PENDING:
        raise ValidationError({"approval": _("This request is decided already.")})
    step = current_step(request)
    if step is None or step.approver_id != actor.pk:
        raise PermissionDenied(_("It is not your turn to decide this request."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why you reject it.")})
    now = now or timezone.now()
    step.decision = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    step.comment, step.decided_at = comment.strip()[:500], now
    step.save(update_fields=["decision", "comment", "decided_at"])
    finished = not approve or current_step(request) is None
    if finished:
        request.status = step.decision
        request.decided_at = now
        request.save(update_fields=["status", "decided_at"])
        on_approved, on_rejected = _handlers.get(request.kind, (None, None))
        handler = on_approved if approve else on_rejected
        if handler:
            handler(request)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        changes={"step": step.position, "decision": step.decision, "comment": step.comment},
    )
    return request


def approval_reminders(*, now=None) -> int:
    """Remind each approver whose turn has waited longer than the policy says, at most
    once a day per step (an email through the outbox)."""
    from guanxi.core.notify import EMAIL, notify

    now = now or timezone.now()
    sent = 0
    hours = {p.kind: p.remind_after_hours for p in ApprovalPolicy.objects.all()}
    pending = ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).select_related(
        "requested_by"
    )
    for request in pending:
        step = current_step(request)
        waited = now - max(request.requested_at, _turn_started(request, step))
        due = datetime.timedelta(hours=hours.get(request.kind, 24))
        recent = step.reminded_at and now - step.reminded_at < datetime.timedelta(days=1)
        if waited < due or recent or not step.approver.email:
            continue
        with language_of(step.approver):
            summary = approval_summary(request)
            subject = _("Waiting for your approval: %(summary)s") % {"summary": summary}
            body = _("%(who)s asks: %(summary)s") % {
                "who": request.requested_by,
                "summary": summary,
            }
        notify(
            channel=EMAIL,
            recipient=step.approver.email,
            subject=subject,
            body=body,
            purpose="approval_reminder",
            source_ref=f"approval:{step.pk}:{now.date()}",
        )
        ApprovalStep.objects.filter(pk=step.pk).update(reminded_at=now)
        sent += 1
    return sent


def _turn_started(request: ApprovalRequest, step: ApprovalStep) -> datetime.datetime:
    previous = request.steps.filter(position__lt=step.position).order_by("-position").first()
    return previous.decided_at if previous and previous.decided_at else request.requested_at
