"""REST API of quotes and approvals. Same visibility as the web: every query starts from
visible_to() (approvals: the requester's and the approvers' own), so a record the user
may not see answers 404; service errors answer 422 with field messages."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from guanxi.commerce.api_schemas import get_or_422
from guanxi.commerce.choices import PriceListKind
from guanxi.commerce.models import PriceList
from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.visibility import require_staff
from guanxi.customers.models import Party
from guanxi.sales import selectors, selectors_quotes
from guanxi.sales.choices import ApprovalKind, ApprovalStatus, QuoteState
from guanxi.sales.models import ApprovalRequest, Opportunity, Quote
from guanxi.sales.services import quote_flow
from guanxi.sales.services.approvals import approval_decide
from guanxi.sales.services.quotes import QuoteLineRequest, quote_create, quote_update

router = Router(tags=["quotes and approvals"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class QuoteLineIn(Schema):
    product_id: IdValue
    quantity: int = Field(..., ge=1, le=1_000_000)
    discount_pct: Percent = Decimal(0)


class QuoteUpdateIn(Schema):
    lines: list[QuoteLineIn] = Field(..., max_length=200)
    price_list: PriceListKind | None = Field(
        None, description="default: the customer's own list (distributor, member or retail)"
    )
    discount_pct: Percent = Field(Decimal(0), description="overall discount, on top of lines")
    tax_rate: Percent | None = Field(None, description="VAT in percent; default 13")
    valid_until: datetime.date | None = Field(None, description="default: 30 days from today")
    note: str = Field("", max_length=5000)


class QuoteIn(QuoteUpdateIn):
    party_id: IdValue
    opportunity_id: IdValue | None = None


class QuoteLineOut(Schema):
    position: int
    product_id: int
    sku: str
    name: str
    unit_price: Decimal = Field(description="from the price list when priced, tax included")
    quantity: int
    discount_pct: Decimal
    list_amount: Decimal
    line_total: Decimal = Field(description="after the line's discount")
    amount: Decimal = Field(description="after its share of the overall discount")


class QuoteOut(Schema):
    id: int
    number: str
    version: int
    reference: str = Field(description="number, with -V2… for revisions")
    previous_id: int | None
    party_id: int
    party_name: str = Field(..., alias="party.name")
    opportunity_id: int | None
    owner_id: int
    price_list: PriceListKind = Field(..., alias="price_list.kind")
    state: QuoteState
    is_expired: bool
    discount_pct: Decimal
    tax_rate: Decimal
    valid_until: datetime.date
    note: str
    list_total: Decimal
    subtotal: Decimal
    overall_discount: Decimal
    total: Decimal = Field(description="what the customer pays, VAT included")
    tax: Decimal
    net: Decimal
    effective_discount_pct: Decimal = Field(description="compared with the approval threshold")
    approval_comment: str
    decline_reason: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    sent_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    lines: list[QuoteLineOut]


class AcceptIn(Schema):
    set_opportunity_amount: bool = True


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


def _quote(request, quote_id: int) -> Quote:
    require_staff(request.auth)
    return get_object_or_404(
        Quote.objects.visible_to(request.auth).select_related("party", "price_list"), pk=quote_id
    )


def _lines(payload: QuoteUpdateIn) -> list[QuoteLineRequest]:
    return [QuoteLineRequest(ln.product_id, ln.quantity, ln.discount_pct) for ln in payload.lines]


def _price_list(kind: str | None) -> PriceList | None:
    if kind is None:
        return None
    found = PriceList.objects.filter(kind=kind).first()
    if found is None:
        raise ValidationError({"price_list": _("Unknown price list.")})
    return found


@router.get("/quotes", response=list[QuoteOut])
@paginate(CursorPagination)
def quote_list(
    request,
    state: QuoteState | None = None,
    party_id: int | None = None,
    opportunity_id: int | None = None,
):
    require_staff(request.auth)
    return selectors_quotes.quote_list(
        user=request.auth, state=state or "", party_id=party_id, opportunity_id=opportunity_id
    ).prefetch_related("lines")


@router.post("/quotes", response={201: QuoteOut, **ERRORS})
def quote_new(request, payload: QuoteIn):
    """A draft quote for a customer, from one of their deals when opportunity_id is
    given; unit prices come from the price list (snapshotted on the lines)."""
    require_staff(request.auth)
    party = get_object_or_404(Party.objects.visible_to(request.auth), pk=payload.party_id)
    deal = None
    if payload.opportunity_id:
        deal = get_or_422(
            Opportunity.objects.visible_to(request.auth),
            payload.opportunity_id,
            "opportunity_id",
            _("No such deal."),
        )
    quote = quote_create(
        actor=request.auth,
        party=party,
        opportunity=deal,
        price_list=_price_list(payload.price_list),
        lines=_lines(payload),
        discount_pct=payload.discount_pct,
        tax_rate=payload.tax_rate,
        valid_until=payload.valid_until,
        note=payload.note,
    )
    return Status(201, quote)


@router.get("/quotes/{quote_id}", response={200: QuoteOut, 404: ErrorOut})
def quote_detail(request, quote_id: RecordId):
    return _quote(request, quote_id)


@router.put("/quotes/{quote_id}", response={200: QuoteOut, **ERRORS})
def quote_change(request, quote_id: RecordId, payload: QuoteUpdateIn):
    """Replace a draft's lines and figures (a quote ready to send goes back to draft);
    a sent quote is revised instead."""
    quote = _quote(request, quote_id)
    return quote_update(
        actor=request.auth,
        quote=quote,
        lines=_lines(payload),
        price_list=_price_list(payload.price_list),
        discount_pct=payload.discount_pct,
        tax_rate=payload.tax_rate,
        valid_until=payload.valid_until,
        note=payload.note,
    )


@router.post("/quotes/{quote_id}/submit", response={200: QuoteOut, **ERRORS})
def quote_submit(request, quote_id: RecordId):
    """Finish the draft: `ready`, or `pending` (locked) while a discount over the
    threshold waits for approval."""
    return quote_flow.quote_submit(actor=request.auth, quote=_quote(request, quote_id))


@router.post("/quotes/{quote_id}/send", response={200: QuoteOut, **ERRORS})
def quote_send(request, quote_id: RecordId):
    return quote_flow.quote_send(actor=request.auth, quote=_quote(request, quote_id))


@router.post("/quotes/{quote_id}/accept", response={200: QuoteOut, **ERRORS})
def quote_accept(request, quote_id: RecordId, payload: AcceptIn):
    """Accepted by the customer on or before valid_until; sets the deal's amount."""
    return quote_flow.quote_accept(
        actor=request.auth,
        quote=_quote(request, quote_id),
        set_opportunity_amount=payload.set_opportunity_amount,
    )


@router.post("/quotes/{quote_id}/decline", response={200: QuoteOut, **ERRORS})
def quote_decline(request, quote_id: RecordId, payload: DeclineIn):
    return quote_flow.quote_decline(
        actor=request.auth, quote=_quote(request, quote_id), reason=payload.reason
    )


@router.post("/quotes/{quote_id}/revise", response={201: QuoteOut, **ERRORS})
def quote_revise(request, quote_id: RecordId):
    """A new version (same number) as a draft; a sent version becomes superseded."""
    return Status(201, quote_flow.quote_revise(actor=request.auth, quote=_quote(request, quote_id)))


@router.get(
    "/quotes/{quote_id}/pdf",
    response={200: None, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "The quote as a PDF, in Chinese unless lang=en",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def quote_pdf(request, quote_id: RecordId, lang: Literal["zh-hans", "en"] = "zh-hans"):
    from guanxi.sales.quote_pdf import quote_pdf as render_pdf

    quote = _quote(request, quote_id)
    response = HttpResponse(render_pdf(quote, language=lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quote.reference}.pdf"'
    return response


# Approvals ------------------------------------------------------------------------------


class ApprovalStepOut(Schema):
    position: int
    approver_id: int
    approver_name: str
    decision: ApprovalStatus
    comment: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_approver_name(step) -> str:
        return str(step.approver)


class ApprovalOut(Schema):
    id: int
    kind: ApprovalKind
    subject_type: str = Field(description="e.g. sales.quote, sales.opportunity")
    subject_id: int
    summary: str
    status: ApprovalStatus
    requested_by_id: int
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    steps: list[ApprovalStepOut]


class DecisionIn(Schema):
    comment: str = Field("", max_length=500, description="required to reject")


@router.get("/approvals", response=list[ApprovalOut])
@paginate(CursorPagination)
def approval_list(request, scope: Literal["inbox", "mine", "all"] = "inbox"):
    """`inbox`: waiting for my decision now; `mine`: asked by me; `all`: every request I
    asked for or am an approver of (an administrator: every request)."""
    require_staff(request.auth)
    qs = selectors_quotes.approvals_visible_to(request.auth)
    if scope == "inbox":
        waiting = selectors.approval_inbox(user=request.auth).values("request_id")
        return qs.filter(pk__in=waiting)
    if scope == "mine":
        return qs.filter(requested_by=request.auth)
    return qs


def _approval(request, approval_id: int) -> ApprovalRequest:
    require_staff(request.auth)
    return get_object_or_404(selectors_quotes.approvals_visible_to(request.auth), pk=approval_id)


@router.get("/approvals/{approval_id}", response={200: ApprovalOut, 404: ErrorOut})
def approval_detail(request, approval_id: RecordId):
    return _approval(request, approval_id)


def _decide(request, approval_id: int, *, approve: bool, comment: str) -> ApprovalRequest:
    wanted = _approval(request, approval_id)
    approval_decide(actor=request.auth, request=wanted, approve=approve, comment=comment)
    return _approval(request, approval_id)


@router.post("/approvals/{approval_id}/approve", response={200: ApprovalOut, **ERRORS})
def approval_approve(request, approval_id: RecordId, payload: DecisionIn):
    """The approver whose turn it is approves (403 for anyone else); the last approval
    applies the outcome (a quote becomes ready to send)."""
    return _decide(request, approval_id, approve=True, comment=payload.comment)


@router.post("/approvals/{approval_id}/reject", response={200: ApprovalOut, **ERRORS})
def approval_reject(request, approval_id: RecordId, payload: DecisionIn):
    """Reject with a comment (422 without); a quote goes back to draft with it."""
    return _decide(request, approval_id, approve=False, comment=payload.comment)
