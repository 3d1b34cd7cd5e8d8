"""Platform pages: login, home dashboard, job progress, API tokens, health check."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.models import ApiToken, Job
from guanxi.core.services.tokens import api_token_create, api_token_revoke


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
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
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user)
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
