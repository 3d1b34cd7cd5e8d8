"""API for imports, the duplicate review queue, merges and field conflicts."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from guanxi.core.api_support import CursorPagination, ErrorOut, IdValue, RecordId
from guanxi.core.visibility import Action
from guanxi.customers import selectors
from guanxi.customers.choices import ImportStatus
from guanxi.customers.imports.reader import FileProblem, guess_mapping, open_table
from guanxi.customers.models import DuplicateReview, FieldConflict, ImportBatch, Merge
from guanxi.customers.services.imports import import_start, import_store_upload, import_visible
from guanxi.customers.services.merge import (
    MERGEABLE_FIELDS,
    mark_distinct,
    merge_undo,
    parties_merge,
)
from guanxi.customers.services.review import conflict_resolve

router = Router(tags=["duplicates and imports"])

MergeField = Literal[tuple(MERGEABLE_FIELDS)]


class ReviewMemberOut(Schema):
    party_id: int
    name: str = Field(..., alias="party.name")
    score: float
    reason: str


class ReviewOut(Schema):
    id: int
    origin: str
    status: str
    score: float
    reason: str
    created_at: datetime.datetime
    members: list[ReviewMemberOut] = Field(..., alias="members.all")


class MergeIn(Schema):
    survivor_id: IdValue
    merged_ids: list[IdValue] = Field(..., min_length=1, max_length=50)
    choices: dict[MergeField, IdValue] = Field(
        default_factory=dict, description="field → the party whose value the survivor keeps"
    )


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_ids: list[int]
    created_at: datetime.datetime
    undone_at: datetime.datetime | None


class ConflictOut(Schema):
    id: int
    party_id: int
    field: str
    current_value: str
    incoming_value: str
    batch_id: int | None
    row_number: int | None
    status: str


class ConflictDecisionIn(Schema):
    take: Literal["incoming", "current"]


class ImportOut(Schema):
    id: int
    file_name: str
    source_name: str
    cost: Decimal
    status: str
    dry_run: bool
    rows_done: int
    counts: dict
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


@router.get("/duplicate-reviews", response=list[ReviewOut])
@paginate(CursorPagination)
def review_list(request):
    """Open groups of possible duplicates whose every party the caller may merge."""
    return selectors.review_queue(user=request.auth).prefetch_related("members__party")


@router.post(
    "/duplicate-reviews/{review_id}/distinct",
    response={200: ReviewOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def review_distinct(request, review_id: RecordId):
    """ "Not the same": the pairs of this group are never proposed again."""
    review = get_object_or_404(DuplicateReview, pk=review_id)
    selectors.review_parties(user=request.auth, review=review)
    mark_distinct(actor=request.auth, review=review)
    return DuplicateReview.objects.get(pk=review.pk)


@router.post("/merges", response={201: MergeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def merge_create(request, payload: MergeIn):
    """Merge parties into a survivor; related records move, merged ids keep resolving."""
    merge = parties_merge(
        actor=request.auth,
        survivor_id=payload.survivor_id,
        merged_ids=payload.merged_ids,
        choices=dict(payload.choices),
    )
    return Status(201, merge)


@router.post(
    "/merges/{merge_id}/undo", response={200: MergeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def merge_undo_view(request, merge_id: RecordId):
    """Undo a merge (administrators, within 30 days)."""
    if not request.auth.is_admin_role:
        raise PermissionDenied(_("Only administrators can undo a merge."))
    merge = get_object_or_404(Merge, pk=merge_id)
    merge_undo(actor=request.auth, merge=merge)
    return merge


@router.get("/field-conflicts", response=list[ConflictOut])
@paginate(CursorPagination)
def conflict_list(request):
    return selectors.open_conflicts(user=request.auth)


@router.post(
    "/field-conflicts/{conflict_id}",
    response={200: ConflictOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def conflict_decide(request, conflict_id: RecordId, payload: ConflictDecisionIn):
    conflict = get_object_or_404(
        FieldConflict.objects.visible_to(request.auth, Action.CHANGE), pk=conflict_id
    )
    conflict_resolve(
        actor=request.auth, conflict=conflict, take_incoming=payload.take == "incoming"
    )
    return FieldConflict.objects.get(pk=conflict.pk)


@router.post("/imports", response={202: ImportOut, 403: ErrorOut, 422: ErrorOut})
def import_create(
    request,
    file: File[UploadedFile],
    source_name: Form[str] = "",
    cost: Form[Decimal] = Decimal(0),
    dry_run: Form[bool] = False,
    owner: Form[Literal["pool", "me"]] = "pool",
):
    """Upload a CSV/XLSX and run it in the background with the recognised columns;
    poll GET /imports/{id}."""
    try:
        batch = import_store_upload(
            actor=request.auth, upload=file, source_name=source_name, cost=cost
        )
    except FileProblem as exc:
        return Status(422, {"detail": str(exc), "errors": {"file": [str(exc)]}})
    mapping = guess_mapping(open_table(batch.file_path).header)
    if "name" not in mapping.values():
        message = _("The file has no name column (name / 姓名).")
        batch.status, batch.error = ImportStatus.FAILED, message
        batch.save(update_fields=["status", "error"])
        return Status(422, {"detail": message, "errors": {"file": [message]}})
    import_start(
        actor=request.auth,
        batch=batch,
        mapping=mapping,
        dry_run=dry_run,
        owner=request.auth if owner == "me" else None,
    )
    batch.refresh_from_db()
    return Status(202, batch)


@router.get("/imports/{batch_id}", response={200: ImportOut, 404: ErrorOut})
def import_detail(request, batch_id: RecordId):
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if not import_visible(request.auth, batch):
        raise Http404
    return batch
