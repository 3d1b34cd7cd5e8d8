"""Web pages of sales: the public pool and claiming, the rep's claims with their
deadlines, leads. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.core.choices import UserKind
from guanxi.core.converters import number_or_none
from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, role_allows
from guanxi.customers.models import Party
from guanxi.sales import selectors
from guanxi.sales.choices import LeadStatus
from guanxi.sales.forms import LeadForm
from guanxi.sales.models import Claim, Lead
from guanxi.sales.services.leads import lead_capture, lead_status_change
from guanxi.sales.services.pool import claim_release, claim_take, pool_policy


def _claimer(request) -> None:
    if request.user.kind != UserKind.STAFF or not role_allows(request.user, Action.CLAIM):
        raise PermissionDenied


def _say(request, exc) -> None:
    for problem in getattr(exc, "messages", [str(exc)]):
        messages.error(request, problem)


@login_required
@require_GET
def pool(request):
    _claimer(request)
    q = request.GET.get("q", "").strip()[:100]
    held = selectors.my_claims(user=request.user)
    return render(
        request,
        "sales/pool.html",
        {
            "q": q,
            "rows": selectors.pool_page(user=request.user, q=q),
            "policy": pool_policy(),
            "held": len(held),
            "due_soon": selectors.due_soon(held),
        },
    )


@login_required
@require_POST
def claim(request, party_id: int):
    _claimer(request)
    party = get_object_or_404(Party.objects.visible_to(request.user, Action.CLAIM), pk=party_id)
    try:
        claim_take(actor=request.user, party=party)
        messages.success(
            request,
            _("%(name)s is yours now: follow up in time to keep it.") % {"name": party.name},
        )
        return redirect("customers:detail", party_id=party.pk)
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("sales:pool")


@login_required
@require_GET
def claims(request):
    _claimer(request)
    return render(
        request,
        "sales/claims.html",
        {
            "rows": selectors.my_claims(user=request.user),
            "policy": pool_policy(),
        },
    )


@login_required
@require_POST
def release(request, claim_id: int):
    _claimer(request)
    held = get_object_or_404(Claim.objects.visible_to(request.user), pk=claim_id)
    try:
        claim_release(actor=request.user, claim=held)
        messages.success(request, _("Returned to the pool."))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("sales:claims")


@login_required
@require_http_methods(["GET", "POST"])
def leads(request):
    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied
    form = LeadForm(request.POST or None)
    if request.method == "POST":
        if not role_allows(request.user, Action.CREATE):
            raise PermissionDenied
        if form.is_valid():
            try:
                lead = lead_capture(actor=request.user, **form.cleaned_data)
                messages.success(request, _lead_outcome(lead))
                return redirect("sales:leads")
            except ValidationError as exc:
                add_service_errors(form, exc)
    status = request.GET.get("status", "")
    status = status if status in LeadStatus.values else ""
    order = "score" if request.GET.get("order") == "score" else ""
    rows = selectors.lead_list(user=request.user, status=status, order=order)
    return render(
        request,
        "sales/leads.html",
        {
            "form": form,
            "rows": rows.prefetch_related("score_detail")[:100],
            "status": status,
            "order": order,
            "statuses": LeadStatus.choices,
            "may_create": role_allows(request.user, Action.CREATE),
        },
    )


def _lead_outcome(lead: Lead) -> str:
    if lead.existing_owner_id:
        return _("%(name)s is a customer of %(owner)s already: the lead is on their record.") % {
            "name": lead.party.name,
            "owner": lead.existing_owner,
        }
    if lead.party.owner_id:
        return _("New lead %(name)s, assigned to %(owner)s.") % {
            "name": lead.party.name,
            "owner": lead.party.owner,
        }
    return _("New lead %(name)s, in the public pool.") % {"name": lead.party.name}


@login_required
@require_POST
def lead_status(request, lead_id: int):
    lead = get_object_or_404(Lead.objects.visible_to(request.user), pk=lead_id)
    try:
        lead_status_change(actor=request.user, lead=lead, status=request.POST.get("status", ""))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    if request.POST.get("next") == "party":
        return redirect("customers:detail", party_id=lead.party_id)
    return redirect("sales:leads")


@login_required
@require_GET
def board(request):
    """The pipeline as a kanban board: drag a card to another stage (htmx), or use its
    menu without JavaScript."""
    from guanxi.sales.models import Pipeline
    from guanxi.sales.services.opportunities import pipeline_default

    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied
    pipelines = list(Pipeline.objects.filter(is_active=True))
    chosen = number_or_none(request.GET.get("pipeline", ""))
    pipeline = next((p for p in pipelines if p.pk == chosen), None) or pipeline_default()
    template = "sales/_board.html" if request.htmx else "sales/board.html"
    return _board(request, template, pipeline, pipelines)


def _board(request, template: str, pipeline, pipelines):
    columns = selectors.board(user=request.user, pipeline=pipeline)
    return render(
        request,
        template,
        {
            "pipelines": pipelines or [pipeline],
            "pipeline": pipeline,
            "columns": columns,
            "stages": [col.stage for col in columns],
        },
    )


@login_required
@require_GET
def board_more(request, stage_id: int):
    """The next cards of one board column (htmx appends them; without JavaScript a page
    of their own)."""
    from django.http import HttpResponseBadRequest

    from guanxi.sales.models import Stage

    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=stage_id)
    try:
        cards, more = selectors.board_cards(
            user=request.user, stage=stage, after=request.GET.get("after", "")[:60]
        )
    except ValueError:
        return HttpResponseBadRequest(_("That is not a position in this column."))
    template = "sales/board_more_cards.html" if request.htmx else "sales/board_more.html"
    stages = list(stage.pipeline.stages.order_by("position"))
    context = {"stage": stage, "cards": cards, "more": more, "stages": stages}
    return render(request, template, context)


@login_required
@require_POST
def opportunity_move(request, opportunity_id: int):
    from guanxi.sales.models import Opportunity, Stage
    from guanxi.sales.services.opportunities import opportunity_move as move

    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=opportunity_id)
    stage = Stage.objects.filter(pk=number_or_none(request.POST.get("stage", ""))).first()
    try:
        if stage is None:
            raise ValidationError({"stage": _("Choose a stage of this deal's pipeline.")})
        move(actor=request.user, opportunity=opportunity, stage=stage)
    except (ValidationError, PermissionDenied) as exc:
        if request.htmx:
            from django.http import HttpResponse

            return HttpResponse(" ".join(getattr(exc, "messages", [str(exc)])), status=422)
        _say(request, exc)
    if request.htmx:  # the board swaps itself in again
        return _board(request, "sales/_board.html", opportunity.pipeline, [])
    return redirect(f"{reverse('sales:board')}?pipeline={opportunity.pipeline_id}")


@login_required
@require_POST
def opportunity_new(request, party_id: int):
    """Open a deal from the customer's 360 page."""
    import datetime
    from decimal import Decimal, InvalidOperation

    from guanxi.sales.services.opportunities import opportunity_create

    party = get_object_or_404(Party.objects.visible_to(request.user), pk=party_id)
    try:
        amount = Decimal(request.POST.get("amount") or 0)
        close = request.POST.get("expected_close", "")
        expected = datetime.date.fromisoformat(close) if close else None
    except (InvalidOperation, ValueError):
        messages.error(request, _("Enter an amount and a date (YYYY-MM-DD)."))
        return redirect("customers:detail", party_id=party.pk)
    try:
        opportunity_create(
            actor=request.user,
            party=party,
            title=request.POST.get("title", ""),
            amount=amount,
            expected_close=expected,
        )
        messages.success(request, _("Deal opened."))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("customers:detail", party_id=party.pk)


@login_required
@require_GET
def reports(request):
    """Funnel, forecasts and won/lost analysis of the deals the user may see."""
    from guanxi.sales import reports as r
    from guanxi.sales.models import Pipeline
    from guanxi.sales.services.opportunities import pipeline_default

    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied
    pipelines = list(Pipeline.objects.filter(is_active=True))
    chosen = number_or_none(request.GET.get("pipeline", ""))
    pipeline = next((p for p in pipelines if p.pk == chosen), None) or pipeline_default()
    by = request.GET.get("by", "reason")
    by = by if by in ("reason", "competitor", "rep", "source") else "reason"
    return render(
        request,
        "sales/reports.html",
        {
            "pipelines": pipelines or [pipeline],
            "pipeline": pipeline,
            "by": by,
            **r.reports_page(user=request.user, pipeline=pipeline, by=by),
        },
    )


@login_required
@require_GET
def opportunity_list(request):
    """The deals as a list: state and pipeline filters, newest first, 50 a page."""
    from django.core.paginator import Paginator

    from guanxi.sales.choices import OpportunityState
    from guanxi.sales.models import Opportunity

    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied
    state = request.GET.get("state", "open")
    state = state if state in OpportunityState.values else ""
    qs = Opportunity.objects.visible_to(request.user).select_related("party", "owner", "stage")
    if state:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sales/opportunities.html",
        {
            "page": page,
            "state": state,
            "states": OpportunityState.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def approvals(request):
    """The approver's inbox: requests whose turn is theirs, approve or reject with a
    comment (works on a phone); and the requests the user made."""
    from guanxi.sales.models import ApprovalRequest
    from guanxi.sales.services.approvals import approval_decide

    if request.user.kind != UserKind.STAFF:
        raise PermissionDenied
    if request.method == "POST":
        wanted = get_object_or_404(
            ApprovalRequest, pk=number_or_none(request.POST.get("request", "")) or 0
        )
        try:
            approval_decide(
                actor=request.user,
                request=wanted,
                approve=request.POST.get("decision") == "approve",
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Decision recorded."))
        except (ValidationError, PermissionDenied) as exc:
            _say(request, exc)
        return redirect("sales:approvals")
    inbox = list(selectors.approval_inbox(user=request.user))
    asked = ApprovalRequest.objects.filter(requested_by=request.user).prefetch_related(
        "steps__approver"
    )[:20]
    return render(request, "sales/approvals.html", {"inbox": inbox, "asked": asked})


@login_required
@require_POST
def discount(request, opportunity_id: int):
    from decimal import Decimal, InvalidOperation

    from guanxi.sales.models import Opportunity
    from guanxi.sales.services.opportunities import discount_request

    deal = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=opportunity_id)
    try:
        percent = Decimal(request.POST.get("percent", "") or "x")
        outcome = discount_request(actor=request.user, opportunity=deal, percent=percent)
        if isinstance(outcome, Opportunity):
            messages.success(request, _("Discount applied."))
        else:
            messages.success(request, _("Discount sent for approval."))
    except InvalidOperation:
        messages.error(request, _("Enter the discount as a percentage, e.g. 15."))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("customers:detail", party_id=deal.party_id)


@login_required
@require_POST
def opportunity_close(request, opportunity_id: int):
    """Close a deal from the customer's page: won, or lost with a reason."""
    from guanxi.sales.models import Opportunity
    from guanxi.sales.services.opportunities import opportunity_close as close

    deal = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=opportunity_id)
    won = request.POST.get("outcome") == "won"
    try:
        close(actor=request.user, opportunity=deal, won=won, reason=request.POST.get("reason", ""))
        messages.success(request, _("Deal won.") if won else _("Deal closed as lost."))
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("customers:detail", party_id=deal.party_id)
