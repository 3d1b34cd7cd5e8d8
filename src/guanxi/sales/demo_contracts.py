"""Contract demo data in Chinese: won deals of the Shanghai reps turned into contracts at
every step (draft, waiting for approval, in force with an overdue instalment, completed),
collections by several methods with one reversal, two won deals still waiting for their
contract, and this month's targets for the reps and their teams."""

import datetime
from decimal import Decimal

from django.utils import timezone

from guanxi.customers.models import Party
from guanxi.sales.models import ApprovalPolicy
from guanxi.sales.services.collections import collection_record, collection_reverse
from guanxi.sales.services.contracts import InstalmentSpec, contract_create, contract_submit
from guanxi.sales.services.opportunities import opportunity_close, opportunity_create
from guanxi.sales.services.targets import target_set

# title, amount, instalment shares, days ago signed, collected share, what happens
CONTRACTS = [
    ("社区体验店净水设备采购合同", "36000.00", (40, 30, 30), 75, "0.55", "active"),
    ("企业员工福利蛋白粉年度合同", "24000.00", (50, 50), 50, "1", "active"),
    ("灵芝孢子粉团购合同", "12800.00", (100,), 20, "0", "active"),
    ("连锁门店空气净化器项目合同", "88000.00", (30, 40, 30), 5, "0", "pending"),
    ("护肤套装会员礼品合同", "9600.00", (50, 50), 0, "0", "draft"),
]
WAITING = [("净水器以旧换新（待签合同）", "18600.00"), ("企业团购蛋白粉（待签合同）", "52000.00")]
METHODS = ["bank_transfer", "wechat_pay", "alipay", "cash"]


def _won(rep, party, title, amount, when):
    deal = opportunity_create(actor=rep, party=party, title=title, amount=Decimal(amount), now=when)
    return opportunity_close(actor=rep, opportunity=deal, won=True, now=when)


def _plan(amount: Decimal, shares, start: datetime.date) -> list[InstalmentSpec]:
    parts = [(amount * s / 100).quantize(Decimal("0.01")) for s in shares]
    parts[-1] += amount - sum(parts)
    return [
        InstalmentSpec(start + datetime.timedelta(days=30 * i), part, f"第{i + 1}期款")
        for i, part in enumerate(parts)
    ]


def load_contracts_demo(*, users: dict) -> dict:
    ApprovalPolicy.objects.update_or_create(
        kind="contract", defaults={"threshold": Decimal("50000"), "levels": 1}
    )
    now = timezone.now()
    today = timezone.localdate()
    made = 0
    # rep3's big contract waits for the administrator (no manager above him in the south):
    # the east manager's inbox keeps only what the sales browser test asks of it.
    for username in ("rep", "rep2", "rep3"):
        rep = users[username]
        mine = [c for c in CONTRACTS if (c[-1] == "pending") == (username == "rep3")]
        waiting = [] if username == "rep3" else WAITING
        parties = list(Party.objects.filter(owner=rep).order_by("-pk")[: len(mine) + len(waiting)])
        for party, (title, amount, shares, ago, share, fate) in zip(parties, mine, strict=False):
            signed = today - datetime.timedelta(days=ago)
            when = now - datetime.timedelta(days=ago + 2)
            deal = _won(rep, party, title, amount, when)
            contract = contract_create(
                actor=rep,
                opportunity=deal,
                signed_on=signed,
                starts_on=signed,
                ends_on=signed + datetime.timedelta(days=365),
                terms="货到验收合格后按期付款；逾期按日万分之五计收违约金。",
                instalments=_plan(Decimal(amount), shares, signed + datetime.timedelta(days=10)),
                now=when,
            )
            made += 1
            if fate == "draft":
                continue
            contract_submit(actor=rep, contract=contract, now=when)
            if fate == "active":
                _collect(rep, users["manager"], contract, Decimal(share), signed)
        for party, (title, amount) in zip(parties[len(mine) :], waiting, strict=False):
            _won(rep, party, title, amount, now - datetime.timedelta(days=1))
    _targets(users, today.replace(day=1))
    return {"contracts": made}


def _collect(rep, manager, contract, share: Decimal, signed: datetime.date) -> None:
    """Collect `share` of the contract in two payments; a mistaken extra one is reversed."""
    target = (contract.amount * share).quantize(Decimal("0.01"))
    if not target:
        return
    first = (target / 2).quantize(Decimal("0.01"))
    day = min(signed + datetime.timedelta(days=12), timezone.localdate())
    for n, amount in enumerate([first, target - first]):
        collection_record(
            actor=rep,
            contract=contract,
            amount=amount,
            collected_on=day,
            method=METHODS[n % len(METHODS)],
            reference=f"回单 {contract.number}-{n + 1}",
        )
    contract.refresh_from_db()
    if contract.outstanding >= Decimal(100):
        mistaken = collection_record(
            actor=rep,
            contract=contract,
            amount=Decimal(100),
            collected_on=day,
            method="cash",
            reference="重复录入",
        )
        collection_reverse(actor=manager, collection=mistaken, reason="重复录入，已核对银行流水")


def _targets(users: dict, month: datetime.date) -> None:
    manager = users["manager"]
    for username, revenue, collections, new in (
        ("rep", 120000, 60000, 6),
        ("rep2", 90000, 50000, 5),
    ):
        target_set(
            actor=manager,
            month=month,
            user=users[username],
            revenue=Decimal(revenue),
            collections=Decimal(collections),
            new_customers=new,
        )
    for unit in {users["rep"].org_unit, users["rep2"].org_unit, users["rep"].org_unit.parent}:
        target_set(
            actor=manager,
            month=month,
            org_unit=unit,
            revenue=Decimal(250000 if unit.parent == manager.org_unit else 120000),
            collections=Decimal(120000 if unit.parent == manager.org_unit else 60000),
            new_customers=12 if unit.parent == manager.org_unit else 6,
        )
