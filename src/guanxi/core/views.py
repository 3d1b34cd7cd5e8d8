"""Platform pages: login, home dashboard, job progress, API tokens, health check."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.choices import Role, UserKind
from guanxi.core.forms import (
    OrgUnitForm,
    StaffUserEditForm,
    StaffUserForm,
    add_service_errors,
)
from guanxi.core.models import ApiToken, Job, User
from guanxi.core.services import org as org_services
from guanxi.core.services.tokens import api_token_create, api_token_revoke
from guanxi.core.visibility import org_units_in_scope, staff_in_scope


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    if getattr(request.user, "kind", UserKind.STAFF) != UserKind.STAFF:
        return redirect("portal:home")
    return redirect("customers:followups")


@login_required
def job_detail(request, job_id: int):
    job = get_object_or_404(Job.objects.filter(created_by=request.user), pk=job_id)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    raw_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = request.POST["revoke"]
            token = get_object_or_404(
                ApiToken, pk=int(token_id) if token_id.isdigit() else 0, user=request.user
            )
            api_token_revoke(token=token)
            messages.success(request, _("Token revoked."))
            return redirect("core:tokens")
        name = request.POST.get("name", "").strip()[:100] or _("API token")
        _token, raw_key = api_token_create(user=request.user, name=name)
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)
    return render(request, "core/tokens.html", {"tokens": tokens, "raw_key": raw_key})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"status": "ok"})
    return HttpResponse("ok", content_type="text/plain")


def _require_manager(user) -> None:
    if not (user.is_admin_role or user.role == Role.MANAGER):
        raise PermissionDenied(_("Only administrators and managers can see the organisation."))


@login_required
def organisation(request):
    """The company tree with its staff; administrators add departments and people here."""
    _require_manager(request.user)
    units = org_units_in_scope(request.user).annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    )
    staff = (
        staff_in_scope(request.user)
        .filter(kind=UserKind.STAFF)
        .select_related("org_unit")
        .annotate(customers=Count("owned_parties"))
        .order_by("org_unit__path", "-is_active", "username")
    )
    unit_form = OrgUnitForm(request.POST if "add_unit" in request.POST else None, prefix="unit")
    if request.method == "POST" and "add_unit" in request.POST and unit_form.is_valid():
        try:
            org_services.org_unit_create(actor=request.user, **unit_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(unit_form, exc)
        else:
            messages.success(request, _("Department added."))
            return redirect("core:organisation")
    return render(
        request,
        "core/organisation.html",
        {
            "units": units,
            "staff": staff,
            "unit_form": unit_form,
            "can_edit": request.user.is_admin_role,
        },
    )


@login_required
def staff_create(request):
    if not request.user.is_admin_role:
        raise PermissionDenied(_("Only administrators can do this."))
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Staff member added."))
            return redirect("core:organisation")
    return render(request, "core/staff_form.html", {"form": form, "creating": True})


@login_required
def staff_edit(request, user_id: int):
    if not request.user.is_admin_role:
        raise PermissionDenied(_("Only administrators can do this."))
    member = get_object_or_404(User, pk=user_id, kind=UserKind.STAFF)
    form = StaffUserEditForm(
        request.POST or None,
        initial={
            "display_name": member.display_name,
            "role": member.role,
            "org_unit": member.org_unit,
            "language": member.language,
            "is_active": member.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            org_services.user_update(actor=request.user, user=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("core:organisation")
    return render(request, "core/staff_form.html", {"form": form, "member": member})
