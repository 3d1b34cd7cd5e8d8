"""REST API of follow-up tasks (跟进任务): list, plan, complete, cancel, move. Same rules
as the web: every query starts from visible_to(); unseen records answer 404."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from guanxi.core.api_support import CursorPagination, ErrorOut, RecordId
from guanxi.core.choices import UserKind
from guanxi.core.models import User
from guanxi.core.visibility import Action, require_staff
from guanxi.customers.choices import Outcome
from guanxi.customers.models import Party
from guanxi.sales.choices import TaskKind, TaskPriority, TaskStatus
from guanxi.sales.models import FollowUpTask, Lead, Opportunity
from guanxi.sales.services import followup as services

router = Router(tags=["follow-up tasks"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TaskIn(Schema):
    party_id: int
    title: str = Field(..., min_length=1, max_length=200)
    due_at: datetime.datetime = Field(..., description="naive times are business-local")
    kind: TaskKind = TaskKind.CALL
    priority: TaskPriority = TaskPriority.NORMAL
    notes: str = Field("", max_length=2000)
    assignee_id: int | None = Field(None, description="a manager assigns within their team")
    lead_id: int | None = None
    opportunity_id: int | None = None
    remind_before: int | None = Field(
        None, ge=-1, le=10080, description="minutes before due to email; -1: none"
    )


class TaskOut(Schema):
    id: int
    party_id: int
    party_name: str = Field(..., alias="party.name")
    lead_id: int | None
    opportunity_id: int | None
    assignee_id: int
    title: str
    kind: TaskKind
    priority: TaskPriority
    notes: str
    due_at: datetime.datetime
    remind_at: datetime.datetime | None
    status: TaskStatus
    outcome: str
    closed_at: datetime.datetime | None
    interaction_id: int | None


class TaskFilterIn(Schema):
    status: TaskStatus | None = TaskStatus.OPEN
    mine: bool = Field(True, description="only tasks assigned to me")


class CompleteIn(Schema):
    outcome: str = Field(..., min_length=1, max_length=500)
    log_activity: bool = True
    activity_outcome: Outcome = Outcome.NONE


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class MoveIn(Schema):
    due_at: datetime.datetime
    remind_before: int | None = Field(None, ge=-1, le=10080)


def _task(request, task_id: int) -> FollowUpTask:
    require_staff(request.auth)
    return get_object_or_404(
        FollowUpTask.objects.visible_to(request.auth).select_related("party"), pk=task_id
    )


def _linked(model, user, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Not found.")})
    return found


@router.get("/tasks", response=list[TaskOut])
@paginate(CursorPagination)
def task_list(request, filters: Query[TaskFilterIn]):
    """Tasks the user may see: by default their own open ones."""
    require_staff(request.auth)
    qs = FollowUpTask.objects.visible_to(request.auth).select_related("party")
    if filters.mine:
        qs = qs.filter(assignee=request.auth)
    return qs.filter(status=filters.status) if filters.status else qs


@router.post("/tasks", response={201: TaskOut, **ERRORS})
def task_new(request, payload: TaskIn):
    require_staff(request.auth)
    user = request.auth
    party = get_object_or_404(Party.objects.visible_to(user, Action.LOG), pk=payload.party_id)
    assignee = None
    if payload.assignee_id is not None:
        assignee = User.objects.filter(pk=payload.assignee_id, kind=UserKind.STAFF).first()
        if assignee is None:
            raise ValidationError({"assignee_id": _("Not found.")})
    task = services.task_create(
        actor=user,
        party=party,
        title=payload.title,
        due_at=payload.due_at,
        kind=payload.kind,
        priority=payload.priority,
        notes=payload.notes,
        assignee=assignee,
        lead=_linked(Lead, user, payload.lead_id, "lead_id"),
        opportunity=_linked(Opportunity, user, payload.opportunity_id, "opportunity_id"),
        remind_before=payload.remind_before,
    )
    return Status(201, task)


@router.get("/tasks/{task_id}", response={200: TaskOut, 404: ErrorOut})
def task_detail(request, task_id: RecordId):
    return _task(request, task_id)


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **ERRORS})
def task_done(request, task_id: RecordId, payload: CompleteIn):
    """Done, with what came of it; logs the contact on the customer's timeline unless
    `log_activity` is false."""
    return services.task_complete(
        actor=request.auth, task=_task(request, task_id), **payload.dict()
    )


@router.post("/tasks/{task_id}/cancel", response={200: TaskOut, **ERRORS})
def task_drop(request, task_id: RecordId, payload: CancelIn):
    return services.task_cancel(
        actor=request.auth, task=_task(request, task_id), reason=payload.reason
    )


@router.post("/tasks/{task_id}/reschedule", response={200: TaskOut, **ERRORS})
def task_move(request, task_id: RecordId, payload: MoveIn):
    return services.task_reschedule(
        actor=request.auth,
        task=_task(request, task_id),
        due_at=payload.due_at,
        remind_before=payload.remind_before,
    )
