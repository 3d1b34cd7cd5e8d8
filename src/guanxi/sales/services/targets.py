"""Sales targets (业绩目标): a manager sets them for the reps and departments in their
part of the tree, an administrator for anyone; one row per rep or department and month."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.core.models import OrgUnit, User
from guanxi.core.visibility import org_units_in_scope, staff_in_scope
from guanxi.sales.engine.receivables import money
from guanxi.sales.models import SalesTarget

SETTERS = (Role.MANAGER, Role.ADMIN)


def may_set_targets(user) -> bool:
    return (
        user.is_active
        and user.kind == UserKind.STAFF
        and (user.is_superuser or user.role in SETTERS)
    )


def _require_scope(actor, user: User | None, org_unit: OrgUnit | None) -> None:
    if not may_set_targets(actor):
        raise PermissionDenied(_("Only managers and administrators set targets."))
    if actor.is_admin_role:
        return
    if user is not None and (
        user.pk == actor.pk or not staff_in_scope(actor).filter(pk=user.pk).exists()
    ):
        raise PermissionDenied(_("You set targets for the people of your own team only."))
    if org_unit is not None and not org_units_in_scope(actor).filter(pk=org_unit.pk).exists():
        raise PermissionDenied(_("You set targets for your own departments only."))


def _amount(value, field: str, errors: dict) -> Decimal:
    try:
        number = Decimal(value)
        if number < 0 or number != money(number) or number >= Decimal("1e12"):
            raise InvalidOperation
        return number
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("Enter an amount of zero or more in yuan, e.g. 200000.")
        return Decimal(0)


@transaction.atomic
def target_set(
    *,
    actor,
    month: datetime.date,
    user: User | None = None,
    org_unit: OrgUnit | None = None,
    revenue: Decimal = Decimal(0),
    collections: Decimal = Decimal(0),
    new_customers: int = 0,
) -> SalesTarget:
    """Set (or change) the month's target of one rep or one department."""
    if (user is None) == (org_unit is None):
        raise ValidationError({"user": _("Choose a rep or a department, not both.")})
    if user is not None and (user.kind != UserKind.STAFF or not user.is_active):
        raise ValidationError({"user": _("Choose an active member of staff.")})
    _require_scope(actor, user, org_unit)
    errors: dict[str, str] = {}
    values = {
        "revenue": _amount(revenue, "revenue", errors),
        "collections": _amount(collections, "collections", errors),
    }
    if not isinstance(new_customers, int) or not 0 <= new_customers <= 1_000_000:
        errors["new_customers"] = _("Enter a whole number of customers, zero or more.")
    if errors:
        raise ValidationError(errors)
    values["new_customers"] = new_customers
    month = month.replace(day=1)
    target = SalesTarget.objects.select_for_update(of=("self",)).filter(
        month=month, user=user, org_unit=org_unit
    ).order_by("pk").first() or SalesTarget(month=month, user=user, org_unit=org_unit)
    before = {k: str(getattr(target, k)) for k in values} if target.pk else {}
    for key, value in values.items():
        setattr(target, key, value)
    target.set_by, target.updated_at = actor, timezone.now()
    target.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:  # set by someone else at the same instant
        raise ValidationError({"month": _("This target was just set; try again.")}) from exc
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=target,
        changes={k: [before.get(k), str(v)] for k, v in values.items()},
    )
    return target


TARGET_COLUMNS = ["month", "rep", "department", "revenue", "collections", "new_customers"]
MAX_TARGET_ROWS = 2000


def _decode_csv(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves GB18030 by default
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("Save the file as CSV UTF-8 or GB18030.")})


@transaction.atomic
def targets_import(*, actor, raw: bytes) -> int:
    """Set many targets from a CSV (columns: month YYYY-MM, rep = username, department =
    department code, revenue, collections, new_customers; rep or department per line).
    All lines or none: the errors name their line."""
    import csv
    import io

    if not may_set_targets(actor):
        raise PermissionDenied(_("Only managers and administrators set targets."))
    if len(raw) > 1024 * 1024:
        raise ValidationError({"file": _("A target file may be at most 1 MB.")})
    rows = list(csv.DictReader(io.StringIO(_decode_csv(raw))))
    if not rows or set(TARGET_COLUMNS) - set(rows[0]):
        raise ValidationError(
            {"file": _("The columns are: %(columns)s.") % {"columns": ",".join(TARGET_COLUMNS)}}
        )
    if len(rows) > MAX_TARGET_ROWS:
        raise ValidationError({"file": _("At most %(n)d lines.") % {"n": MAX_TARGET_ROWS}})
    problems = []
    for number, row in enumerate(rows, start=2):
        try:
            with transaction.atomic():
                _import_row(actor, row)
        except (ValidationError, PermissionDenied, ValueError) as exc:
            text = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            problems.append(_("Line %(n)d: %(problem)s") % {"n": number, "problem": text})
    if problems:
        raise ValidationError({"file": problems[:20]})
    return len(rows)


def _import_row(actor, row: dict) -> None:
    rep, unit = (row.get("rep") or "").strip(), (row.get("department") or "").strip()
    user = User.objects.filter(username=rep).first() if rep else None
    org_unit = OrgUnit.objects.filter(code=unit).first() if unit else None
    if rep and user is None:
        raise ValidationError(_("No user %(name)s.") % {"name": rep})
    if unit and org_unit is None:
        raise ValidationError(_("No department %(code)s.") % {"code": unit})
    try:
        month = datetime.date.fromisoformat(f"{(row.get('month') or '').strip()}-01")
        customers = int((row.get("new_customers") or "0").strip() or 0)
    except ValueError:
        raise ValidationError(
            _("Write the month as YYYY-MM and customers as a whole number.")
        ) from None
    target_set(
        actor=actor,
        month=month,
        user=user,
        org_unit=org_unit,
        revenue=(row.get("revenue") or "0").strip() or "0",
        collections=(row.get("collections") or "0").strip() or "0",
        new_customers=customers,
    )
