"""Pages of follow-up discipline: my tasks, planning a task from the customer's page, the
manager's day of the team, rep KPIs. Thin: parse, call a service or selector, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanxi.core.converters import number_or_none
from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, require_staff
from guanxi.customers.models import Party
from guanxi.sales import kpis
from guanxi.sales.forms_followup import (
    TaskCancelForm,
    TaskCompleteForm,
    TaskForm,
    TaskRescheduleForm,
)
from guanxi.sales.kpi_math import month_of, week_of
from guanxi.sales.models import FollowUpTask
from guanxi.sales.selectors_followup import my_tasks, recently_closed
from guanxi.sales.services import followup as services

MAX_RANGE_DAYS = 366


def _manager(request) -> None:
    if not kpis.is_manager(request.user):
        raise PermissionDenied


def _say(request, exc) -> None:
    for problem in getattr(exc, "messages", [str(exc)]):
        messages.error(request, problem)


def parse_day(text: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return default


def assignees_for(user):
    return kpis.team_reps(viewer=user) if kpis.is_manager(user) else None


@login_required
@require_GET
def tasks(request):
    """The user's open tasks: overdue, today, upcoming; each can be done, moved or
    cancelled in place."""
    require_staff(request.user)
    return render(
        request,
        "sales/followup_tasks.html",
        {
            "buckets": my_tasks(user=request.user),
            "closed": recently_closed(user=request.user),
            "complete_form": TaskCompleteForm(),
        },
    )


@login_required
@require_POST
def task_new(request, party_id: int):
    """Plan a follow-up from the customer's 360 page."""
    require_staff(request.user)
    party = get_object_or_404(Party.objects.visible_to(request.user, Action.LOG), pk=party_id)
    form = TaskForm(request.POST, assignees=assignees_for(request.user))
    if form.is_valid():
        try:
            services.task_create(actor=request.user, party=party, **_task_fields(form))
            messages.success(request, _("Follow-up task planned."))
            return redirect("customers:detail", party_id=party.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect("customers:detail", party_id=party.pk)


def _task_fields(form: TaskForm) -> dict:
    data = dict(form.cleaned_data)
    if not data.get("assignee"):
        data.pop("assignee", None)
    return data


def _task(request, task_id: int) -> FollowUpTask:
    return get_object_or_404(FollowUpTask.objects.visible_to(request.user), pk=task_id)


@login_required
@require_POST
def task_done(request, task_id: int):
    task = _task(request, task_id)
    form = TaskCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what came of it."))
        return redirect("sales:tasks")
    try:
        services.task_complete(
            actor=request.user,
            task=task,
            outcome=form.cleaned_data["outcome"],
            log_activity=form.cleaned_data["log_activity"],
            activity_outcome=form.cleaned_data["activity_outcome"],
        )
        messages.success(request, _("Done: %(task)s") % {"task": task.title})
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("sales:tasks")


@login_required
@require_POST
def task_cancel(request, task_id: int):
    task = _task(request, task_id)
    form = TaskCancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": _("Say why the task is cancelled.")})
        services.task_cancel(actor=request.user, task=task, reason=form.cleaned_data["reason"])
        messages.success(request, _("Task cancelled."))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("sales:tasks")


@login_required
@require_POST
def task_reschedule(request, task_id: int):
    task = _task(request, task_id)
    form = TaskRescheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"due_at": _("Enter a date and time.")})
        services.task_reschedule(actor=request.user, task=task, due_at=form.cleaned_data["due_at"])
        messages.success(request, _("Task moved."))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("sales:tasks")


@login_required
@require_GET
def team_day(request):
    """The manager's day of the team (团队日视图): per rep, follow-ups due and done,
    overdue tasks, calls and visits, claims, conversions; one rep's records below."""
    _manager(request)
    today = timezone.localdate()
    day = parse_day(request.GET.get("date"), today)
    rows = kpis.team_day(viewer=request.user, day=day)
    chosen = number_or_none(request.GET.get("rep", ""))
    detail = rep = None
    if chosen:
        rep = next((r.rep for r in rows if r.rep.pk == chosen), None)
        if rep is None:
            raise PermissionDenied
        detail = kpis.day_detail(viewer=request.user, rep=rep, day=day)
    return render(
        request,
        "sales/followup_team_day.html",
        {
            "day": day,
            "today": today,
            "previous": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
            "rows": rows,
            "rep": rep,
            "detail": detail,
        },
    )


def kpi_period(params, today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """week / month containing `date`, or a custom range (at most a year, in order)."""
    period = params.get("period", "month")
    day = parse_day(params.get("date"), today)
    if period == "week":
        return period, *week_of(day)
    if period == "custom":
        start = parse_day(params.get("start"), month_of(today)[0])
        end = parse_day(params.get("end"), today)
        if end < start:
            start, end = end, start
        start = max(start, end - datetime.timedelta(days=MAX_RANGE_DAYS - 1))
        return period, start, end
    return "month", *month_of(day)


@login_required
@require_GET
def rep_kpis(request):
    """Rep KPIs for a week, a month or a range: the team's for a manager, one's own for
    a rep."""
    require_staff(request.user)
    period, start, end = kpi_period(request.GET, timezone.localdate())
    rows, total = kpis.rep_kpis(viewer=request.user, start=start, end=end)
    return render(
        request,
        "sales/followup_kpis.html",
        {
            "period": period,
            "start": start,
            "end": end,
            "rows": rows,
            "total": total,
            "team": kpis.is_manager(request.user),
        },
    )
