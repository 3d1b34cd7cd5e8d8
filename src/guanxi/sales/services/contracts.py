"""Contracts (合同): drawn up from a won deal, given a receivables plan (回款计划) that adds
up to the amount, submitted (above the policy's threshold it waits for the approval
chain, locked meanwhile), then in force until fully collected (completed) or terminated.

A contract's source is a won deal today; a quote is the next source: `contract_create`
takes the party, owner and default amount from whichever source it is given (`_Source`).
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action, can
from guanxi.sales.choices import ApprovalKind, ContractStatus, OpportunityState
from guanxi.sales.engine.receivables import Due, allocate, money, plan_problems
from guanxi.sales.models import Collection, Contract, Instalment, Opportunity

SUBJECT = "sales.contract"
EDITABLE = (ContractStatus.DRAFT,)
PLAN_EDITABLE = (ContractStatus.DRAFT, ContractStatus.ACTIVE)
LIVE = (ContractStatus.DRAFT, ContractStatus.PENDING, ContractStatus.ACTIVE)


@dataclass(frozen=True)
class InstalmentSpec:
    due_on: datetime.date
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class _Source:
    party: object
    owner: object
    title: str
    amount: Decimal
    opportunity: Opportunity | None = None


def _require(actor, party) -> None:
    if not can(actor, Action.CHANGE, party):
        raise PermissionDenied(_("You may not work on contracts of this customer."))


def _from_opportunity(opportunity: Opportunity) -> _Source:
    """A won deal: its customer and rep, its amount after the discount."""
    if opportunity.state != OpportunityState.WON:
        raise ValidationError({"opportunity": _("Only a won deal becomes a contract.")})
    if Contract.objects.filter(opportunity=opportunity, status__in=LIVE).exists():
        raise ValidationError({"opportunity": _("This deal has a contract already.")})
    net = opportunity.amount * (100 - opportunity.discount_pct) / 100
    return _Source(
        party=opportunity.party,
        owner=opportunity.owner,
        title=opportunity.title,
        amount=money(net),
        opportunity=opportunity,
    )


def _check_terms(*, amount, signed_on, starts_on, ends_on, title: str) -> Decimal:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the contract a title.")
    try:
        amount = Decimal(amount)
        if amount <= 0 or amount != money(amount) or amount >= Decimal("1e12"):
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        errors["amount"] = _("Enter an amount above zero in yuan and fen, e.g. 12800.00.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The contract cannot end before it starts.")
    if signed_on and signed_on > timezone.localdate():
        errors["signed_on"] = _("The signing date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return amount


@transaction.atomic
def contract_create(
    *,
    actor,
    opportunity: Opportunity,
    title: str = "",
    amount: Decimal | None = None,
    signed_on: datetime.date | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    terms: str = "",
    instalments: list[InstalmentSpec] | None = None,
    now: datetime.datetime | None = None,
) -> Contract:
    """Draw up a draft contract from a won deal (amount: the deal's, after its discount,
    unless given), with its receivables plan when one is given."""
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("party", "owner")
        .get(pk=opportunity.pk)
    )
    _require(actor, opportunity.party)
    source = _from_opportunity(opportunity)
    title = (title or source.title).strip()[:200]
    amount = source.amount if amount is None else amount
    amount = _check_terms(
        amount=amount, signed_on=signed_on, starts_on=starts_on, ends_on=ends_on, title=title
    )
    now = now or timezone.now()
    contract = Contract(
        number=f"tmp-{uuid.uuid4().hex[:20]}",
        party=source.party,
        owner=source.owner,
        opportunity=source.opportunity,
        title=title,
        amount=amount,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        terms=terms.strip(),
        created_by=actor,
        created_at=now,
    )
    contract.full_clean(exclude=["number"])
    contract.save()
    # The primary key makes the number unique however many are drawn up at once.
    contract.number = f"HT{timezone.localtime(now):%Y%m}{contract.pk:06d}"
    contract.save(update_fields=["number"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=contract,
        subject=contract.party,
        changes={
            "contract": [None, contract.number],
            "amount": [None, str(contract.amount)],
            "opportunity": [None, opportunity.pk],
        },
    )
    if instalments:
        plan_set(actor=actor, contract=contract, instalments=instalments)
    return contract


def _locked(contract: Contract, statuses) -> Contract:
    from guanxi.sales.services.approvals import require_unlocked

    contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("party").get(pk=contract.pk)
    )
    require_unlocked(SUBJECT, contract.pk)
    if contract.status not in statuses:
        raise ValidationError(
            {"status": _("Not possible while the contract is %(status)s.")
             % {"status": contract.get_status_display()}}
        )  # fmt: skip
    return contract


@transaction.atomic
def contract_update(
    *,
    actor,
    contract: Contract,
    title: str,
    amount: Decimal,
    signed_on: datetime.date | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    terms: str = "",
) -> Contract:
    """Change a draft's terms; a plan that no longer adds up must be set again."""
    contract = _locked(contract, EDITABLE)
    _require(actor, contract.party)
    amount = _check_terms(
        amount=amount, signed_on=signed_on, starts_on=starts_on, ends_on=ends_on, title=title
    )
    fields = ["title", "amount", "signed_on", "starts_on", "ends_on", "terms"]
    before = {f: str(getattr(contract, f) or "") for f in fields}
    contract.title, contract.amount, contract.terms = title.strip()[:200], amount, terms.strip()
    contract.signed_on, contract.starts_on, contract.ends_on = signed_on, starts_on, ends_on
    contract.full_clean()
    contract.save(update_fields=fields)
    after = {f: str(getattr(contract, f) or "") for f in fields}
    changes = {f: [before[f], after[f]] for f in fields if before[f] != after[f]}
    if changes:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=contract, subject=contract.party,
            changes=changes,
        )  # fmt: skip
    return contract


def _plan_errors(contract: Contract, specs: list[InstalmentSpec]) -> None:
    amounts = []
    for spec in specs:
        try:
            amounts.append(Decimal(spec.amount))
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationError({"instalments": _("Every instalment needs an amount.")}) from None
    wording = {
        "empty": _("A plan has at least one instalment."),
        "not_positive": _("Every instalment is above zero."),
        "fen": _("Amounts are in yuan and fen (two decimals)."),
        "sum": _("The instalments add up to ¥%(sum)s, the contract to ¥%(amount)s.")
        % {"sum": money(sum(amounts, Decimal(0))), "amount": contract.amount},
    }
    problems = plan_problems(amounts, contract.amount)
    if any(not spec.due_on for spec in specs):
        problems.insert(0, "due")
        wording["due"] = _("Every instalment needs a due date.")
    if len(specs) > 120:
        problems.insert(0, "many")
        wording["many"] = _("A plan has at most 120 instalments.")
    if problems:
        raise ValidationError({"instalments": [wording[p] for p in problems]})


@transaction.atomic
def plan_set(*, actor, contract: Contract, instalments: list[InstalmentSpec]) -> Contract:
    """Replace the receivables plan; it must add up to the contract amount. Money already
    collected is reconciled against the new plan at once."""
    contract = _locked(contract, PLAN_EDITABLE)
    _require(actor, contract.party)
    _plan_errors(contract, instalments)
    before = [[str(i.due_on), str(i.amount)] for i in contract.instalments.order_by("position")]
    contract.instalments.all().delete()
    ordered = sorted(instalments, key=lambda s: s.due_on)
    Instalment.objects.bulk_create(
        Instalment(
            contract=contract,
            position=n,
            due_on=spec.due_on,
            amount=money(spec.amount),
            note=spec.note.strip()[:200],
        )
        for n, spec in enumerate(ordered, start=1)
    )
    reconcile(contract)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=contract,
        subject=contract.party,
        changes={"plan": [before, [[str(s.due_on), str(money(s.amount))] for s in ordered]]},
    )
    return contract


def reconcile(contract: Contract) -> Decimal:
    """Pour the contract's live collections into its instalments, oldest due first;
    returns the total collected. Called inside the caller's transaction."""
    from django.db.models import Sum

    total = Collection.objects.filter(contract=contract, reversed_at__isnull=True).aggregate(
        s=Sum("amount")
    )["s"] or Decimal(0)
    rows = list(contract.instalments.all())
    if rows:
        paid = allocate([Due(i.position, i.due_on, i.amount) for i in rows], total)
        changed = [i for i in rows if i.paid != paid[i.position]]
        for row in changed:
            row.paid = paid[row.position]
        Instalment.objects.bulk_update(changed, ["paid"])
    Contract.objects.filter(pk=contract.pk).update(collected=total)
    contract.collected = total
    return total


@transaction.atomic
def contract_submit(*, actor, contract: Contract, now=None):
    """Ask for the contract to come into force: up to the policy's threshold at once,
    above it after the approval chain (the contract is locked meanwhile). Returns the
    contract, or the approval request."""
    from guanxi.sales.services.approvals import approval_policy, approval_request

    contract = _locked(contract, EDITABLE)
    _require(actor, contract.party)
    if not contract.signed_on:
        raise ValidationError({"signed_on": _("Enter the date the customer signed.")})
    rows = list(contract.instalments.all())
    _plan_errors(contract, [InstalmentSpec(i.due_on, i.amount) for i in rows])
    if contract.amount <= approval_policy(ApprovalKind.CONTRACT).threshold:
        return _activate(contract, actor, now)
    request = approval_request(
        actor=actor,
        kind=ApprovalKind.CONTRACT,
        subject_type=SUBJECT,
        subject_id=contract.pk,
        summary=_("Contract %(number)s with %(party)s: ¥%(amount)s")
        % {"number": contract.number, "party": contract.party.name, "amount": contract.amount},
        payload={"amount": str(contract.amount)},
        now=now,
    )
    _set_status(contract, ContractStatus.PENDING, actor)
    return request


def _set_status(contract: Contract, status: str, actor, **extra) -> None:
    before = contract.status
    contract.status = status
    for field, value in extra.items():
        setattr(contract, field, value)
    contract.save(update_fields=["status", *extra])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=contract,
        subject=contract.party,
        changes={"status": [before, status], **{k: str(v) for k, v in extra.items()}},
    )


def _activate(contract: Contract, actor, now=None) -> Contract:
    _set_status(contract, ContractStatus.ACTIVE, actor, activated_at=now or timezone.now())
    return contract


def _contract_approved(request) -> None:
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("party")
        .get(pk=request.subject_id)
    )
    _activate(contract, None, request.decided_at)


def _contract_rejected(request) -> None:
    """Back to draft: the rep can change it and submit it again."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("party")
        .get(pk=request.subject_id)
    )
    _set_status(contract, ContractStatus.DRAFT, None)


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, reason: str, now=None) -> Contract:
    """End a draft or a contract in force early (say why); what was collected stays."""
    contract = _locked(contract, (ContractStatus.DRAFT, ContractStatus.ACTIVE))
    _require(actor, contract.party)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract ends.")})
    _set_status(
        contract,
        ContractStatus.TERMINATED,
        actor,
        end_reason=reason.strip()[:300],
        closed_at=now or timezone.now(),
    )
    return contract


def _register() -> None:
    from guanxi.sales.services.approvals import register_handler

    register_handler(
        ApprovalKind.CONTRACT, approved=_contract_approved, rejected=_contract_rejected
    )


_register()
