"""Keeping the network: enrol a customer, edit a distributor, save plans (with the
compliance check). Thin: forms in, services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, require_staff, role_allows
from guanxi.customers.selectors import party_for
from guanxi.network import selectors
from guanxi.network.compliance import describe, plan_violations
from guanxi.network.engine.errors import PlanError
from guanxi.network.forms import DistributorForm, EnrolForm, PlanForm
from guanxi.network.models import ATTESTATIONS, CompensationPlan, Distributor
from guanxi.network.services.distributors import distributor_enrol, distributor_update
from guanxi.network.services.plans import plan_save
from guanxi.network.views import _distributor


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, party_id: int):
    require_staff(request.user)
    party = party_for(user=request.user, party_id=party_id, action=Action.CHANGE)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsor = (
                selectors.distributor_for(user=request.user, member_id=data["sponsor"].strip())
                if data["sponsor"].strip()
                else None
            )
            distributor = distributor_enrol(
                actor=request.user,
                party=party,
                member_id=data["member_id"],
                sponsor=sponsor,
                join_date=data["join_date"],
                certificate_no=data["certificate_no"],
                service_region=data["service_region"],
                **form.attestations(),
            )
        except Distributor.DoesNotExist:
            form.add_error("sponsor", _("No distributor has this member number."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Enrolled as distributor %(id)s.") % {"id": distributor.member_id}
            )
            return redirect("network:detail", member_id=distributor.member_id)
    return render(request, "network/enrol.html", {"form": form, "party": party})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, member_id: str):
    require_staff(request.user)
    distributor = _distributor(request, member_id)
    initial = {
        name: getattr(distributor, name) for name in ("status", "certificate_no", "service_region")
    }
    form = DistributorForm(request.POST or None, initial=initial | _attestations(distributor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            distributor_update(
                actor=request.user,
                distributor=distributor,
                status=data["status"],
                certificate_no=data["certificate_no"],
                service_region=data["service_region"],
                **form.attestations(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:detail", member_id=distributor.member_id)
    return render(request, "network/edit.html", {"form": form, "d": distributor})


def _attestations(distributor: Distributor) -> dict:
    return {name: getattr(distributor, name) for name, _label in ATTESTATIONS}


@login_required
@require_http_methods(["GET", "POST"])
def plans(request):
    if not role_allows(request.user, Action.COMMISSIONS):
        raise PermissionDenied
    form = PlanForm(request.POST or None)
    violations = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = data["source"].replace("\r\n", "\n")
        if data["profile"] == "CN":
            try:
                violations = [describe(v) for v in plan_violations(source)]
            except PlanError as exc:
                form.add_error("source", exc.translated(_))
        if not violations and form.is_valid():
            try:
                version = plan_save(
                    actor=request.user, name=data["name"], source=source, profile=data["profile"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved as %(version)s.") % {"version": version})
                return redirect("network:plans")
    listing = CompensationPlan.objects.prefetch_related("versions")
    return render(
        request, "network/plans.html", {"form": form, "plans": listing, "violations": violations}
    )
