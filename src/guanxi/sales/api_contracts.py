"""REST API of contracts, collections, overdue receivables and target attainment. Same
visibility as the web: every query starts from visible_to(); unseen records answer 404."""

import datetime
from decimal import Decimal

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.visibility import require_staff
from guanxi.sales import selectors_contracts as selectors
from guanxi.sales.attainment import attainment_board
from guanxi.sales.choices import CollectionMethod, ContractStatus, InstalmentStatus
from guanxi.sales.models import Collection, Contract, Opportunity
from guanxi.sales.services import collections as collecting
from guanxi.sales.services import contracts as services

router = Router(tags=["contracts"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MONEY = {"max_digits": 14, "decimal_places": 2}


class InstalmentIn(Schema):
    due_on: datetime.date
    amount: Decimal = Field(..., gt=0, **MONEY)
    note: str = Field("", max_length=200)


class InstalmentOut(Schema):
    id: int
    position: int
    due_on: datetime.date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    status: InstalmentStatus
    note: str


class PlanIn(Schema):
    instalments: list[InstalmentIn] = Field(..., max_length=120)


class ContractIn(Schema):
    opportunity_id: IdValue = Field(..., description="a won deal")
    title: str = Field("", max_length=200, description="default: the deal's title")
    amount: Decimal | None = Field(
        None, gt=0, description="default: the deal's amount after its discount", **MONEY
    )
    signed_on: datetime.date | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    terms: str = Field("", max_length=20000)
    instalments: list[InstalmentIn] = Field([], max_length=120)


class ContractOut(Schema):
    id: int
    number: str
    party_id: int
    owner_id: int
    opportunity_id: int | None
    title: str
    amount: Decimal
    currency: str
    status: ContractStatus
    signed_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    collected: Decimal
    outstanding: Decimal
    end_reason: str
    created_at: datetime.datetime
    activated_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ContractDetailOut(ContractOut):
    terms: str
    instalments: list[InstalmentOut]
    attachments: list["AttachmentOut"]

    @staticmethod
    def resolve_instalments(obj: Contract):
        return list(obj.instalments.order_by("position"))

    @staticmethod
    def resolve_attachments(obj: Contract):
        return list(obj.attachments.all())


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: datetime.datetime


ContractDetailOut.model_rebuild()


class ContractPatchIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    amount: Decimal | None = Field(None, gt=0, **MONEY)
    signed_on: datetime.date | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    terms: str | None = Field(None, max_length=20000)


class SubmitOut(Schema):
    status: ContractStatus
    approval_request_id: int | None = None


class TerminateIn(Schema):
    reason: str = Field(..., max_length=300)


class CollectionIn(Schema):
    contract_id: IdValue
    amount: Decimal = Field(..., gt=0, **MONEY)
    collected_on: datetime.date
    method: CollectionMethod
    reference: str = Field("", max_length=100)


class CollectionOut(Schema):
    id: int
    contract_id: int
    collected_on: datetime.date
    amount: Decimal
    method: CollectionMethod
    reference: str
    recorded_by_id: int
    recorded_at: datetime.datetime
    reversed_at: datetime.datetime | None
    reverse_reason: str


class ReverseIn(Schema):
    reason: str = Field(..., max_length=300)


class OverdueOut(Schema):
    instalment_id: int = Field(..., alias="id")
    contract_id: int
    contract_number: str = Field(..., alias="contract.number")
    party_id: int = Field(..., alias="contract.party_id")
    party_name: str = Field(..., alias="contract.party.name")
    owner_id: int = Field(..., alias="contract.owner_id")
    position: int
    due_on: datetime.date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    days_overdue: int

    @staticmethod
    def resolve_days_overdue(obj) -> int:
        return selectors.days_overdue(obj)


class MetricOut(Schema):
    target: Decimal | int | None
    actual: Decimal | int
    attainment_pct: Decimal | None


class AttainmentOut(Schema):
    kind: str = Field(description="rep or team")
    id: int
    name: str
    revenue: MetricOut
    collections: MetricOut
    new_customers: MetricOut


class TargetsOut(Schema):
    month: datetime.date
    teams: list[AttainmentOut]
    reps: list[AttainmentOut]


def _contract(request, contract_id: int) -> Contract:
    require_staff(request.auth)
    return get_object_or_404(Contract.objects.visible_to(request.auth), pk=contract_id)


def _specs(rows: list[InstalmentIn]) -> list[services.InstalmentSpec]:
    return [services.InstalmentSpec(r.due_on, r.amount, r.note) for r in rows]


@router.get("/contracts", response=list[ContractOut])
@paginate(CursorPagination)
def contract_list(request, status: ContractStatus | None = None, party_id: IdValue | None = None):
    require_staff(request.auth)
    return selectors.contract_list(user=request.auth, status=status or "", party_id=party_id)


@router.post("/contracts", response={201: ContractDetailOut, **ERRORS})
def contract_create(request, payload: ContractIn):
    """Draw up a draft contract from a won deal, with its receivables plan if given."""
    require_staff(request.auth)
    deal = get_object_or_404(
        Opportunity.objects.visible_to(request.auth), pk=payload.opportunity_id
    )
    data = payload.dict(exclude={"opportunity_id", "instalments"})
    contract = services.contract_create(
        actor=request.auth, opportunity=deal, instalments=_specs(payload.instalments), **data
    )
    return Status(201, contract)


@router.get("/contracts/{contract_id}", response={200: ContractDetailOut, 404: ErrorOut})
def contract_detail(request, contract_id: RecordId):
    return _contract(request, contract_id)


@router.patch("/contracts/{contract_id}", response={200: ContractDetailOut, **ERRORS})
def contract_change(request, contract_id: RecordId, payload: ContractPatchIn):
    """Change a draft's terms (fields left out keep their value)."""
    contract = _contract(request, contract_id)
    fields = ("title", "amount", "signed_on", "starts_on", "ends_on", "terms")
    given = payload.dict(exclude_unset=True)
    data = {f: given[f] if f in given else getattr(contract, f) for f in fields}
    services.contract_update(actor=request.auth, contract=contract, **data)
    contract.refresh_from_db()
    return contract


@router.put("/contracts/{contract_id}/plan", response={200: ContractDetailOut, **ERRORS})
def contract_plan(request, contract_id: RecordId, payload: PlanIn):
    """Replace the receivables plan; the instalments must add up to the amount."""
    contract = _contract(request, contract_id)
    services.plan_set(
        actor=request.auth, contract=contract, instalments=_specs(payload.instalments)
    )
    contract.refresh_from_db()
    return contract


@router.get("/contracts/{contract_id}/plan", response={200: list[InstalmentOut], 404: ErrorOut})
def contract_plan_read(request, contract_id: RecordId):
    return list(_contract(request, contract_id).instalments.order_by("position"))


@router.post("/contracts/{contract_id}/submit", response={200: SubmitOut, **ERRORS})
def contract_submit(request, contract_id: RecordId):
    """In force at once up to the approval threshold; above it, pending approval."""
    outcome = services.contract_submit(actor=request.auth, contract=_contract(request, contract_id))
    if isinstance(outcome, Contract):
        return {"status": outcome.status}
    return {"status": ContractStatus.PENDING, "approval_request_id": outcome.pk}


@router.post("/contracts/{contract_id}/terminate", response={200: ContractOut, **ERRORS})
def contract_terminate(request, contract_id: RecordId, payload: TerminateIn):
    contract = _contract(request, contract_id)
    return services.contract_terminate(actor=request.auth, contract=contract, reason=payload.reason)


@router.post("/contracts/{contract_id}/attachments", response={201: AttachmentOut, **ERRORS})
def attachment_upload(request, contract_id: RecordId, file: File[UploadedFile]):
    """Attach a PDF, JPEG, PNG, DOCX or XLSX (multipart field `file`, 10 MB at most)."""
    contract = _contract(request, contract_id)
    return Status(
        201, collecting.attachment_add(actor=request.auth, contract=contract, upload=file)
    )


@router.get(
    "/contracts/{contract_id}/attachments/{attachment_id}",
    response={200: None, 404: ErrorOut},
)
def attachment_download(request, contract_id: RecordId, attachment_id: RecordId):
    """The file itself, for whoever may see the contract."""
    contract = _contract(request, contract_id)
    attachment = get_object_or_404(contract.attachments, pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@router.get("/collections", response=list[CollectionOut])
@paginate(CursorPagination)
def collection_list(request, contract_id: IdValue | None = None):
    require_staff(request.auth)
    qs = Collection.objects.filter(contract__in=Contract.objects.visible_to(request.auth))
    return qs.filter(contract_id=contract_id) if contract_id else qs


@router.post("/collections", response={201: CollectionOut, **ERRORS})
def collection_create(request, payload: CollectionIn):
    """Record money received; more than is outstanding is refused (422)."""
    contract = _contract(request, payload.contract_id)
    data = payload.dict(exclude={"contract_id"})
    return Status(201, collecting.collection_record(actor=request.auth, contract=contract, **data))


@router.post("/collections/{collection_id}/reverse", response={200: CollectionOut, **ERRORS})
def collection_reverse(request, collection_id: RecordId, payload: ReverseIn):
    """A manager or administrator undoes a mistaken collection, with a reason."""
    require_staff(request.auth)
    collection = get_object_or_404(
        Collection.objects.filter(contract__in=Contract.objects.visible_to(request.auth)),
        pk=collection_id,
    )
    return collecting.collection_reverse(
        actor=request.auth, collection=collection, reason=payload.reason
    )


@router.get("/receivables/overdue", response=list[OverdueOut])
@paginate(CursorPagination)
def receivables_overdue(request):
    """Instalments past due and not fully paid on contracts the user may see."""
    require_staff(request.auth)
    return selectors.overdue(user=request.auth)


class TargetQuery(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM; default this month")


def _metric(row, name) -> dict:
    return {
        "target": getattr(row.target, name, None),
        "actual": row.actual[name],
        "attainment_pct": row.attainment(name),
    }


def _attainment(row, kind: str) -> dict:
    subject = row.user if kind == "rep" else row.org_unit
    return {
        "kind": kind,
        "id": subject.pk,
        "name": row.label,
        **{m: _metric(row, m) for m in ("revenue", "collections", "new_customers")},
    }


@router.get("/targets", response={200: TargetsOut, **ERRORS})
def targets(request, query: Query[TargetQuery]):
    """Targets and attainment: a rep their own; a manager their departments and reps."""
    require_staff(request.auth)
    month = timezone.localdate().replace(day=1)
    if query.month:
        try:
            month = datetime.date.fromisoformat(f"{query.month}-01")
        except ValueError:
            from django.core.exceptions import ValidationError

            raise ValidationError({"month": "YYYY-MM"}) from None
    board = attainment_board(viewer=request.auth, month=month)
    return {
        "month": board["month"],
        "teams": [_attainment(r, "team") for r in board["teams"]],
        "reps": [_attainment(r, "rep") for r in board["reps"]],
    }
