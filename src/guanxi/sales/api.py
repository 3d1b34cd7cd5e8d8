"""REST API of sales (so far): leads, the public pool, claims, opportunities. Same
visibility as the web: every query starts from visible_to(); unseen records answer 404."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from guanxi.core.api_support import CursorPagination, ErrorOut, RecordId
from guanxi.core.visibility import Action, require_staff, role_allows
from guanxi.customers.models import Party
from guanxi.sales import selectors
from guanxi.sales.choices import ClaimEnd, LeadSource, LeadStatus, OpportunityState
from guanxi.sales.models import Claim, Lead, Opportunity, Pipeline, Stage
from guanxi.sales.services.leads import lead_capture, lead_status_change
from guanxi.sales.services.opportunities import (
    opportunity_close,
    opportunity_create,
    opportunity_move,
)
from guanxi.sales.services.pool import claim_release, claim_take

router = Router(tags=["sales"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class LeadIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    source: LeadSource
    mobile: str = Field("", max_length=32)
    email: str = Field("", max_length=200)
    wechat: str = Field("", max_length=50)
    province: str = Field("", max_length=20, description="used by the assignment rules")
    response_code: str = Field("", max_length=40)
    interest: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


class ScoreFactorOut(Schema):
    field: str = Field(description="source, province, campaign, interest, known, arrival, …")
    value: str | float | None = Field(description="the lead's value of the field, as stored")
    label: str = Field(description="field and value in the request's language")
    weight: float = Field(description="change in the log odds of winning against an average lead")


class LeadOut(Schema):
    id: int
    party_id: int
    party_name: str = Field(..., alias="party.name")
    owner_id: int | None = Field(None, alias="party.owner_id")
    existing_owner_id: int | None
    source: LeadSource
    response_code: str
    status: LeadStatus
    interest: str
    notes: str
    created_at: datetime.datetime
    status_changed_at: datetime.datetime | None
    score: int | None = Field(None, description="0–100 chance of winning; null until scored")
    score_factors: list[ScoreFactorOut] = Field(
        [], description="what raised or lowered the score most, strongest first"
    )

    @staticmethod
    def resolve_score_factors(obj) -> list[dict]:
        from guanxi.sales.scoring_labels import factor_label

        detail = getattr(obj, "score_detail", None) if obj.score is not None else None
        return [{**f, "label": factor_label(f)} for f in detail.factors] if detail else []


class LeadStatusIn(Schema):
    status: LeadStatus


class PoolRowOut(Schema):
    id: int
    name: str
    source: str
    contact_hint: str = Field(description="masked until claimed")
    province: str


class ClaimOut(Schema):
    id: int
    party_id: int
    user_id: int
    claimed_at: datetime.datetime
    protected_until: datetime.datetime
    last_follow_up_at: datetime.datetime | None
    last_progress_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    end_reason: ClaimEnd | str


class ClaimFilterIn(Schema):
    active: bool = True


@router.get("/leads", response=list[LeadOut])
@paginate(CursorPagination)
def lead_list(
    request,
    status: LeadStatus | None = None,
    min_score: int | None = Query(None, ge=0, le=100, description="only leads scored at least"),
):
    require_staff(request.auth)
    qs = selectors.lead_list(user=request.auth, status=status or "")
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    return qs.prefetch_related("score_detail")


@router.post("/leads", response={201: LeadOut, **ERRORS})
def lead_create(request, payload: LeadIn):
    """Record a lead: a known person keeps their record and owner (shown as
    existing_owner_id); someone new joins the pool and the assignment rules apply."""
    require_staff(request.auth)
    return Status(201, lead_capture(actor=request.auth, **payload.dict()))


@router.get("/leads/{lead_id}", response={200: LeadOut, 404: ErrorOut})
def lead_detail(request, lead_id: RecordId):
    require_staff(request.auth)
    qs = Lead.objects.visible_to(request.auth).prefetch_related("score_detail")
    return get_object_or_404(qs, pk=lead_id)


@router.post("/leads/{lead_id}/status", response={200: LeadOut, **ERRORS})
def lead_status(request, lead_id: RecordId, payload: LeadStatusIn):
    require_staff(request.auth)
    lead = get_object_or_404(Lead.objects.visible_to(request.auth), pk=lead_id)
    return lead_status_change(actor=request.auth, lead=lead, status=payload.status)


@router.get("/pool", response={200: list[PoolRowOut], 403: ErrorOut})
def pool_list(request, q: str = Query("", max_length=100)):
    """The public pool (公海), newest first, contacts masked; the first 50 matches."""
    require_staff(request.auth)
    if not role_allows(request.auth, Action.CLAIM):
        raise PermissionDenied
    return selectors.pool_page(user=request.auth, q=q)


@router.post("/pool/{party_id}/claim", response={201: ClaimOut, **ERRORS})
def pool_claim(request, party_id: RecordId):
    """Claim a record (报备). Of simultaneous claims exactly one wins; the others get 422."""
    require_staff(request.auth)
    party = get_object_or_404(Party.objects.visible_to(request.auth, Action.CLAIM), pk=party_id)
    return Status(201, claim_take(actor=request.auth, party=party))


@router.get("/claims", response=list[ClaimOut])
@paginate(CursorPagination)
def claim_list(request, filters: Query[ClaimFilterIn]):
    """Claims the user may see (their own; a manager's team's)."""
    require_staff(request.auth)
    qs = Claim.objects.visible_to(request.auth)
    return qs.filter(ended_at__isnull=True) if filters.active else qs


@router.post("/claims/{claim_id}/release", response={200: ClaimOut, **ERRORS})
def claim_give_back(request, claim_id: RecordId):
    require_staff(request.auth)
    held = get_object_or_404(Claim.objects.visible_to(request.auth), pk=claim_id)
    return claim_release(actor=request.auth, claim=held)


class OpportunityIn(Schema):
    party_id: int = Field(..., ge=1)
    title: str = Field(..., min_length=1, max_length=200)
    pipeline_id: int | None = Field(None, ge=1)
    amount: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    expected_close: datetime.date | None = None
    products: str = Field("", max_length=300)
    competitors: str = Field("", max_length=300)


class OpportunityOut(Schema):
    id: int
    party_id: int
    title: str
    owner_id: int
    pipeline_id: int
    stage_id: int
    state: OpportunityState
    amount: Decimal
    expected_close: datetime.date | None
    products: str
    competitors: str
    close_reason: str
    created_at: datetime.datetime
    stage_entered_at: datetime.datetime
    closed_at: datetime.datetime | None


class MoveIn(Schema):
    stage_id: int = Field(..., ge=1)


class CloseIn(Schema):
    won: bool
    reason: str = Field("", max_length=200)


def _deal(request, opportunity_id: int) -> Opportunity:
    require_staff(request.auth)
    return get_object_or_404(Opportunity.objects.visible_to(request.auth), pk=opportunity_id)


@router.get("/opportunities", response=list[OpportunityOut])
@paginate(CursorPagination)
def opportunity_list(
    request, state: OpportunityState | None = None, pipeline_id: int | None = None
):
    require_staff(request.auth)
    qs = Opportunity.objects.visible_to(request.auth)
    if state:
        qs = qs.filter(state=state)
    if pipeline_id:
        qs = qs.filter(pipeline_id=pipeline_id)
    return qs


@router.post("/opportunities", response={201: OpportunityOut, **ERRORS})
def opportunity_new(request, payload: OpportunityIn):
    require_staff(request.auth)
    party = get_object_or_404(Party.objects.visible_to(request.auth), pk=payload.party_id)
    data = payload.dict(exclude={"party_id", "pipeline_id"})
    pipeline = None
    if payload.pipeline_id:
        pipeline = get_object_or_404(
            Pipeline.objects.filter(is_active=True), pk=payload.pipeline_id
        )
    return Status(
        201, opportunity_create(actor=request.auth, party=party, pipeline=pipeline, **data)
    )


@router.get("/opportunities/{opportunity_id}", response={200: OpportunityOut, 404: ErrorOut})
def opportunity_detail(request, opportunity_id: RecordId):
    return _deal(request, opportunity_id)


@router.post("/opportunities/{opportunity_id}/move", response={200: OpportunityOut, **ERRORS})
def opportunity_stage(request, opportunity_id: RecordId, payload: MoveIn):
    deal = _deal(request, opportunity_id)
    stage = get_object_or_404(Stage, pk=payload.stage_id)
    return opportunity_move(actor=request.auth, opportunity=deal, stage=stage)


@router.post("/opportunities/{opportunity_id}/close", response={200: OpportunityOut, **ERRORS})
def opportunity_end(request, opportunity_id: RecordId, payload: CloseIn):
    deal = _deal(request, opportunity_id)
    return opportunity_close(
        actor=request.auth, opportunity=deal, won=payload.won, reason=payload.reason
    )
