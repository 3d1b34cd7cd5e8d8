"""A quote's way after the draft: submitted (to approval when its effective discount is
over the quote policy's threshold, else straight to ready), sent, then accepted or
declined; revised into a new version; expired by the recurring job or, for accepting,
by the date itself."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.sales.choices import (
    QUOTE_REVISABLE,
    ApprovalKind,
    ApprovalStatus,
    OpportunityState,
    QuoteEventKind,
    QuoteState,
)
from guanxi.sales.models import Opportunity, Quote, QuoteLine
from guanxi.sales.services.approvals import approval_policy, approval_request, register_handler
from guanxi.sales.services.quotes import (
    SUBJECT,
    TOTAL_FIELDS,
    default_valid_until,
    locked_quote,
    quote_event,
)


def _move(quote: Quote, state: str, *, actor, now, kind: str, note: str = "", **fields) -> Quote:
    before = quote.state
    quote.state, quote.updated_at = state, now
    for name, value in fields.items():
        setattr(quote, name, value)
    quote.save(update_fields=["state", "updated_at", *fields])
    quote_event(quote, kind, actor=actor, at=now, note=note)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=quote,
        subject=quote.party,
        changes={"state": [before, state], **({"note": note} if note else {})},
    )
    return quote


def _expired(quote: Quote, now: datetime.datetime) -> bool:
    return quote.valid_until < timezone.localdate(now)


@transaction.atomic
def quote_submit(*, actor, quote: Quote, now: datetime.datetime | None = None) -> Quote:
    """Finish the draft: ready to send, or pending approval (and locked) when its
    effective discount is over the threshold."""
    quote = locked_quote(quote, actor=actor, states=(QuoteState.DRAFT,))
    now = now or timezone.now()
    if not quote.lines.exists():
        raise ValidationError({"lines": _("Add at least one line.")})
    if _expired(quote, now):
        raise ValidationError({"valid_until": _("The validity date cannot be in the past.")})
    threshold = approval_policy(ApprovalKind.QUOTE).threshold
    if quote.effective_discount_pct <= threshold:
        return _move(quote, QuoteState.READY, actor=actor, now=now, kind=QuoteEventKind.READY)
    summary = _("Quote %(number)s for %(customer)s: ¥%(total)s, %(pct)s%% off list") % {
        "number": quote.reference,
        "customer": quote.party.name,
        "total": quote.total,
        "pct": quote.effective_discount_pct,
    }
    approval_request(
        actor=actor,
        kind=ApprovalKind.QUOTE,
        subject_type=SUBJECT,
        subject_id=quote.pk,
        summary=summary,
        payload={"total": str(quote.total), "discount_pct": str(quote.effective_discount_pct)},
        now=now,
    )
    return _move(
        quote,
        QuoteState.PENDING,
        actor=actor,
        now=now,
        kind=QuoteEventKind.SUBMITTED,
        approval_comment="",
    )


def _approved(request) -> None:
    quote = Quote.objects.select_related("party").get(pk=request.subject_id)
    steps = list(request.steps.select_related("approver").order_by("position"))
    comments = [s.comment for s in steps if s.comment]
    _move(
        quote,
        QuoteState.READY,
        actor=steps[-1].approver,  # the last approver, who released it
        now=request.decided_at,
        kind=QuoteEventKind.APPROVED,
        note="；".join(comments),
        approval_comment="；".join(comments)[:500],
    )


def _rejected(request) -> None:
    """Back to draft, with the approver's reason on the quote for the rep to read."""
    quote = Quote.objects.select_related("party").get(pk=request.subject_id)
    step = request.steps.filter(decision=ApprovalStatus.REJECTED).select_related("approver")
    step = step.first()
    comment = f"{step.approver}: {step.comment}" if step else ""
    _move(
        quote,
        QuoteState.DRAFT,
        actor=step.approver if step else None,
        now=request.decided_at,
        kind=QuoteEventKind.REJECTED,
        note=comment,
        approval_comment=comment[:500],
    )


register_handler(ApprovalKind.QUOTE, approved=_approved, rejected=_rejected)


@transaction.atomic
def quote_send(*, actor, quote: Quote, now: datetime.datetime | None = None) -> Quote:
    """Mark the quote as given to the customer (the rep sends the PDF); from now on it is
    revised, not edited."""
    quote = locked_quote(quote, actor=actor, states=(QuoteState.READY,))
    now = now or timezone.now()
    if _expired(quote, now):
        raise ValidationError({"valid_until": _("This quote has expired; revise it.")})
    return _move(
        quote, QuoteState.SENT, actor=actor, now=now, kind=QuoteEventKind.SENT, sent_at=now
    )


@transaction.atomic
def quote_accept(
    *,
    actor,
    quote: Quote,
    set_opportunity_amount: bool = True,
    now: datetime.datetime | None = None,
) -> Quote:
    """The customer accepts before the validity date ends (that day included); the open
    deal's amount becomes the quote's total unless told otherwise."""
    quote = locked_quote(quote, actor=actor, states=(QuoteState.SENT,))
    now = now or timezone.now()
    if _expired(quote, now):
        raise ValidationError(
            {
                "valid_until": _("This quote expired on %(date)s; revise it.")
                % {"date": quote.valid_until.isoformat()}
            }
        )
    _move(
        quote,
        QuoteState.ACCEPTED,
        actor=actor,
        now=now,
        kind=QuoteEventKind.ACCEPTED,
        closed_at=now,
    )
    if set_opportunity_amount and quote.opportunity_id:
        _set_deal_amount(quote, actor)
    return quote


def _set_deal_amount(quote: Quote, actor) -> None:
    deal = Opportunity.objects.select_for_update().get(pk=quote.opportunity_id)
    if deal.state != OpportunityState.OPEN or deal.amount == quote.total:
        return
    before = deal.amount
    Opportunity.objects.filter(pk=deal.pk).update(amount=quote.total)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=deal,
        subject=quote.party,
        changes={"amount": [str(before), str(quote.total)], "quote": quote.reference},
    )


@transaction.atomic
def quote_decline(
    *, actor, quote: Quote, reason: str, now: datetime.datetime | None = None
) -> Quote:
    quote = locked_quote(quote, actor=actor, states=(QuoteState.SENT,))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the customer declined.")})
    now = now or timezone.now()
    return _move(
        quote,
        QuoteState.DECLINED,
        actor=actor,
        now=now,
        kind=QuoteEventKind.DECLINED,
        note=reason.strip()[:300],
        decline_reason=reason.strip()[:300],
        closed_at=now,
    )


@transaction.atomic
def quote_revise(*, actor, quote: Quote, now: datetime.datetime | None = None) -> Quote:
    """A new version (same number) as a draft with the same lines and prices; the sent
    version it replaces can no longer be accepted."""
    quote = locked_quote(quote, actor=actor, states=QUOTE_REVISABLE)
    if Quote.objects.filter(previous=quote).exists():
        raise ValidationError({"state": _("This version has been revised already.")})
    now = now or timezone.now()
    latest = Quote.objects.filter(number=quote.number).aggregate(v=Max("version"))["v"]
    lines = list(quote.lines.order_by("position"))
    revision = Quote.objects.create(
        number=quote.number,
        version=latest + 1,
        previous=quote,
        party=quote.party,
        opportunity=quote.opportunity,
        owner=actor,
        price_list=quote.price_list,
        discount_pct=quote.discount_pct,
        tax_rate=quote.tax_rate,
        valid_until=max(default_valid_until(now), quote.valid_until),
        note=quote.note,
        **{f: getattr(quote, f) for f in TOTAL_FIELDS},
        created_at=now,
        updated_at=now,
    )
    for line in lines:
        line.pk, line.quote = None, revision
    QuoteLine.objects.bulk_create(lines)
    if quote.state == QuoteState.SENT:
        _move(quote, QuoteState.SUPERSEDED, actor=actor, now=now, kind=QuoteEventKind.REVISED)
    quote_event(revision, QuoteEventKind.CREATED, actor=actor, at=now, note=quote.reference)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=revision,
        subject=quote.party,
        changes={"quote": [None, revision.reference], "revision_of": quote.reference},
    )
    return revision


def quotes_expire(*, now: datetime.datetime | None = None) -> int:
    """Quotes ready or sent whose validity date has passed become expired (recurring job
    `quotes_expire`; running it twice changes nothing more)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = 0
    stale = Quote.objects.filter(
        state__in=[QuoteState.READY, QuoteState.SENT], valid_until__lt=today
    ).values_list("pk", flat=True)
    for pk in list(stale[:5000]):
        with transaction.atomic():
            quote = Quote.objects.select_for_update().select_related("party").get(pk=pk)
            if quote.state in (QuoteState.READY, QuoteState.SENT) and _expired(quote, now):
                _move(quote, QuoteState.EXPIRED, actor=None, now=now, kind=QuoteEventKind.EXPIRED)
                done += 1
    return done
