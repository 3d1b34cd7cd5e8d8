"""The import wizard: upload, map columns, preview, run, watch, download the reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guanxi.core.forms import add_service_errors
from guanxi.core.visibility import Action, role_allows
from guanxi.customers.choices import ImportStatus
from guanxi.customers.forms import COLUMN_LABELS, ImportMappingForm, ImportUploadForm
from guanxi.customers.imports.reader import FileProblem, guess_mapping, read_upload_head
from guanxi.customers.imports.rows import RowValidator
from guanxi.customers.models import ImportBatch
from guanxi.customers.services.imports import (
    import_report_paths,
    import_start,
    import_store_upload,
    import_visible,
)

PREVIEW_ROWS = 10


def _require_import(request) -> None:
    if not role_allows(request.user, Action.IMPORT):
        raise PermissionDenied(_("You do not have permission to import customers."))


def _batch(request, batch_id: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("job", "owner"), pk=batch_id)
    if not import_visible(request.user, batch):
        raise Http404
    return batch


@login_required
@require_GET
def import_list(request):
    _require_import(request)
    batches = ImportBatch.objects.select_related("created_by").order_by("-id")
    if not request.user.is_admin_role:
        batches = batches.filter(created_by=request.user)
    return render(request, "customers/import_list.html", {"batches": batches[:100]})


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    _require_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = import_store_upload(
                actor=request.user,
                upload=data["file"],
                source_name=data["source_name"],
                cost=data["cost"],
            )
        except FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            if data["owner"] == "me":
                batch.owner = request.user
                batch.save(update_fields=["owner"])
            return redirect("customers:import_detail", batch_id=batch.pk)
    return render(request, "customers/import_new.html", {"form": form})


def _preview(batch: ImportBatch, mapping: dict[int, str]) -> list[dict]:
    table, rows = read_upload_head(batch.file_path, limit=PREVIEW_ROWS)
    validator = RowValidator(mapping)
    preview = []
    for offset, raw in enumerate(rows):
        number = table.header_row + 1 + offset
        _clean, errors = validator.validate(number, raw)
        preview.append(
            {
                "number": number,
                "cells": raw,
                "errors": [f"{COLUMN_LABELS.get(c, c)}: {reason}" for c, reason in errors],
            }
        )
    return preview


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, batch_id: int):
    """Mapping and preview while uploaded; progress and results afterwards."""
    batch = _batch(request, batch_id)
    if batch.status != ImportStatus.UPLOADED:
        return render(request, "customers/import_detail.html", {"batch": batch})
    _require_import(request)
    try:
        table, _rows = read_upload_head(batch.file_path, limit=0)
    except (FileProblem, FileNotFoundError) as exc:
        messages.error(request, str(exc))
        return redirect("customers:import_new")
    guessed = guess_mapping(table.header)
    form = ImportMappingForm(request.POST or None, header=table.header, initial_mapping=guessed)
    mapping = guessed
    if request.method == "POST" and form.is_valid():
        mapping = form.cleaned_data["mapping"]
        if "run" in request.POST:
            try:
                import_start(
                    actor=request.user,
                    batch=batch,
                    mapping=mapping,
                    dry_run=form.cleaned_data["dry_run"],
                    owner=batch.owner,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("customers:import_detail", batch_id=batch.pk)
    context = {
        "batch": batch,
        "form": form,
        "header": table.header,
        "preview": _preview(batch, mapping),
        "unmapped": not guessed,
    }
    return render(request, "customers/import_map.html", context)


@login_required
@require_GET
def import_progress(request, batch_id: int):
    batch = _batch(request, batch_id)
    return render(request, "customers/_import_progress.html", {"batch": batch})


@login_required
@require_GET
def import_report(request, batch_id: int, kind: str):
    batch = _batch(request, batch_id)
    outcome, errors = import_report_paths(batch)
    path = {"outcome": outcome, "errors": errors}.get(kind)
    if path is None or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"import-{batch.pk}-{kind}.csv",
        content_type="text/csv; charset=utf-8",
    )
