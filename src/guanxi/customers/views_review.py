"""The review queue (possible duplicates, field conflicts), merging, and undoing merges."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanxi.core.services.jobs import job_start
from guanxi.core.visibility import Action, role_allows
from guanxi.customers import selectors
from guanxi.customers.models import DuplicateReview, FieldConflict, Merge, Party
from guanxi.customers.services.merge import (
    MERGEABLE_FIELDS,
    UNDO_DAYS,
    mark_distinct,
    merge_undo,
    parties_merge,
)
from guanxi.customers.services.review import conflict_resolve
from guanxi.customers.tasks import dedup_task


def _display(party: Party, name: str) -> str:
    field = Party._meta.get_field(name)
    if field.choices:
        return str(getattr(party, f"get_{name}_display")())
    value = getattr(party, name)
    return "" if value in (None, "") else str(value)


@login_required
@require_GET
def review_list(request):
    if not role_allows(request.user, Action.MERGE) and not role_allows(request.user, Action.CHANGE):
        raise PermissionDenied
    tab = "conflicts" if request.GET.get("tab") == "conflicts" else "duplicates"
    if tab == "duplicates":
        qs = selectors.review_queue(user=request.user).prefetch_related("members__party")
    else:
        qs = selectors.open_conflicts(user=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/review_list.html",
        {
            "tab": tab,
            "page": page,
            "can_merge": role_allows(request.user, Action.MERGE),
            "can_scan": request.user.is_admin_role,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, review_id: int):
    """Candidates side by side; merge with a field-by-field choice, or "not the same"."""
    review = get_object_or_404(DuplicateReview, pk=review_id)
    parties = selectors.review_parties(user=request.user, review=review)
    errors = []
    member_ids = ",".join(str(p.pk) for p in parties)
    if request.method == "POST" and review.status == "open":
        ids = {p.pk for p in parties}
        try:
            if request.POST.get("members") != member_ids:
                raise ValidationError(_("These records changed meanwhile; look at them again."))
            if request.POST.get("action") == "distinct":
                mark_distinct(actor=request.user, review=review)
                messages.success(
                    request,
                    _("Marked as different customers; they will not be proposed again."),
                )
                return redirect("customers:review")
            survivor_id = int(request.POST.get("survivor", parties[0].pk))
            choices = {}
            for name in MERGEABLE_FIELDS:
                if request.POST.get(f"field_{name}"):
                    choices[name] = int(request.POST[f"field_{name}"])
            if survivor_id not in ids or not set(choices.values()) <= ids:
                raise ValidationError(_("Choose one of the records shown."))
            merge = parties_merge(
                actor=request.user,
                survivor_id=survivor_id,
                merged_ids=[p.pk for p in parties if p.pk != survivor_id],
                choices=choices,
            )
        except (ValueError, ValidationError) as exc:
            errors = getattr(exc, "messages", [str(exc)])
        else:
            messages.success(request, _("Merged. The other records now lead here."))
            return redirect("customers:detail", party_id=merge.survivor_id)
    rows = []
    for name in MERGEABLE_FIELDS:
        values = [_display(p, name) for p in parties]
        rows.append(
            {
                "name": name,
                "label": Party._meta.get_field(name).verbose_name,
                "cells": list(zip(parties, values, strict=True)),
                "differ": len({v for v in values if v}) > 1,
            }
        )
    return render(
        request,
        "customers/review_detail.html",
        {
            "review": review,
            "parties": parties,
            "rows": rows,
            "errors": errors,
            "member_ids": member_ids,
        },
    )


@login_required
@require_POST
def review_scan(request):
    if not request.user.is_admin_role:
        raise PermissionDenied(_("Only administrators can start a duplicate scan."))
    job = job_start(
        kind="customers.dedup",
        created_by=request.user,
        task=dedup_task,
        title=_("Duplicate scan over all customers"),
    )
    return redirect("core:job_detail", job_id=job.pk)


@login_required
@require_POST
def conflict_decide(request, conflict_id: int):
    conflict = get_object_or_404(
        FieldConflict.objects.visible_to(request.user, Action.CHANGE), pk=conflict_id
    )
    try:
        conflict_resolve(
            actor=request.user,
            conflict=conflict,
            take_incoming=request.POST.get("take") == "incoming",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{redirect('customers:review').url}?tab=conflicts")


@login_required
@require_http_methods(["GET", "POST"])
def merge_list(request):
    """Recent merges; an administrator can undo one within 30 days."""
    if not request.user.is_admin_role:
        raise PermissionDenied(_("Only administrators can undo merges."))
    if request.method == "POST":
        merge_id = request.POST.get("merge", "")
        merge = get_object_or_404(Merge, pk=int(merge_id) if merge_id.isdigit() else 0)
        try:
            merge_undo(actor=request.user, merge=merge)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The merge was undone."))
        return redirect("customers:merges")
    since = timezone.now() - datetime.timedelta(days=UNDO_DAYS)
    merges = list(Merge.objects.select_related("survivor", "created_by").order_by("-id")[:200])
    names = dict(
        Party.objects.filter(pk__in={pk for m in merges for pk in m.merged_ids}).values_list(
            "pk", "name"
        )
    )
    for merge in merges:
        merge.merged_names = [f"{names.get(pk, '?')} #{pk}" for pk in merge.merged_ids]
    return render(request, "customers/merge_list.html", {"merges": merges, "undo_since": since})
