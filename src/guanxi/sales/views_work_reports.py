"""Pages of the daily and weekly work reports (日报 / 周报): write and submit one's own;
a manager sees the team's for a day or week (who has not submitted) and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import require_staff
from guanxi.sales import kpis
from guanxi.sales.choices import ReportKind, ReportStatus
from guanxi.sales.forms_followup import CommentForm, WorkReportForm
from guanxi.sales.models import WorkReport
from guanxi.sales.services.work_reports import (
    may_comment,
    report_comment,
    report_period,
    report_save,
)
from guanxi.sales.views_followup import parse_day


@login_required
@require_http_methods(["GET", "POST"])
def work_reports(request):
    """Write the report of a day or week (pre-filled from the period's facts); one's own
    recent reports; for a manager, the team's reports of the period and who is missing."""
    require_staff(request.user)
    today = timezone.localdate()
    kind = request.GET.get("kind", ReportKind.DAILY)
    kind = kind if kind in ReportKind.values else ReportKind.DAILY
    day = min(parse_day(request.GET.get("date"), today), today)
    start, end = report_period(kind=kind, day=day)
    mine = WorkReport.objects.filter(author=request.user, kind=kind, period_start=start).first()
    form = WorkReportForm(
        request.POST or None,
        initial={
            "kind": kind,
            "day": day,
            **({k: getattr(mine, k) for k in ("done", "plan", "problems")} if mine else {}),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = report_save(
                actor=request.user,
                **form.cleaned_data,
                submit=request.POST.get("action") == "submit",
            )
            if report.status == ReportStatus.SUBMITTED:
                messages.success(request, _("Report submitted."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect("sales:work_report", report_id=report.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    team = _team(request.user, kind, start) if kpis.is_manager(request.user) else None
    facts = mine.facts if mine else kpis.period_facts(user=request.user, start=start, end=end)
    return render(
        request,
        "sales/followup_reports.html",
        {
            "form": form,
            "kind": kind,
            "day": day,
            "start": start,
            "end": end,
            "mine": mine,
            "facts": facts,
            "recent": WorkReport.objects.filter(author=request.user).order_by("-period_start")[:10],
            "team": team,
            "kinds": ReportKind.choices,
        },
    )


def _team(user, kind: str, start) -> list[tuple]:
    """(rep, their report or None) for everyone of the manager's team but the manager."""
    reps = [r for r in kpis.team_reps(viewer=user) if r.pk != user.pk]
    reports = {
        r.author_id: r
        for r in WorkReport.objects.visible_to(user)
        .filter(kind=kind, period_start=start, author__in=[r.pk for r in reps])
        .prefetch_related("comments")
    }
    return [(rep, reports.get(rep.pk)) for rep in reps]


@login_required
@require_http_methods(["GET", "POST"])
def work_report(request, report_id: int):
    """One report with its comments; its managers (and the author) comment here."""
    require_staff(request.user)
    report = get_object_or_404(
        WorkReport.objects.visible_to(request.user).select_related("author"), pk=report_id
    )
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_comment(actor=request.user, report=report, body=form.cleaned_data["body"])
            messages.success(request, _("Comment added."))
            return redirect("sales:work_report", report_id=report.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "sales/followup_report.html",
        {
            "report": report,
            "comments": report.comments.select_related("author"),
            "form": form,
            "may_comment": may_comment(request.user, report)
            and report.status == ReportStatus.SUBMITTED,
            "editable": report.author_id == request.user.pk and report.status == ReportStatus.DRAFT,
        },
    )
