"""Every write of the service centre: filing, answering and closing service requests,
plus the question-bank search the portal and the agents share."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import PORTAL_KINDS, AuditAction, UserKind
from guanxi.core.visibility import Action, can
from guanxi.customers.models import Party
from guanxi.service.choices import RequestChannel, RequestStatus
from guanxi.service.constants import (
    ANSWER_MAX,
    BODY_MAX,
    SEARCH_LIMIT_MAX,
    SEARCH_MAX,
    SUBJECT_MAX,
)
from guanxi.service.models import Question, ServiceRequest

FIELDS = ["party", "subject", "body", "channel", "status", "order"]


def _active(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def _is_own_party(actor, party: Party) -> bool:
    return actor.kind in PORTAL_KINDS and actor.party_id is not None and actor.party_id == party.pk


def _require_file_right(actor, party: Party) -> None:
    """Portal logins file for their own party only; staff for customers they may log on."""
    if not _active(actor):
        raise PermissionDenied(_("You do not have permission to do this."))
    if actor.kind in PORTAL_KINDS:
        allowed = _is_own_party(actor, party)
    else:
        allowed = actor.kind == UserKind.STAFF and can(actor, Action.LOG, party)
    if not allowed:
        raise PermissionDenied(_("You may not file a service request for this customer."))


def _require_staff_log(actor, party: Party) -> None:
    if not (_active(actor) and actor.kind == UserKind.STAFF and can(actor, Action.LOG, party)):
        raise PermissionDenied(_("You do not have permission to do this."))


def _text(errors: dict, field: str, value, *, maximum: int, required: bool = True) -> str:
    """The stripped text, or an entry in `errors` saying what is wrong with it."""
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text:
        errors[field] = _("This text contains characters that cannot be stored.")
    elif required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > maximum:
        errors[field] = _("Keep this under %(max)d characters (it has %(n)d).") % {
            "max": maximum,
            "n": len(text),
        }
    return text


@transaction.atomic
def service_request_create(
    *,
    actor,
    party: Party,
    subject: str,
    body: str,
    channel: str,
    order=None,
    now: datetime.datetime | None = None,
) -> ServiceRequest:
    """File a customer's question or request; it appears on the customer's timeline."""
    _require_file_right(actor, party)
    errors: dict[str, str] = {}
    subject = _text(errors, "subject", subject, maximum=SUBJECT_MAX)
    body = _text(errors, "body", body, maximum=BODY_MAX)
    if channel not in RequestChannel.values:
        errors["channel"] = _("Choose how the customer reached us.")
    elif actor.kind in PORTAL_KINDS and channel != RequestChannel.PORTAL:
        errors["channel"] = _("Requests from the portal come through the portal channel.")
    if party.merged_into_id:
        errors["party"] = _("This customer was merged into another record; use that one.")
    if order is not None and order.customer_id != party.pk:
        errors["order"] = _("This order belongs to another customer.")
    if errors:
        raise ValidationError(errors)
    request = ServiceRequest.objects.create(
        party=party,
        subject=subject,
        body=body,
        channel=channel,
        order=order,
        created_at=now or timezone.now(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=request,
        subject=party,
        changes=diff({}, snapshot(request, FIELDS)),
    )
    return request


@transaction.atomic
def service_request_answer(
    *, actor, request: ServiceRequest, answer: str, now: datetime.datetime | None = None
) -> ServiceRequest:
    """Answer (or correct the answer to) a request that is not closed."""
    request = ServiceRequest.objects.select_for_update().select_related("party").get(pk=request.pk)
    _require_staff_log(actor, request.party)
    errors: dict[str, str] = {}
    answer = _text(errors, "answer", answer, maximum=ANSWER_MAX)
    if request.status == RequestStatus.CLOSED:
        errors["status"] = _("This request is closed.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(request, ["status", "answer", "answered_by"])
    request.answer = answer
    request.status = RequestStatus.ANSWERED
    request.answered_at = now or timezone.now()
    request.answered_by = actor
    request.save(update_fields=["answer", "status", "answered_at", "answered_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        subject=request.party,
        changes=diff(before, snapshot(request, ["status", "answer", "answered_by"])),
    )
    return request


@transaction.atomic
def service_request_close(
    *, actor, request: ServiceRequest, now: datetime.datetime | None = None
) -> ServiceRequest:
    """Close a request: staff who may log on the customer, or the customer themself."""
    request = ServiceRequest.objects.select_for_update().select_related("party").get(pk=request.pk)
    if not (_active(actor) and _is_own_party(actor, request.party)):
        _require_staff_log(actor, request.party)
    if request.status == RequestStatus.CLOSED:
        return request
    before = request.status
    request.status = RequestStatus.CLOSED
    request.closed_at = now or timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        subject=request.party,
        changes={"status": [before, request.status]},
    )
    return request


def question_search(*, q: str, limit: int = 20) -> QuerySet:
    """Published questions containing every word of `q` (in the question, the answer or
    the keywords), by position; all published questions when `q` is empty."""
    words = (q or "").replace("\x00", "").strip()[:SEARCH_MAX].split()
    qs = Question.objects.filter(is_published=True)
    for word in words:
        qs = qs.filter(
            Q(question__icontains=word) | Q(answer__icontains=word) | Q(keywords__icontains=word)
        )
    limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
    return qs.order_by("position", "id")[:limit]
