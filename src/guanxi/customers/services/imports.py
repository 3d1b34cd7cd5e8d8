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
from guanxi.customers.imports.reader import FileProblem, open_table
from guanxi.customers.models import ImportBatch


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


MAX_COST = Decimal("9999999999.99")


def import_cost(value) -> Decimal:
    """The acquisition cost per new customer, checked: 0 to 9,999,999,999.99 CNY."""
    try:
        cost = Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError) as exc:
        raise ValidationError({"cost": [_("Enter an amount in CNY.")]}) from exc
    if not Decimal(0) <= cost <= MAX_COST:
        raise ValidationError({"cost": [_("The cost must be between 0 and 9,999,999,999.99.")]})
    return cost


def import_require(actor) -> None:
    if actor is not None and not role_allows(actor, Action.IMPORT):
        raise PermissionDenied(_("You do not have permission to import customers."))


def import_store_upload(*, actor, upload, source_name: str = "", cost=0) -> ImportBatch:
    """Keep an uploaded file under the data directory and open a batch for it.

    The file is read once here, so that a file that cannot be read at all (empty, not
    text, wrong encoding) is refused at upload and deleted again. A header without known
    columns is fine here: the wizard lets the user map them.
    """
    import_require(actor)
    name = Path(upload.name or "upload").name[:200]
    target = imports_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        table = open_table(target)
    except FileProblem:
        target.unlink(missing_ok=True)
        raise
    return _new_batch(
        actor=actor, path=target, file_name=name, source_name=source_name, cost=cost, table=table
    )


def _new_batch(*, actor, path: Path, file_name: str, source_name, cost, table=None, **extra):
    return ImportBatch.objects.create(
        source_name=(source_name or Path(file_name).stem)[:200],
        cost=import_cost(cost),
        file_name=file_name[:255],
        file_path=str(path),
        file_format=table.format if table else "",
        encoding=table.encoding if table else "",
        created_by=actor if getattr(actor, "pk", None) else None,
        **extra,
    )


def import_open_file(*, actor, path: str | Path, source_name: str = "", cost=0, **extra):
    """A batch for a file already on disk (the CLI, the demo); nothing is read yet."""
    import_require(actor)
    path = Path(path).resolve()
    return _new_batch(
        actor=actor, path=path, file_name=path.name, source_name=source_name, cost=cost, **extra
    )


def import_report_paths(batch: ImportBatch) -> tuple[Path, Path]:
    folder = imports_dir() / str(batch.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "outcome.csv", folder / "errors.csv"


def import_run_reported(*, actor, batch: ImportBatch) -> Summary:
    """Run the batch, keeping its outcome and error reports for download (web, demo)."""
    outcome_path, errors_path = import_report_paths(batch)
    with (
        outcome_path.open("w", encoding="utf-8-sig", newline="") as outcome,
        errors_path.open("w", encoding="utf-8-sig", newline="") as errors,
    ):
        return import_run(actor=actor, batch=batch, outcome_file=outcome, errors_file=errors)


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
    except BaseException as exc:  # a user's file problem, or a crash or kill: say so
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            error=str(exc)[:2000] or type(exc).__name__,
            finished_at=timezone.now(),
        )
        batch.status = ImportStatus.FAILED
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
    batch = import_open_file(
        actor=actor,
        path=path,
        source_name=source_name,
        cost=cost,
        dry_run=dry_run,
        owner=owner,
        mapping=mapping or {},
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
    # Claim the batch in one statement, so a double click cannot queue it twice.
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.QUEUED,
        mapping={str(k): v for k, v in mapping.items()},
        dry_run=dry_run,
        owner=owner,
    )
    if not claimed:
        raise ValidationError(_("This import has started already."))
    batch.refresh_from_db()
    job = job_start(
        kind="customers.import",
        created_by=actor,
        task=import_task,
        title=_("Import %(file)s") % {"file": batch.file_name},
        batch_id=batch.pk,
        actor_id=actor.pk,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
    return job
