"""Staff pages of the service centre: the request queue, a request with its answer
form, and the question bank. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, can, require_staff
from guanxi.service import selectors, services
from guanxi.service.choices import RequestStatus
from guanxi.service.constants import SEARCH_MAX
from guanxi.service.forms import AnswerForm
from guanxi.service.models import ServiceRequest


def _service_request(request, request_id: int) -> ServiceRequest:
    require_staff(request.user)
    return get_object_or_404(
        ServiceRequest.objects.visible_to(request.user).select_related(
            "party", "order", "created_by", "answered_by"
        ),
        pk=request_id,
    )


@login_required
@require_GET
def request_list(request):
    require_staff(request.user)
    status = request.GET.get("status", RequestStatus.OPEN)
    if status not in RequestStatus.values:
        status = ""
    page = Paginator(selectors.service_request_list(user=request.user, status=status), 50)
    return render(
        request,
        "service/request_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "status": status,
            "statuses": RequestStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, request_id: int):
    """A request; staff who may log on the customer answer it here."""
    service_request = _service_request(request, request_id)
    may_answer = can(request.user, Action.LOG, service_request.party)
    is_open = service_request.status != RequestStatus.CLOSED
    form = AnswerForm(request.POST or None, initial={"answer": service_request.answer})
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.service_request_answer(
                    actor=request.user, request=service_request, answer=form.cleaned_data["answer"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Answer saved."))
                return redirect("service:request", request_id=service_request.pk)
    return render(
        request,
        "service/request_detail.html",
        {
            "req": service_request,
            "form": form,
            "may_answer": may_answer and (is_open or form.errors),
            "may_close": may_answer and is_open,
        },
    )


@login_required
@require_POST
def request_close(request, request_id: int):
    service_request = _service_request(request, request_id)
    try:
        services.service_request_close(actor=request.user, request=service_request)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You do not have permission to do this."))
    else:
        messages.success(request, _("Request closed."))
    return redirect("service:request", request_id=service_request.pk)


@login_required
@require_GET
def question_list(request):
    """The question bank, read-only; searching shows what customers would find."""
    require_staff(request.user)
    q = request.GET.get("q", "").strip()[:SEARCH_MAX]
    questions = services.question_search(q=q, limit=100) if q else selectors.question_bank()
    return render(
        request,
        "service/questions.html",
        {"q": q, "questions": questions},
    )
