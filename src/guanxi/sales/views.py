"""Web pages of sales: the public pool and claiming, the rep's claims with their
deadlines, leads. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.core.choices import UserKind
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
                for field, problems in exc.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
    status = request.GET.get("status", "")
    status = status if status in LeadStatus.values else ""
    return render(
        request,
        "sales/leads.html",
        {
            "form": form,
            "rows": selectors.lead_list(user=request.user, status=status)[:100],
            "status": status,
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
