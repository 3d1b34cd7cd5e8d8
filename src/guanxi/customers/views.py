"""Web pages of the customer database. Thin: parse input, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanxi.core.audit_display import describe
from guanxi.core.forms import add_service_errors
from guanxi.core.services.jobs import job_start
from guanxi.core.visibility import Action, can, rights_remembered, role_allows
from guanxi.customers import export, panels, selectors, services, timeline
from guanxi.customers.choices import ContactKind
from guanxi.customers.duplicates import DuplicatePartyError
from guanxi.customers.forms import (
    ConsentForm,
    ContactPointForm,
    InteractionForm,
    NewPartyContactsForm,
    PartyFilterForm,
    PartyForm,
    ReassignForm,
    ShareForm,
    TransferForm,
)
from guanxi.customers.models import ContactPoint, Interaction, Party
from guanxi.customers.services.consent import consents_in_force
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.guards import may_override_duplicates
from guanxi.customers.tasks import transfer_parties_task

PAGE_SIZE = 50


def _filters(request) -> tuple[PartyFilterForm, selectors.PartyFilters]:
    form = PartyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    criteria = selectors.PartyFilters(
        q=data.get("q", ""),
        lifecycle_stage=data.get("lifecycle_stage", ""),
        source=data.get("source", ""),
        role=data.get("role", ""),
        tag=data.get("tag", ""),
        owner_id=request.user.pk if data.get("mine") else None,
    )
    return form, criteria


def _visible_party(request, party_id: int, action: Action = Action.VIEW) -> Party:
    return selectors.party_for(user=request.user, party_id=party_id, action=action)


@login_required
@require_GET
def party_list(request):
    form, criteria = _filters(request)
    try:
        after = int(request.GET.get("after", "") or 0) or None
    except ValueError:
        after = None
    page = selectors.party_page(
        user=request.user, filters=criteria, after_id=after, limit=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "parties": page.rows,
        "next_after": page.next_after,
        "count": page.count,
        "count_capped": page.count_capped,
        "query": query.urlencode(),
        "is_next_page": bool(after),
        "can_export": role_allows(request.user, Action.EXPORT),
        "can_create": role_allows(request.user, Action.CREATE),
        "can_import": role_allows(request.user, Action.IMPORT),
    }
    template = "customers/_party_rows.html" if request.htmx else "customers/party_list.html"
    return render(request, template, context)


@login_required
@require_GET
def party_export(request, fmt: str = "csv"):
    """CSV or XLSX of the filtered list, with the export rule of visibility applied."""
    if not role_allows(request.user, Action.EXPORT):
        raise PermissionDenied(_("You do not have permission to export customers."))
    _form, criteria = _filters(request)
    qs = selectors.party_queryset(user=request.user, filters=criteria, action=Action.EXPORT)
    header = [
        _("ID"),
        _("Name"),
        _("Pinyin"),
        _("Mobile"),
        _("Stage"),
        _("Source"),
        _("Owner"),
        _("Created"),
    ]

    def rows():
        mobiles = ContactPoint.objects.filter(kind=ContactKind.MOBILE).order_by("-is_primary", "id")
        parties = qs.select_related("owner").prefetch_related(
            Prefetch("contact_points", queryset=mobiles, to_attr="mobiles")
        )
        for party in parties.iterator(chunk_size=2000):  # prefetches once per chunk
            yield [
                party.pk,
                party.name,
                party.name_pinyin,
                party.mobiles[0].display_value if party.mobiles else "",
                party.get_lifecycle_stage_display(),
                party.get_source_display(),
                str(party.owner or ""),
                timezone.localtime(party.created_at).strftime("%Y-%m-%d"),
            ]

    if fmt == "xlsx":
        return FileResponse(
            export.xlsx_file(header, rows(), sheet=_("Customers")),
            as_attachment=True,
            filename="customers.xlsx",
            content_type=export.XLSX_TYPE,
        )
    response = StreamingHttpResponse(
        export.csv_lines(header, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="customers.csv"'
    return response


def _contact_specs(data: dict) -> list[tuple[str, ContactSpec]]:
    """(form field, spec) for each contact entered on the new-customer form."""
    specs = []
    for field, kind in (
        ("mobile", ContactKind.MOBILE),
        ("email", ContactKind.EMAIL),
        ("wechat", ContactKind.WECHAT),
    ):
        if data.get(field):
            specs.append((field, ContactSpec(kind=kind, value=data[field], is_primary=True)))
    if data.get("address"):
        specs.append(
            (
                "address",
                ContactSpec(
                    kind=ContactKind.ADDRESS,
                    value=data["address"],
                    is_primary=True,
                    province=data.get("province", ""),
                    city=data.get("city", ""),
                    district=data.get("district", ""),
                ),
            )
        )
    return specs


def _apply_contact_errors(form, contacts, specs, exc: ValidationError) -> None:
    """Put contact_points.<i>.<field> errors on the matching contact field of the form."""
    other = {}
    for key, errors in exc.message_dict.items():
        if key.startswith("contact_points."):
            index = int(key.split(".")[1])
            for error in errors:
                contacts.add_error(specs[index][0], error)
        else:
            other[key] = errors
    if other:
        add_service_errors(form, ValidationError(other))


@login_required
def party_create(request):
    if not role_allows(request.user, Action.CREATE):
        raise PermissionDenied(_("You do not have permission to add customers."))
    form = PartyForm(request.POST or None)
    contacts = NewPartyContactsForm(request.POST or None)
    duplicates = None
    may_override = may_override_duplicates(request.user)
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        data = dict(form.cleaned_data)
        specs = _contact_specs(contacts.cleaned_data)
        try:
            party = services.party_create(
                actor=request.user,
                contact_points=[spec for _field, spec in specs],
                allow_duplicate=may_override and request.POST.get("allow_duplicate") == "1",
                **data,
            )
        except DuplicatePartyError as exc:
            duplicates = exc.matches
        except ValidationError as exc:
            _apply_contact_errors(form, contacts, specs, exc)
        else:
            messages.success(request, _("Customer %(name)s added.") % {"name": party.name})
            return redirect("customers:detail", party_id=party.pk)
    return render(
        request,
        "customers/party_form.html",
        {
            "form": form,
            "contacts": contacts,
            "duplicates": _duplicate_rows(request, duplicates),
            "may_override": may_override,
            "creating": True,
        },
    )


def _duplicate_rows(request, matches):
    if not matches:
        return None
    return [{"match": m, "visible": can(request.user, Action.VIEW, m.party)} for m in matches]


@login_required
def party_edit(request, party_id: int):
    party = _visible_party(request, party_id, Action.CHANGE)
    initial = {
        "name": party.name,
        "kind": party.kind,
        "gender": party.gender,
        "birthday": party.birthday,
        "roles": party.role_list,
        "lifecycle_stage": party.lifecycle_stage,
        "source": party.source,
        "source_detail": party.source_detail,
        "acquisition_cost": party.acquisition_cost,
        "tags": ", ".join(t.name for t in party.tags.all()),
        "notes": party.notes,
    }
    form = PartyForm(request.POST or None, initial=initial)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            services.party_update(actor=request.user, party=party, **form.cleaned_data)
        except DuplicatePartyError as exc:
            duplicates = exc.matches
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:detail", party_id=party.pk)
    return render(
        request,
        "customers/party_form.html",
        {
            "form": form,
            "party": party,
            "duplicates": _duplicate_rows(request, duplicates),
        },
    )


@login_required
@require_POST
def party_delete(request, party_id: int):
    party = _visible_party(request, party_id, Action.DELETE)
    try:
        services.party_delete(actor=request.user, party=party)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("customers:detail", party_id=party.pk)
    messages.success(request, _("Customer deleted."))
    return redirect("customers:list")


@login_required
@require_GET
def party_detail(request, party_id: int):
    survivor_id = selectors.resolve_party_id(party_id)
    if survivor_id != party_id:  # merged into another record: go there
        return redirect("customers:detail", party_id=survivor_id)
    try:
        party = selectors.party_detail(user=request.user, party_id=party_id)
    except Party.DoesNotExist:
        raise Http404 from None
    with rights_remembered():
        return _party_page(request, party)


def _party_page(request, party):
    entries, next_cursor = timeline.timeline_page(party, request.user)
    user = request.user
    may_transfer = can(user, Action.TRANSFER, party)
    return render(
        request,
        "customers/party_detail.html",
        {
            "party": party,
            "contact_points": party.contact_points.all(),
            "consents": consents_in_force(party),
            "entries": entries,
            "next_cursor": next_cursor,
            "log_form": InteractionForm(),
            "contact_form": ContactPointForm(),
            "consent_form": ConsentForm(),
            "reassign_form": ReassignForm(),
            "share_form": ShareForm(),
            "can_change": can(user, Action.CHANGE, party),
            "can_delete": can(user, Action.DELETE, party),
            "can_log": can(user, Action.LOG, party),
            "can_share": party.owner_id == user.pk or may_transfer,
            "can_reassign": party.owner_id is not None and may_transfer,
            "tab": request.GET.get("tab", "timeline"),
            "panels": panels.panels_for(party, user),
        },
    )


@login_required
@require_GET
def party_timeline(request, party_id: int):
    party = _visible_party(request, party_id)
    entries, next_cursor = timeline.timeline_page(
        party, request.user, cursor=request.GET.get("cursor")
    )
    return render(
        request,
        "customers/_timeline.html",
        {
            "party": party,
            "entries": entries,
            "next_cursor": next_cursor,
        },
    )


@login_required
@require_GET
def party_history(request, party_id: int):
    party = _visible_party(request, party_id)
    events = describe(list(selectors.party_history_events(party)[:200]))
    template = "customers/_history.html" if request.htmx else "customers/party_history.html"
    return render(request, template, {"party": party, "events": events})


@login_required
@require_POST
def interaction_create(request, party_id: int):
    party = _visible_party(request, party_id, Action.LOG)
    form = InteractionForm(request.POST)
    if form.is_valid():
        try:
            services.interaction_log(actor=request.user, party=party, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity logged."))
            if request.htmx:
                entries, next_cursor = timeline.timeline_page(party, request.user)
                return render(
                    request,
                    "customers/_log_result.html",
                    {
                        "party": party,
                        "entries": entries,
                        "next_cursor": next_cursor,
                        "log_form": InteractionForm(),
                    },
                )
            return redirect("customers:detail", party_id=party.pk)
    template = "customers/_log_form.html" if request.htmx else "customers/log_form_page.html"
    return render(request, template, {"party": party, "log_form": form}, status=422)


@login_required
def contact_point_create(request, party_id: int):
    party = _visible_party(request, party_id, Action.CHANGE)
    form = ContactPointForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_add(
                actor=request.user, party=party, spec=ContactSpec(**form.cleaned_data)
            )
        except DuplicatePartyError as exc:
            duplicates = exc.matches
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact method added."))
            return redirect("customers:detail", party_id=party.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "customers/contact_form.html",
        {
            "party": party,
            "form": form,
            "duplicates": _duplicate_rows(request, duplicates),
        },
        status=status,
    )


@login_required
@require_POST
def contact_point_delete(request, party_id: int, cp_id: int):
    party = _visible_party(request, party_id, Action.CHANGE)
    cp = get_object_or_404(ContactPoint, pk=cp_id, party=party)
    services.contact_point_remove(actor=request.user, contact_point=cp)
    messages.success(request, _("Contact method removed."))
    return redirect("customers:detail", party_id=party.pk)


@login_required
@require_POST
def consent_create(request, party_id: int):
    party = _visible_party(request, party_id, Action.LOG)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_record(actor=request.user, party=party, **form.cleaned_data)
        messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("Please check the consent form."))
    return redirect("customers:detail", party_id=party.pk)


@login_required
@require_POST
def party_share(request, party_id: int):
    party = _visible_party(request, party_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.party_share(actor=request.user, party=party, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Shared."))
    else:
        messages.error(request, _("Choose a user to share with."))
    return redirect("customers:detail", party_id=party.pk)


@login_required
@require_GET
def follow_up_list(request):
    return render(
        request,
        "customers/follow_ups.html",
        {
            "groups": selectors.follow_ups_due(user=request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def follow_up_done(request, interaction_id: int):
    interaction = get_object_or_404(
        Interaction.objects.visible_to(request.user, Action.LOG), pk=interaction_id
    )
    services.follow_up_done(actor=request.user, interaction=interaction)
    messages.success(request, _("Follow-up marked done."))
    target = request.POST.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = reverse("customers:followups")
    return HttpResponseRedirect(target)


@login_required
def transfer(request):
    if not role_allows(request.user, Action.TRANSFER):
        raise PermissionDenied(_("Only administrators and managers can transfer customers."))
    form = TransferForm(request.POST or None, initial={"from_user": request.GET.get("from")})
    if request.method == "POST" and form.is_valid():
        from_user, to_user = form.cleaned_data["from_user"], form.cleaned_data["to_user"]
        try:
            services.transfer_validate(request.user, from_user, to_user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            job = job_start(
                kind="customers.transfer",
                created_by=request.user,
                task=transfer_parties_task,
                title=_("Transfer customers of %(from)s to %(to)s")
                % {"from": from_user, "to": to_user},
                actor_id=request.user.pk,
                from_user_id=from_user.pk,
                to_user_id=to_user.pk,
            )
            return redirect("core:job_detail", job_id=job.pk)
    return render(request, "customers/transfer.html", {"form": form})


@login_required
@require_POST
def party_unshare(request, party_id: int, user_id: int):
    party = _visible_party(request, party_id)
    share = get_object_or_404(party.shares.select_related("user"), user_id=user_id)
    services.party_unshare(actor=request.user, party=party, user=share.user)
    messages.success(request, _("Sharing stopped."))
    return redirect("customers:detail", party_id=party.pk)


@login_required
@require_POST
def party_reassign(request, party_id: int):
    """Give one customer to another owner (the bulk move is the transfer page)."""
    party = _visible_party(request, party_id, Action.TRANSFER)
    form = ReassignForm(request.POST)
    if party.owner is None:
        messages.error(request, _("Unowned customers are taken from the public pool."))
    elif form.is_valid():
        try:
            services.parties_transfer(
                actor=request.user,
                from_user=party.owner,
                to_user=form.cleaned_data["to_user"],
                party_ids=[party.pk],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Owner changed."))
    else:
        messages.error(request, _("Choose the new owner."))
    return redirect("customers:detail", party_id=party.pk)
