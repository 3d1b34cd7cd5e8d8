"""Web pages of the network: genealogy, runs, statements, and the distributor's own page.
Thin: parse input, call a selector or service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.core.choices import UserKind
from guanxi.core.services.jobs import job_start
from guanxi.core.visibility import Action, can, require_staff, role_allows
from guanxi.network import selectors
from guanxi.network.choices import DistributorStatus, RunStatus
from guanxi.network.forms import RunForm
from guanxi.network.models import CommissionResult, CommissionRun, Distributor
from guanxi.network.services.genealogy import sponsor_change
from guanxi.network.services.runs import commission_commit
from guanxi.network.statements import statement
from guanxi.network.tasks import commission_run_task

MAX_DEPTH = 10


def _distributor(request, member_id: str) -> Distributor:
    try:
        return selectors.distributor_for(user=request.user, member_id=member_id)
    except Distributor.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def network_home(request):
    require_staff(request.user)
    q = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    status = status if status in DistributorStatus.values else ""
    found = selectors.distributor_search(user=request.user, q=q, status=status)
    context = {
        "q": q,
        "status": status,
        "statuses": DistributorStatus.choices,
        "distributors": found[:100],
        "more": found[100:101].exists(),
    }
    template = "network/_search_rows.html" if request.htmx else "network/home.html"
    return render(request, template, context)


@login_required
@require_GET
def distributor_detail(request, member_id: str):
    require_staff(request.user)
    distributor = _distributor(request, member_id)
    path, above = selectors.upline(user=request.user, distributor=distributor)
    results = (
        CommissionResult.objects.filter(distributor=distributor)
        .select_related("run__period")
        .order_by("-run__period__period", "-run__number")[:24]
    )
    return render(
        request,
        "network/detail.html",
        {
            "d": distributor,
            "upline": path,
            "upline_hidden": above - len(path),
            **_children_page(request, distributor),
            "results": results,
            "can_sponsor": role_allows(request.user, Action.SPONSOR),
            "can_edit": can(request.user, Action.CHANGE, distributor.party),
        },
    )


@login_required
@require_GET
def distributor_children(request, member_id: str):
    """The next level of the tree, for one click on a member (htmx)."""
    require_staff(request.user)
    distributor = _distributor(request, member_id)
    return render(request, "network/_children.html", _children_page(request, distributor))


def _children_page(request, distributor: Distributor) -> dict:
    after = request.GET.get("after", "")[:40]
    rows, more = selectors.children(user=request.user, distributor=distributor, after=after)
    return {"children": rows, "more_after": more, "parent": distributor, "continued": bool(after)}


@login_required
@require_GET
def downline(request, member_id: str):
    require_staff(request.user)
    distributor = _distributor(request, member_id)
    try:
        depth = min(max(int(request.GET.get("depth", 2)), 1), MAX_DEPTH)
    except ValueError:
        depth = 2
    status = request.GET.get("status", "")
    status = status if status in DistributorStatus.values else ""
    rows = selectors.downline(
        user=request.user, distributor=distributor, depth=depth, status=status
    )
    return render(
        request,
        "network/downline.html",
        {
            "d": distributor,
            "rows": rows,
            "depth": depth,
            "depths": range(1, MAX_DEPTH + 1),
            "status": status,
            "statuses": DistributorStatus.choices,
            "limit": selectors.DOWNLINE_LIMIT,
        },
    )


@login_required
@require_POST
def change_sponsor(request, member_id: str):
    require_staff(request.user)
    distributor = _distributor(request, member_id)
    text = request.POST.get("sponsor", "").strip()
    try:
        sponsor = selectors.distributor_for(user=request.user, member_id=text) if text else None
        sponsor_change(actor=request.user, distributor=distributor, sponsor=sponsor)
    except Distributor.DoesNotExist:
        messages.error(request, _("No distributor has member number %(id)s.") % {"id": text})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sponsor changed."))
    return redirect("network:detail", member_id=distributor.member_id)


# ---- runs and statements ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    """The runs, and a form that computes a period's preview in the worker."""
    if not role_allows(request.user, Action.COMMISSIONS):
        raise PermissionDenied
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version, period = form.cleaned_data["plan_version"], form.cleaned_data["period"]
        job = job_start(
            kind="network.commission_run",
            created_by=request.user,
            task=commission_run_task,
            title=_("Commission run %(period)s with %(plan)s")
            % {"period": period, "plan": version},
            actor_id=request.user.pk,
            plan_version_id=version.pk,
            period=period,
        )
        return redirect("core:job_detail", job_id=job.pk)
    runs = CommissionRun.objects.select_related("period", "plan_version__plan")[:100]
    return render(request, "network/runs.html", {"runs": runs, "form": form})


@login_required
@require_GET
def run_detail(request, run_id: int):
    if not role_allows(request.user, Action.COMMISSIONS):
        raise PermissionDenied
    run = get_object_or_404(
        CommissionRun.objects.select_related("period", "plan_version__plan"), pk=run_id
    )
    top = (
        CommissionResult.objects.filter(run=run, total__gt=0)
        .select_related("distributor__party")
        .order_by("-total")[:50]
    )
    return render(
        request,
        "network/run_detail.html",
        {"run": run, "top": top, "can_commit": run.status == RunStatus.PREVIEW},
    )


@login_required
@require_POST
def run_commit(request, run_id: int):
    run = get_object_or_404(CommissionRun, pk=run_id)
    try:
        commission_commit(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Run committed; the period is closed."))
    return redirect("network:run", run_id=run.pk)


def _statement_for(request, run_id: int, member_id: str):
    """The statement, for staff who see the distributor or the distributor themself."""
    run = get_object_or_404(
        CommissionRun.objects.select_related("period", "plan_version__plan"), pk=run_id
    )
    user = request.user
    if user.kind == UserKind.DISTRIBUTOR:
        own = Distributor.objects.filter(party_id=user.party_id, member_id=member_id).first()
        if own is None or run.status != RunStatus.COMMITTED:
            raise Http404
        distributor = own
    else:
        require_staff(request.user)
        distributor = _distributor(request, member_id)
    try:
        found = statement(run, distributor)
    except CommissionResult.DoesNotExist as exc:  # joined after this run
        raise Http404 from exc
    if user.kind != UserKind.DISTRIBUTOR:  # a distributor sees their own downline's names
        ids = {m.pk for m in found.members()}
        found.hide_names_except(
            set(
                Distributor.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
            )
        )
    return found


@login_required
@require_GET
def statement_page(request, run_id: int, member_id: str):
    return render(
        request, "network/statement.html", {"s": _statement_for(request, run_id, member_id)}
    )


@login_required
@require_GET
def statement_pdf(request, run_id: int, member_id: str):
    from guanxi.network.pdf import statement_pdf as render_pdf

    s = _statement_for(request, run_id, member_id)
    response = HttpResponse(render_pdf(s), content_type="application/pdf")
    name = f"statement-{s.run.period.period}-{s.distributor.member_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# ---- the distributor's own back office ----------------------------------------------


@login_required
@require_GET
def back_office(request):
    user = request.user
    own = (
        Distributor.objects.select_related("party", "sponsor__party", "team")
        .filter(party_id=user.party_id)
        .first()
        if user.kind == UserKind.DISTRIBUTOR
        else None
    )
    if own is None:
        raise PermissionDenied
    results = list(
        CommissionResult.objects.filter(distributor=own, run__status=RunStatus.COMMITTED)
        .select_related("run__period", "run__plan_version")
        .order_by("-run__period__period")[:24]
    )
    latest = statement(results[0].run, own) if results else None
    depth = settings.NETWORK_CONTACT_DEPTH  # whose mobile numbers the company shows
    return render(
        request,
        "network/back_office.html",
        {
            "d": own,
            "results": results,
            "latest": latest,
            "team": selectors.network_contacts(own, max(depth, 1)),
            "contact_depth": depth,
        },
    )
