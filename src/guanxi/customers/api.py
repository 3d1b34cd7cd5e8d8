"""REST API of the customer database: parties, contact points, interactions, consent, transfer."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AwareDatetime

from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.models import User
from guanxi.core.visibility import Action, can
from guanxi.customers import selectors, services
from guanxi.customers.choices import (
    Channel,
    ConsentMethod,
    ConsentStatus,
    ContactKind,
    Gender,
    InteractionKind,
    LifecycleStage,
    Outcome,
    PartyKind,
    PartyRoleKind,
    Source,
)
from guanxi.customers.duplicates import DuplicatePartyError
from guanxi.customers.models import ContactPoint, Interaction, Party
from guanxi.customers.services.contacts import ContactSpec

router = Router(tags=["customers"])


class ContactPointIn(Schema):
    kind: ContactKind
    value: str = Field(..., max_length=300)
    label: str = Field("", max_length=50)
    is_primary: bool = False
    province: str = Field("", max_length=50)
    city: str = Field("", max_length=50)
    district: str = Field("", max_length=50)


class ContactPointOut(Schema):
    id: int
    party_id: int
    kind: ContactKind
    value: str
    normalized: str
    label: str
    is_primary: bool
    province: str
    city: str
    district: str


class PartyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: PartyKind = PartyKind.PERSON
    gender: Gender = Gender.UNKNOWN
    birthday: datetime.date | None = None
    source: Source = Source.OTHER
    source_detail: str = Field("", max_length=200)
    acquisition_cost: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    lifecycle_stage: LifecycleStage = LifecycleStage.PROSPECT
    notes: str = ""
    roles: list[PartyRoleKind] = []
    tags: list[str] = []
    contact_points: list[ContactPointIn] = []
    allow_duplicate: bool = Field(False, description="Managers and admins only")


class PartyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: PartyKind | None = None
    gender: Gender | None = None
    birthday: datetime.date | None = None
    source: Source | None = None
    source_detail: str | None = Field(None, max_length=200)
    acquisition_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    lifecycle_stage: LifecycleStage | None = None
    notes: str | None = None
    roles: list[PartyRoleKind] | None = None
    tags: list[str] | None = None


class PartyOut(Schema):
    id: int
    kind: PartyKind
    name: str
    name_pinyin: str
    name_initials: str
    gender: str
    birthday: datetime.date | None
    source: Source
    source_detail: str
    acquisition_cost: Decimal
    lifecycle_stage: LifecycleStage
    owner_id: int | None
    roles: list[str]
    tags: list[str]
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_roles(obj: Party) -> list[str]:
        return [r.role for r in obj.roles.all()]

    @staticmethod
    def resolve_tags(obj: Party) -> list[str]:
        return [t.name for t in obj.tags.all()]


class PartyDetailOut(PartyOut):
    contact_points: list[ContactPointOut]

    @staticmethod
    def resolve_contact_points(obj: Party):
        return list(obj.contact_points.all())


class DuplicateOut(Schema):
    party_id: int | None = Field(description="null when the caller cannot see that record")
    name: str
    reason: str
    value: str
    owner: str | None
    owner_department: str | None


class DuplicateErrorOut(Schema):
    detail: str
    duplicates: list[DuplicateOut]


class InteractionIn(Schema):
    kind: InteractionKind
    subject: str = Field("", max_length=200)
    body: str = Field("", max_length=20000)
    outcome: Outcome = Outcome.NONE
    occurred_at: AwareDatetime | None = None
    follow_up_on: datetime.date | None = None


class InteractionOut(Schema):
    id: int
    party_id: int
    kind: InteractionKind
    subject: str
    body: str
    outcome: str
    occurred_at: datetime.datetime
    actor_id: int | None
    follow_up_on: datetime.date | None
    follow_up_done_at: datetime.datetime | None


class ConsentIn(Schema):
    channel: Channel
    status: ConsentStatus
    method: ConsentMethod
    note: str = Field("", max_length=300)


class ConsentOut(Schema):
    id: int
    channel: Channel
    status: ConsentStatus
    method: ConsentMethod
    note: str
    recorded_at: datetime.datetime
    recorded_by_id: int | None


class ShareIn(Schema):
    user_id: IdValue
    can_edit: bool = False


class TransferIn(Schema):
    from_user_id: IdValue
    to_user_id: IdValue
    party_ids: list[IdValue] | None = Field(None, max_length=100_000)


class TransferOut(Schema):
    moved: int


class PartyFilterIn(Schema):
    q: str = Field("", description="name, pinyin, initials, phone, email or WeChat ID")
    owner_id: IdValue | None = None
    lifecycle_stage: LifecycleStage | None = None
    source: Source | None = None
    role: PartyRoleKind | None = None
    tag: str = ""


def _duplicate_response(exc: DuplicatePartyError, user):
    items = []
    for match in exc.matches:
        owner = match.party.owner
        visible = can(user, Action.VIEW, match.party)
        items.append(
            {
                "party_id": match.party.pk if visible else None,
                "name": match.party.name,
                "reason": match.reason,
                "value": match.value if visible else "",
                "owner": str(owner) if owner else None,
                "owner_department": str(owner.org_unit) if owner and owner.org_unit else None,
            }
        )
    return Status(409, {"detail": _("This customer already exists."), "duplicates": items})


def _visible_party(request, party_id: int, action: Action = Action.VIEW) -> Party:
    return selectors.party_for(user=request.auth, party_id=party_id, action=action)


def _spec(payload: ContactPointIn) -> ContactSpec:
    return ContactSpec(**payload.dict())


@router.get("/parties", response=list[PartyOut])
@paginate(CursorPagination)
def party_list(request, filters: Query[PartyFilterIn]):
    f = filters.dict()
    criteria = selectors.PartyFilters(
        q=f["q"],
        owner_id=f["owner_id"],
        lifecycle_stage=f["lifecycle_stage"] or "",
        source=f["source"] or "",
        role=f["role"] or "",
        tag=f["tag"],
    )
    qs = selectors.party_queryset(user=request.auth, filters=criteria)
    return qs.prefetch_related("roles", "tags")


@router.post(
    "/parties",
    response={201: PartyDetailOut, 403: ErrorOut, 409: DuplicateErrorOut, 422: ErrorOut},
)
def party_create(request, payload: PartyIn):
    data = payload.dict()
    contacts = [ContactSpec(**c) for c in data.pop("contact_points")]
    try:
        party = services.party_create(actor=request.auth, contact_points=contacts, **data)
    except DuplicatePartyError as exc:
        return _duplicate_response(exc, request.auth)
    return Status(201, party)


@router.get("/parties/{party_id}", response={200: PartyDetailOut, 404: ErrorOut})
def party_detail(request, party_id: RecordId):
    return _visible_party(request, party_id)


@router.patch(
    "/parties/{party_id}",
    response={
        200: PartyDetailOut,
        403: ErrorOut,
        404: ErrorOut,
        409: DuplicateErrorOut,
        422: ErrorOut,
    },
)
def party_update(request, party_id: RecordId, payload: PartyPatch):
    party = _visible_party(request, party_id, Action.CHANGE)
    fields = payload.dict(exclude_unset=True)
    nulls = sorted(k for k, v in fields.items() if v is None and k != "birthday")
    if nulls:  # leave a field out to keep it; only the birthday can be cleared with null
        raise ValidationError({k: _("This field cannot be null.") for k in nulls})
    try:
        return services.party_update(actor=request.auth, party=party, **fields)
    except DuplicatePartyError as exc:
        return _duplicate_response(exc, request.auth)


@router.delete(
    "/parties/{party_id}", response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def party_delete(request, party_id: RecordId):
    party = _visible_party(request, party_id, Action.DELETE)
    services.party_delete(actor=request.auth, party=party)
    return Status(204, None)


@router.get("/parties/{party_id}/contact-points", response=list[ContactPointOut])
def contact_point_list(request, party_id: RecordId):
    return list(_visible_party(request, party_id).contact_points.all())


@router.post(
    "/parties/{party_id}/contact-points",
    response={
        201: ContactPointOut,
        403: ErrorOut,
        404: ErrorOut,
        409: DuplicateErrorOut,
        422: ErrorOut,
    },
)
def contact_point_create(request, party_id: RecordId, payload: ContactPointIn):
    party = _visible_party(request, party_id, Action.CHANGE)
    try:
        return Status(
            201, services.contact_point_add(actor=request.auth, party=party, spec=_spec(payload))
        )
    except DuplicatePartyError as exc:
        return _duplicate_response(exc, request.auth)


@router.put(
    "/contact-points/{contact_point_id}",
    response={
        200: ContactPointOut,
        403: ErrorOut,
        404: ErrorOut,
        409: DuplicateErrorOut,
        422: ErrorOut,
    },
)
def contact_point_update(request, contact_point_id: RecordId, payload: ContactPointIn):
    cp = get_object_or_404(ContactPoint.objects.visible_to(request.auth), pk=contact_point_id)
    try:
        return services.contact_point_update(
            actor=request.auth, contact_point=cp, spec=_spec(payload)
        )
    except DuplicatePartyError as exc:
        return _duplicate_response(exc, request.auth)


@router.delete(
    "/contact-points/{contact_point_id}", response={204: None, 403: ErrorOut, 404: ErrorOut}
)
def contact_point_delete(request, contact_point_id: RecordId):
    cp = get_object_or_404(ContactPoint.objects.visible_to(request.auth), pk=contact_point_id)
    services.contact_point_remove(actor=request.auth, contact_point=cp)
    return Status(204, None)


@router.get("/parties/{party_id}/interactions", response=list[InteractionOut])
@paginate(CursorPagination)
def interaction_list(request, party_id: RecordId):
    party = _visible_party(request, party_id)
    return Interaction.objects.visible_to(request.auth).filter(party=party)


@router.get("/interactions", response=list[InteractionOut])
@paginate(CursorPagination)
def interaction_feed(request, kind: InteractionKind | None = None, mine: bool = False):
    qs = Interaction.objects.visible_to(request.auth)
    if kind:
        qs = qs.filter(kind=kind)
    if mine:
        qs = qs.filter(actor=request.auth)
    return qs


@router.post(
    "/parties/{party_id}/interactions",
    response={201: InteractionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def interaction_create(request, party_id: RecordId, payload: InteractionIn):
    party = _visible_party(request, party_id)
    return Status(201, services.interaction_log(actor=request.auth, party=party, **payload.dict()))


@router.get("/parties/{party_id}/consents", response=list[ConsentOut])
def consent_list(request, party_id: RecordId):
    return list(_visible_party(request, party_id).consents.all())


@router.post(
    "/parties/{party_id}/consents",
    response={201: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def consent_create(request, party_id: RecordId, payload: ConsentIn):
    party = _visible_party(request, party_id)
    return Status(201, services.consent_record(actor=request.auth, party=party, **payload.dict()))


@router.post(
    "/parties/{party_id}/shares",
    response={201: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def party_share(request, party_id: RecordId, payload: ShareIn):
    party = _visible_party(request, party_id)
    user = get_object_or_404(User, pk=payload.user_id)
    services.party_share(actor=request.auth, party=party, user=user, can_edit=payload.can_edit)
    return Status(201, None)


@router.delete(
    "/parties/{party_id}/shares/{user_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
)
def party_unshare(request, party_id: RecordId, user_id: RecordId):
    party = _visible_party(request, party_id)
    user = get_object_or_404(User, pk=user_id)
    services.party_unshare(actor=request.auth, party=party, user=user)
    return Status(204, None)


@router.post(
    "/party-transfers", response={200: TransferOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def party_transfer(request, payload: TransferIn):
    """Move a departing rep's customers to another user in one action (runs inline)."""
    from_user = get_object_or_404(User, pk=payload.from_user_id)
    to_user = get_object_or_404(User, pk=payload.to_user_id)
    moved = services.parties_transfer(
        actor=request.auth, from_user=from_user, to_user=to_user, party_ids=payload.party_ids
    )
    return {"moved": moved}
