"""The network health page (managers, administrators and analysts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.context_processors import may_see_network_health
from guanxi.network import health
from guanxi.network.engine.errors import InputError
from guanxi.network.engine.files import period_bounds
from guanxi.network.models import HealthReport
from guanxi.network.periods import period_of
from guanxi.network.tasks import health_report_task


def _allowed(user) -> None:
    if not may_see_network_health(user):
        raise PermissionDenied


def _period(text: str) -> str:
    try:
        period_bounds(text[:7])
    except InputError:
        return period_of(timezone.localdate())
    return text[:7]


@login_required
@require_http_methods(["GET", "POST"])
def health_page(request):
    """The stored report of a month; a POST has the worker compute it (again)."""
    user = request.user
    _allowed(user)
    period = _period(request.POST.get("period") or request.GET.get("period", ""))
    if request.method == "POST":
        health_report_task.enqueue(period=period)
        messages.success(request, _("The report is being computed; reload in a moment."))
        return redirect(f"{reverse('network:health')}?period={period}")
    report = HealthReport.objects.filter(period=period).first()
    data = report.data if report else {}
    return render(
        request,
        "network/health.html",
        {
            "period": period,
            "report": report,
            **data,
            "at_risk": health.at_risk(user, data.get("at_risk", [])) if report else [],
        },
    )
