"""REST API of sales targets (业绩目标): attainment for whoever may see it, and setting a
target with exactly the web's rules — the same service (`target_set`) decides who may set
one for which rep or department, checks month and amounts, and audits. There is no
delete, as on the web: a target is set to zero instead."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api_support import ErrorOut, IdValue, RecordId
from guanxi.core.models import OrgUnit, User
from guanxi.core.visibility import require_staff
from guanxi.sales.attainment import attainment_board
from guanxi.sales.models import SalesTarget
from guanxi.sales.selectors_contracts import targets_settable
from guanxi.sales.services.targets import require_target_setter, target_set

router = Router(tags=["targets"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MONEY = {"ge": 0, "max_digits": 14, "decimal_places": 2}
MONTH = r"^\d{4}-\d{2}$"


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


class TargetQuery(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM; default this month")


class AmountsIn(Schema):
    revenue: Decimal = Field(Decimal(0), description="signed contract revenue, CNY", **MONEY)
    collections: Decimal = Field(Decimal(0), description="money collected, CNY", **MONEY)
    new_customers: int = Field(0, ge=0, le=1_000_000)


class TargetIn(AmountsIn):
    month: str = Field(..., pattern=MONTH, description="YYYY-MM")
    user_id: IdValue | None = Field(None, description="a rep or manager; or org_unit_id")
    org_unit_id: IdValue | None = Field(None, description="a department; or user_id")


class TargetOut(Schema):
    id: int
    month: str
    user_id: int | None
    org_unit_id: int | None
    revenue: Decimal
    collections: Decimal
    new_customers: int
    set_by_id: int | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_month(obj: SalesTarget) -> str:
        return f"{obj.month:%Y-%m}"


def _month(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ValidationError({"month": _("Write the month as YYYY-MM.")}) from None


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


@router.get(
    "/targets",
    response={200: TargetsOut, **ERRORS},
    operation_id="guanxi_sales_api_contracts_targets",  # kept from before the move
)
def targets(request, query: Query[TargetQuery]):
    """Targets and attainment: a rep their own; a manager their departments and reps."""
    require_staff(request.auth)
    month = _month(query.month) if query.month else timezone.localdate().replace(day=1)
    board = attainment_board(viewer=request.auth, month=month)
    return {
        "month": board["month"],
        "teams": [_attainment(r, "team") for r in board["teams"]],
        "reps": [_attainment(r, "rep") for r in board["reps"]],
    }


def _set(request, **kwargs) -> SalesTarget:
    """target_set with its field errors named as the API's fields."""
    names = {"user": "user_id", "org_unit": "org_unit_id"}
    try:
        return target_set(actor=request.auth, **kwargs)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in exc.message_dict.items()}
        ) from exc


def _found(model, pk: int | None, field: str, message: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


@router.post("/targets", response={200: TargetOut, 201: TargetOut, **ERRORS})
def target_create(request, payload: TargetIn):
    """Set the month's target of one rep (`user_id`) or one department (`org_unit_id`):
    201 when it is new, 200 when it replaces the one set before. Managers for the reps
    and departments of their subtree (not themselves), administrators for anyone."""
    require_staff(request.auth)
    require_target_setter(request.auth)  # 403 before any 422 about the input
    month = _month(payload.month)
    user = _found(User, payload.user_id, "user_id", _("No such rep."))
    org_unit = _found(OrgUnit, payload.org_unit_id, "org_unit_id", _("No such department."))
    existed = SalesTarget.objects.filter(month=month, user=user, org_unit=org_unit).exists()
    target = _set(
        request,
        month=month,
        user=user,
        org_unit=org_unit,
        **payload.dict(include={"revenue", "collections", "new_customers"}),
    )
    return Status(200 if existed else 201, target)


@router.put("/targets/{target_id}", response={200: TargetOut, **ERRORS})
def target_change(request, target_id: RecordId, payload: AmountsIn):
    """Change the amounts of one target the user may set (month and rep or department
    stay); others' targets answer 404, a rep 403."""
    require_staff(request.auth)
    require_target_setter(request.auth)  # 403 before any 422 about the input
    target = get_object_or_404(targets_settable(user=request.auth), pk=target_id)
    return _set(
        request,
        month=target.month,
        user=target.user,
        org_unit=target.org_unit,
        **payload.dict(),
    )
