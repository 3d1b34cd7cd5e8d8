"""Web pages of contracts: the list, drawing one up from a won deal with its plan, the
contract page (plan, collections, attachments, actions), overdue receivables and the
targets dashboard. Thin: parse, call a service or selector, render."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.core.choices import Role, UserKind
from guanxi.core.forms import add_service_errors
from guanxi.core.models import OrgUnit, User
from guanxi.core.visibility import Action, can, org_units_in_scope, require_staff, staff_in_scope
from guanxi.sales import selectors_contracts as selectors
from guanxi.sales.attainment import attainment_board
from guanxi.sales.choices import ContractStatus
from guanxi.sales.forms_contracts import (
    CollectionForm,
    ContractForm,
    TargetForm,
    plan_formset,
    plan_specs,
)
from guanxi.sales.models import Collection, ContractAttachment, Opportunity
from guanxi.sales.services import collections as collecting
from guanxi.sales.services import contracts as services
from guanxi.sales.services.targets import may_set_targets, target_set, targets_import


def _say(request, exc) -> None:
    for problem in getattr(exc, "messages", [str(exc)]):
        messages.error(request, problem)


def _visible(request, contract_id: int):
    require_staff(request.user)
    contract = selectors.contract_detail(user=request.user, contract_id=contract_id)
    if contract is None:
        raise Http404
    return contract


@login_required
@require_GET
def contract_list(request):
    require_staff(request.user)
    status = request.GET.get("status", "")
    status = status if status in ContractStatus.values else ""
    qs = selectors.contract_list(user=request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sales/contract_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ContractStatus.choices,
            "won": selectors.won_without_contract(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request, opportunity_id: int):
    """Draw up a contract from a won deal, with its receivables plan on the same page."""
    require_staff(request.user)
    deal = get_object_or_404(
        Opportunity.objects.visible_to(request.user, Action.CHANGE).select_related("party"),
        pk=opportunity_id,
    )
    net = deal.amount * (100 - deal.discount_pct) / 100
    form = ContractForm(
        request.POST or None,
        initial={"title": deal.title, "amount": round(net, 2), "signed_on": timezone.localdate()},
    )
    plan = plan_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and plan.is_valid():
        try:
            contract = services.contract_create(
                actor=request.user,
                opportunity=deal,
                instalments=plan_specs(plan),
                **form.cleaned_data,
            )
            messages.success(
                request, _("Contract %(number)s drawn up.") % {"number": contract.number}
            )
            return redirect("sales:contract", contract_id=contract.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
            for problem in exc.message_dict.get("instalments", []):
                form.add_error(None, problem)
        except PermissionDenied as exc:
            _say(request, exc)
    return render(request, "sales/contract_new.html", {"deal": deal, "form": form, "plan": plan})


@login_required
@require_GET
def contract_detail(request, contract_id: int):
    contract = _visible(request, contract_id)
    return render(request, "sales/contract_detail.html", _detail_context(request, contract))


def _detail_context(request, contract, **forms) -> dict:
    from guanxi.sales.services.approvals import pending_for

    user = request.user
    may_change = can(user, Action.CHANGE, contract.party)
    approval = pending_for(services.SUBJECT, contract.pk)
    return {
        "contract": contract,
        "instalments": list(contract.instalments.order_by("position")),
        "collections": list(
            contract.collections.select_related("recorded_by", "reversed_by").order_by(
                "-collected_on", "-id"
            )
        ),
        "attachments": list(contract.attachments.select_related("uploaded_by")),
        "approval": approval,
        "may_change": may_change,
        "plan_editable": may_change and not approval and contract.status in services.PLAN_EDITABLE,
        "may_reverse": may_change and (user.is_superuser or user.role in collecting.REVERSERS),
        "collection_form": forms.get("collection_form") or CollectionForm(),
        "plan": forms.get("plan")
        or plan_formset(rows=list(contract.instalments.order_by("position")), blank=2),
        "today": timezone.localdate(),
        "edit_form": forms.get("edit_form")
        or ContractForm(
            initial={
                f: getattr(contract, f)
                for f in ("title", "amount", "signed_on", "starts_on", "ends_on", "terms")
            }
        ),
    }


def _act(request, contract_id: int, action) -> object:
    """Run one action on a visible contract and come back to its page with the outcome."""
    contract = _visible(request, contract_id)
    try:
        message = action(contract)
        messages.success(request, message)
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    return redirect("sales:contract", contract_id=contract.pk)


@login_required
@require_POST
def contract_submit(request, contract_id: int):
    def submit(contract):
        outcome = services.contract_submit(actor=request.user, contract=contract)
        if getattr(outcome, "status", "") == ContractStatus.ACTIVE:
            return _("The contract is in force.")
        return _("The contract was sent for approval.")

    return _act(request, contract_id, submit)


@login_required
@require_POST
def contract_terminate(request, contract_id: int):
    def terminate(contract):
        services.contract_terminate(
            actor=request.user, contract=contract, reason=request.POST.get("reason", "")
        )
        return _("The contract was terminated.")

    return _act(request, contract_id, terminate)


@login_required
@require_POST
def contract_edit(request, contract_id: int):
    """Change a draft's terms."""
    contract = _visible(request, contract_id)
    form = ContractForm(request.POST)
    if form.is_valid():
        try:
            services.contract_update(actor=request.user, contract=contract, **form.cleaned_data)
            messages.success(request, _("Contract saved."))
            return redirect("sales:contract", contract_id=contract.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            _say(request, exc)
    context = _detail_context(request, contract, edit_form=form)
    return render(request, "sales/contract_detail.html", context, status=422)


@login_required
@require_POST
def contract_plan(request, contract_id: int):
    contract = _visible(request, contract_id)
    plan = plan_formset(request.POST)
    try:
        if not plan.is_valid():
            raise ValidationError({"instalments": _("Check the dates and amounts of the plan.")})
        services.plan_set(actor=request.user, contract=contract, instalments=plan_specs(plan))
        messages.success(request, _("Receivables plan saved."))
        return redirect("sales:contract", contract_id=contract.pk)
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    context = _detail_context(request, contract, plan=plan)
    return render(request, "sales/contract_detail.html", context, status=422)


@login_required
@require_POST
def collection_new(request, contract_id: int):
    contract = _visible(request, contract_id)
    form = CollectionForm(request.POST)
    if form.is_valid():
        try:
            collecting.collection_record(actor=request.user, contract=contract, **form.cleaned_data)
            messages.success(request, _("Collection recorded."))
            return redirect("sales:contract", contract_id=contract.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            _say(request, exc)
    context = _detail_context(request, contract, collection_form=form)
    return render(request, "sales/contract_detail.html", context, status=422)


@login_required
@require_POST
def collection_reverse(request, collection_id: int):
    require_staff(request.user)
    collection = get_object_or_404(
        Collection.objects.filter(contract__in=selectors.contract_list(user=request.user)),
        pk=collection_id,
    )

    def reverse(contract):
        collecting.collection_reverse(
            actor=request.user, collection=collection, reason=request.POST.get("reason", "")
        )
        return _("Collection reversed.")

    return _act(request, collection.contract_id, reverse)


@login_required
@require_POST
def attachment_upload(request, contract_id: int):
    def upload(contract):
        if "file" not in request.FILES:
            raise ValidationError({"file": _("Choose a file.")})
        collecting.attachment_add(
            actor=request.user, contract=contract, upload=request.FILES["file"]
        )
        return _("File attached.")

    return _act(request, contract_id, upload)


@login_required
@require_GET
def attachment_download(request, attachment_id: int):
    """The file, for whoever may see its contract (never a public media link)."""
    require_staff(request.user)
    attachment = get_object_or_404(
        ContractAttachment.objects.filter(contract__in=selectors.contract_list(user=request.user)),
        pk=attachment_id,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@login_required
@require_GET
def overdue(request):
    require_staff(request.user)
    today = timezone.localdate()
    rows = list(selectors.overdue(user=request.user, today=today)[:500])
    for row in rows:
        row.days = (today - row.due_on).days
    total = sum((r.outstanding_amount for r in rows), 0)
    return render(request, "sales/contract_overdue.html", {"rows": rows, "total": total})


def _month(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{text}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    """Targets and attainment: a rep their own, a manager their team and each rep, an
    administrator everyone; managers and administrators set them here."""
    require_staff(request.user)
    month = _month(request.GET.get("month", ""))
    setter = may_set_targets(request.user)
    form = None
    if setter:
        people = staff_in_scope(request.user).filter(
            kind=UserKind.STAFF, is_active=True, role__in=[Role.SALES_REP, Role.MANAGER]
        )
        if not request.user.is_admin_role:
            people = people.exclude(pk=request.user.pk)
        units = org_units_in_scope(request.user)
        form = TargetForm(
            request.POST or None, people=people, units=units, initial={"month": month}
        )
        if request.method == "POST" and form.is_valid():
            kind, _sep, pk = form.cleaned_data["who"].partition(":")
            data = {k: form.cleaned_data[k] for k in ("revenue", "collections", "new_customers")}
            try:
                target_set(
                    actor=request.user,
                    month=form.cleaned_data["month"],
                    user=User.objects.get(pk=pk) if kind == "user" else None,
                    org_unit=OrgUnit.objects.get(pk=pk) if kind == "unit" else None,
                    **data,
                )
                messages.success(request, _("Target saved."))
                return redirect(f"{request.path}?month={form.cleaned_data['month']:%Y-%m}")
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                _say(request, exc)
    elif request.method == "POST":
        raise PermissionDenied
    board = attainment_board(viewer=request.user, month=month)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "sales/contract_targets.html",
        {**board, "form": form, "previous": previous, "following": following},
    )


@login_required
@require_POST
def targets_upload(request):
    """Set many targets from a CSV file (docs/sales.md gives the columns)."""
    require_staff(request.user)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        n = targets_import(actor=request.user, raw=upload.read(1024 * 1024 + 1))
        messages.success(
            request, ngettext("%(n)d target saved.", "%(n)d targets saved.", n) % {"n": n}
        )
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    month = urlencode({"month": request.GET.get("month", "")[:7]})
    return redirect(f"{reverse('sales:targets')}?{month}")
