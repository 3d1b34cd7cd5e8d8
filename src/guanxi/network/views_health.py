"""The network health page (managers, administrators and analysts)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from guanxi.core.choices import UserKind
from guanxi.core.context_processors import HEALTH_ROLES
from guanxi.network import health
from guanxi.network.engine.errors import InputError
from guanxi.network.engine.files import period_bounds
from guanxi.network.periods import period_of


@login_required
@require_GET
def health_page(request):
    user = request.user
    if user.kind != UserKind.STAFF or not (user.is_superuser or user.role in HEALTH_ROLES):
        raise PermissionDenied
    period = request.GET.get("period", "")[:7]
    try:
        period_bounds(period)
    except InputError:
        period = period_of(timezone.localdate())
    periods = health.months_back(period, 12)
    months, active = health.monthly(periods)
    run, ranks = health.ranks()
    risk, risk_count = health.at_risk(user, periods[-1], active, periods[-2])
    return render(
        request,
        "network/health.html",
        {
            "period": periods[-1],
            "months": months,
            "retention": health.retention(periods, active),
            "periods": periods,
            "shape": health.shape(),
            "rank_run": run,
            "ranks": ranks,
            "at_risk": risk,
            "at_risk_count": risk_count,
        },
    )
