"""Reads of contracts and receivables, always through visible_to(): the contract list,
one contract with its plan and collections, and the overdue receivables."""

import datetime

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet
from django.utils import timezone

from guanxi.sales.choices import ContractStatus, OpportunityState
from guanxi.sales.models import Contract, Instalment, Opportunity


def contract_list(*, user, status: str = "", party_id: int | None = None) -> QuerySet:
    qs = Contract.objects.visible_to(user).select_related("party", "owner")
    if status:
        qs = qs.filter(status=status)
    if party_id:
        qs = qs.filter(party_id=party_id)
    return qs.order_by("-created_at", "-id")


def contract_detail(*, user, contract_id: int) -> Contract | None:
    return (
        Contract.objects.visible_to(user)
        .select_related("party", "owner", "opportunity")
        .filter(pk=contract_id)
        .first()
    )


def won_without_contract(*, user, party=None, limit: int = 20) -> list[Opportunity]:
    """Won deals the user may work on that have no live contract yet."""
    from guanxi.core.visibility import Action

    live = (ContractStatus.DRAFT, ContractStatus.PENDING, ContractStatus.ACTIVE)
    qs = Opportunity.objects.visible_to(user, Action.CHANGE).filter(state=OpportunityState.WON)
    if party is not None:
        qs = qs.filter(party=party)
    return list(
        qs.exclude(contracts__status__in=live)
        .exclude(contracts__status=ContractStatus.COMPLETED)
        .select_related("party", "owner")
        .order_by("-closed_at", "-id")[:limit]
    )


def overdue(*, user, today: datetime.date | None = None) -> QuerySet:
    """Instalments of contracts in force that the user may see, past due and not fully
    paid, most overdue first; each with `outstanding_amount`."""
    today = today or timezone.localdate()
    return (
        Instalment.objects.filter(
            contract__in=Contract.objects.visible_to(user).filter(status=ContractStatus.ACTIVE),
            due_on__lt=today,
            paid__lt=F("amount"),
        )
        .annotate(
            outstanding_amount=ExpressionWrapper(
                F("amount") - F("paid"), output_field=DecimalField(max_digits=14, decimal_places=2)
            )
        )
        .select_related("contract__party", "contract__owner")
        .order_by("due_on", "id")
    )


def days_overdue(instalment: Instalment, today: datetime.date | None = None) -> int:
    return ((today or timezone.localdate()) - instalment.due_on).days
