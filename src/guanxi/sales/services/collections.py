"""Collections (回款) against a contract in force, reconciled with its plan at once; a
mistaken one is reversed with a reason (never deleted); overdue reminders to the rep.

Overpayment is refused: a collection may be at most what is still outstanding, so the
plan always explains every fen received (a customer's credit is not a receivable).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction, Role
from guanxi.core.visibility import Action, can
from guanxi.sales.choices import CollectionMethod, ContractStatus
from guanxi.sales.engine.receivables import money
from guanxi.sales.models import Collection, Contract, ContractAttachment, Instalment
from guanxi.sales.services.contracts import _locked, _require, _set_status, reconcile

REVERSERS = (Role.MANAGER, Role.ADMIN)


@transaction.atomic
def collection_record(
    *,
    actor,
    contract: Contract,
    amount: Decimal,
    collected_on: datetime.date,
    method: str,
    reference: str = "",
    now: datetime.datetime | None = None,
) -> Collection:
    """Record money received on a contract in force; the one that settles it in full
    completes the contract."""
    contract = _locked(contract, (ContractStatus.ACTIVE,))
    _require(actor, contract.party)
    errors = {}
    try:
        amount = Decimal(amount)
        if amount <= 0 or amount != money(amount):
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        errors["amount"] = _("Enter an amount above zero in yuan and fen, e.g. 3000.00.")
    else:
        if amount > contract.outstanding:
            errors["amount"] = _("Only ¥%(left)s is outstanding on this contract.") % {
                "left": contract.outstanding
            }
    if method not in CollectionMethod.values:
        errors["method"] = _("Choose how the money came in.")
    if not collected_on or collected_on > timezone.localdate():
        errors["collected_on"] = _("Enter the day the money came in (not in the future).")
    if errors:
        raise ValidationError(errors)
    collection = Collection.objects.create(
        contract=contract,
        collected_on=collected_on,
        amount=amount,
        method=method,
        reference=reference.strip()[:100],
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    total = reconcile(contract)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=collection,
        subject=contract.party,
        changes={
            "contract": contract.number,
            "amount": [None, str(amount)],
            "method": [None, method],
            "collected": [str(total - amount), str(total)],
        },
    )
    if total >= contract.amount:
        _set_status(contract, ContractStatus.COMPLETED, actor, closed_at=now or timezone.now())
    return collection


@transaction.atomic
def collection_reverse(*, actor, collection: Collection, reason: str, now=None) -> Collection:
    """Undo a mistaken collection (a manager's or an administrator's call, with a reason);
    a completed contract is in force again."""
    contract = _locked(collection.contract, (ContractStatus.ACTIVE, ContractStatus.COMPLETED))
    _require(actor, contract.party)
    if not (actor.is_superuser or actor.role in REVERSERS):
        raise PermissionDenied(_("Only a manager or an administrator reverses a collection."))
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if collection.reversed_at:
        raise ValidationError({"collection": _("This collection is reversed already.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the collection is reversed.")})
    collection.reversed_at, collection.reversed_by = now or timezone.now(), actor
    collection.reverse_reason = reason.strip()[:300]
    collection.save(update_fields=["reversed_at", "reversed_by", "reverse_reason"])
    total = reconcile(contract)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=collection,
        subject=contract.party,
        changes={
            "reversed": [None, collection.reverse_reason],
            "collected": [str(total + collection.amount), str(total)],
        },
    )
    if contract.status == ContractStatus.COMPLETED:
        _set_status(contract, ContractStatus.ACTIVE, actor, closed_at=None)
    return collection


# What may be attached: the signed scan and office documents, checked by their first bytes.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}


def attachment_max_bytes() -> int:
    return getattr(settings, "GUANXI_ATTACHMENT_MAX_MB", 10) * 1024 * 1024


@transaction.atomic
def attachment_add(*, actor, contract: Contract, upload: UploadedFile, now=None):
    """Keep a file with a contract (PDF, JPEG, PNG, DOCX, XLSX up to the size limit)."""
    import os

    contract = Contract.objects.select_related("party").get(pk=contract.pk)
    _require(actor, contract.party)
    name = os.path.basename(upload.name or "")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"file": _("Attach a PDF, JPEG, PNG, DOCX or XLSX file.")})
    if upload.size > attachment_max_bytes():
        raise ValidationError(
            {"file": _("A file may be at most %(mb)d MB.")
             % {"mb": attachment_max_bytes() // (1024 * 1024)}}
        )  # fmt: skip
    content_type, magics = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError({"file": _("The file's contents do not match its type.")})
    attachment = ContractAttachment(
        contract=contract,
        name=name,
        size=upload.size,
        content_type=content_type,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )
    attachment.file.save(f"{contract.pk}{ext}", upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=attachment,
        subject=contract.party,
        changes={"contract": contract.number, "file": [None, name], "size": upload.size},
    )
    return attachment


def may_read(user, contract: Contract) -> bool:
    return can(user, Action.VIEW, contract.party)


def remind_every_days() -> int:
    return getattr(settings, "GUANXI_RECEIVABLE_REMIND_DAYS", 7)


def receivable_reminders(*, now=None) -> int:
    """Email each overdue instalment's rep, at most once per instalment every
    GUANXI_RECEIVABLE_REMIND_DAYS days (default 7); returns how many were sent."""
    from guanxi.core.notify import EMAIL, notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    quiet = now - datetime.timedelta(days=remind_every_days())
    from django.db.models import F, Q

    due = (
        Instalment.objects.filter(
            contract__status=ContractStatus.ACTIVE, due_on__lt=today, paid__lt=F("amount")
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=quiet))
        .select_related("contract__owner", "contract__party")
        .order_by("due_on", "id")
    )
    sent = 0
    for instalment in due:
        contract = instalment.contract
        if not contract.owner.email:
            continue
        facts = {
            "number": contract.number,
            "party": contract.party.name,
            "n": instalment.position,
            "left": instalment.outstanding,
            "due": instalment.due_on.isoformat(),
            "days": (today - instalment.due_on).days,
        }
        notify(
            channel=EMAIL,
            recipient=contract.owner.email,
            subject=_("Overdue: contract %(number)s, instalment %(n)s") % facts,
            body=_(
                "%(party)s owes ¥%(left)s on contract %(number)s (instalment %(n)s, due "
                "%(due)s, %(days)s days overdue)."
            )
            % facts,
            purpose="receivable_reminder",
            party_id=contract.party_id,
            source_ref=f"receivable:{instalment.pk}:{today.isoformat()}",
        )
        Instalment.objects.filter(pk=instalment.pk).update(reminded_at=now)
        sent += 1
    return sent
