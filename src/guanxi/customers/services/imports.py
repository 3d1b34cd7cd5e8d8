"""Importing customer files (CLI and web wizard share this)."""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.visibility import Action, role_allows
from guanxi.customers.choices import ImportStatus
from guanxi.customers.imports.pipeline import ImportRun, Summary
from guanxi.customers.imports.reader import FileProblem, guess_mapping, open_table
from guanxi.customers.models import ImportBatch


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_require(actor) -> None:
    if actor is not None and not role_allows(actor, Action.IMPORT):
        raise PermissionDenied(_("You do not have permission to import customers."))


def import_store_upload(*, actor, upload, source_name: str = "", cost=0) -> ImportBatch:
    """Keep an uploaded file under the data directory and open a batch for it.

    The file is read once here, so that a file that cannot be imported at all (empty,
    wrong encoding, no known column) is refused at upload; it is then deleted again.
    """
    import_require(actor)
    name = Path(upload.name or "upload").name[:200]
    target = imports_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        table = open_table(target)
        if not guess_mapping(table.header) and not any(table.header):
            raise FileProblem(_("The file has no header row."))
    except FileProblem:
        target.unlink(missing_ok=True)
        raise
    return ImportBatch.objects.create(
        file_format=table.format,
        encoding=table.encoding,
        source_name=(source_name or Path(name).stem)[:200],
        cost=Decimal(cost or 0),
        file_name=name,
        file_path=str(target),
        created_by=actor,
    )


def import_report_paths(batch: ImportBatch) -> tuple[Path, Path]:
    folder = imports_dir() / str(batch.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "outcome.csv", folder / "errors.csv"


def import_run(
    *,
    actor,
    batch: ImportBatch,
    outcome_file=None,
    errors_file=None,
    progress=None,
    match: bool = True,
) -> Summary:
    """Run the batch to the end; FileProblem marks it failed and is raised again."""
    import_require(actor)
    batch.status = ImportStatus.RUNNING
    batch.save(update_fields=["status"])

    def tick(rows: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_done=rows)
        if progress:
            progress(rows)

    runner = ImportRun(
        batch,
        actor=actor,
        outcome_file=outcome_file,
        errors_file=errors_file,
        progress=tick,
        match=match,
    )
    try:
        summary = runner.run()
    except FileProblem as exc:
        batch.status, batch.error = ImportStatus.FAILED, str(exc)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error", "finished_at"])
        raise
    batch.status = ImportStatus.DONE
    batch.counts = summary.as_dict()
    batch.rows_done = summary.rows
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "counts", "rows_done", "finished_at"])
    return summary


def import_file(
    *,
    actor,
    path: str | Path,
    source_name: str = "",
    cost=0,
    dry_run: bool = False,
    owner=None,
    mapping: dict | None = None,
    outcome_file=None,
    errors_file=None,
    progress=None,
    match: bool = True,
) -> tuple[ImportBatch, Summary]:
    """Import a file on disk in this process (the CLI)."""
    import_require(actor)
    path = Path(path)
    batch = ImportBatch.objects.create(
        source_name=(source_name or path.stem)[:200],
        cost=Decimal(cost or 0),
        file_name=path.name[:255],
        file_path=str(path.resolve()),
        dry_run=dry_run,
        owner=owner,
        mapping=mapping or {},
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    summary = import_run(
        actor=actor,
        batch=batch,
        outcome_file=outcome_file,
        errors_file=errors_file,
        progress=progress,
        match=match,
    )
    return batch, summary


def import_visible(actor, batch: ImportBatch) -> bool:
    """The person who ran an import sees it, and so do administrators."""
    return batch.created_by_id == actor.pk or getattr(actor, "is_admin_role", False)


def import_start(*, actor, batch: ImportBatch, mapping: dict[int, str], dry_run: bool, owner):
    """Queue an uploaded batch with its column mapping; returns the Job to watch."""
    from guanxi.core.services.jobs import job_start
    from guanxi.customers.tasks import import_task

    import_require(actor)
    if batch.status != ImportStatus.UPLOADED:
        raise ValidationError(_("This import has started already."))
    batch.mapping = {str(k): v for k, v in mapping.items()}
    batch.dry_run = dry_run
    batch.owner = owner
    batch.status = ImportStatus.QUEUED
    job = job_start(
        kind="customers.import",
        created_by=actor,
        task=import_task,
        title=_("Import %(file)s") % {"file": batch.file_name},
        batch_id=batch.pk,
        actor_id=actor.pk,
    )
    batch.job = job
    batch.save(update_fields=["mapping", "dry_run", "owner", "status", "job"])
    return job
