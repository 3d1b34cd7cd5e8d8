"""Shared set-up of the contract tests: a won deal and a contract in force with a plan."""

import datetime
from decimal import Decimal

from django.utils import timezone

from guanxi.sales.models import ApprovalPolicy
from guanxi.sales.services.contracts import InstalmentSpec, contract_create, contract_submit
from guanxi.sales.services.opportunities import opportunity_close, opportunity_create
from tests.factories import PartyFactory

TODAY = timezone.localdate()


def won_deal(rep, *, amount="30000.00", party=None, now=None):
    deal = opportunity_create(
        actor=rep,
        party=party or PartyFactory(owner=rep),
        title="企业团购净水器",
        amount=Decimal(amount),
        now=now,
    )
    return opportunity_close(actor=rep, opportunity=deal, won=True, now=now)


def plan(*amounts, start=None, step=30) -> list[InstalmentSpec]:
    start = start or TODAY - datetime.timedelta(days=60)
    return [
        InstalmentSpec(start + datetime.timedelta(days=step * i), Decimal(a), f"第{i + 1}期")
        for i, a in enumerate(amounts)
    ]


def active_contract(rep, *amounts, threshold="1000000", **kwargs):
    """A contract in force below the approval threshold, with the given plan."""
    ApprovalPolicy.objects.update_or_create(kind="contract", defaults={"threshold": threshold})
    amounts = amounts or ("10000.00", "10000.00", "10000.00")
    total = sum((Decimal(a) for a in amounts), Decimal(0))
    contract = contract_create(
        actor=rep,
        opportunity=won_deal(rep, amount=str(total), **kwargs),
        signed_on=TODAY - datetime.timedelta(days=61),
        instalments=plan(*amounts),
    )
    return contract_submit(actor=rep, contract=contract)
