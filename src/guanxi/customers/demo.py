"""Chinese demo data: a company tree, one user per role, customers with history."""

import csv
import datetime
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guanxi.core.choices import Role
from guanxi.core.models import User
from guanxi.core.services.org import org_unit_create, user_create
from guanxi.customers import services
from guanxi.customers.choices import (
    Channel,
    ConsentMethod,
    ConsentStatus,
    ContactKind,
    LifecycleStage,
    Outcome,
    PartyRoleKind,
    Source,
)
from guanxi.customers.duplicates import DuplicatePartyError
from guanxi.customers.matching.keys import name_syllables, traditional
from guanxi.customers.models import Party
from guanxi.customers.sample.generator import TAGS, SampleGenerator
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.dedup import dedup_scan
from guanxi.customers.services.imports import import_open_file, import_run_reported

DEMO_PASSWORD = "guanxi-demo-2026"  # noqa: S105 (documented demo logins, trial only)
DEMO_USERS = [
    # username, display name, role, org unit code
    ("admin", "系统管理员", Role.ADMIN, "hq"),
    ("manager", "王经理", Role.MANAGER, "east"),
    ("rep", "李销售", Role.SALES_REP, "pudong"),
    ("rep2", "张销售", Role.SALES_REP, "puxi"),
    ("rep3", "陈销售", Role.SALES_REP, "tianhe"),
    ("agent", "赵客服", Role.SERVICE_AGENT, "hq"),
    ("marketer", "孙市场", Role.MARKETER, "hq"),
    ("analyst", "周分析", Role.ANALYST, "hq"),
]
ORG_TREE = [
    # code, name, parent code
    ("hq", "关系健康科技（总公司）", None),
    ("east", "华东大区", "hq"),
    ("shanghai", "上海分公司", "east"),
    ("pudong", "浦东一组", "shanghai"),
    ("puxi", "浦西二组", "shanghai"),
    ("south", "华南大区", "hq"),
    ("guangzhou", "广州分公司", "south"),
    ("tianhe", "天河组", "guangzhou"),
]


def demo_exists() -> bool:
    return User.objects.filter(username="admin").exists()


@transaction.atomic
def load_demo(*, customers: int = 240, seed: int = 2026) -> dict:
    units = {}
    for code, name, parent in ORG_TREE:
        units[code] = org_unit_create(actor=None, name=name, code=code, parent=units.get(parent))
    users = {}
    for username, display, role, unit in DEMO_USERS:
        users[username] = user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            org_unit=units[unit],
            display_name=display,
            is_superuser=(role == Role.ADMIN),
            email=f"{username}@guanxi.example.cn",
        )
    reps = [users["rep"], users["rep2"], users["rep3"], users["manager"]]
    gen = SampleGenerator(seed)
    rng = gen.rng
    now = timezone.now()
    made = 0
    for i in range(customers):
        owner = reps[i % len(reps)]
        sample = gen.party(index=i)
        contacts = [
            ContactSpec(kind=ContactKind.MOBILE, value=sample.mobile, is_primary=True),
            ContactSpec(
                kind=ContactKind.ADDRESS,
                value=sample.street,
                is_primary=True,
                province=sample.province,
                city=sample.city,
                district=sample.district,
            ),
        ]
        if sample.email:
            contacts.append(ContactSpec(kind=ContactKind.EMAIL, value=sample.email))
        try:
            party = services.party_create(
                actor=owner,
                name=sample.name,
                contact_points=contacts,
                kind="organisation" if sample.is_org else "person",
                gender=sample.gender,
                birthday=sample.birthday,
                source=rng.choice(Source.values),
                acquisition_cost=rng.choice([0, 5, 12, 30, 80]),
                lifecycle_stage=rng.choice(LifecycleStage.values),
                roles=[
                    PartyRoleKind.BUSINESS_CUSTOMER if sample.is_org else PartyRoleKind.CONSUMER
                ],
                tags=rng.sample(TAGS, k=rng.randint(0, 2)),
            )
        except DuplicatePartyError:
            continue
        made += 1
        for channel in rng.sample(Channel.values, k=rng.randint(0, 3)):
            services.consent_record(
                actor=owner,
                party=party,
                channel=channel,
                status=ConsentStatus.GRANTED,
                method=rng.choice(
                    [
                        ConsentMethod.WEB_FORM,
                        ConsentMethod.PAPER_FORM,
                        ConsentMethod.PHONE_RECORDING,
                    ]
                ),
                recorded_at=now - datetime.timedelta(days=rng.randint(30, 400)),
            )
        count = rng.randint(1, 6)
        for n in range(count):
            kind, subject, body = gen.interaction()
            when = now - datetime.timedelta(days=rng.randint(21, 300), hours=rng.randint(0, 8))
            follow_up = None
            if n == count - 1 and rng.random() < 0.5:
                follow_up = timezone.localdate() + datetime.timedelta(days=rng.randint(-5, 6))
                when = now - datetime.timedelta(days=rng.randint(7, 20))
            services.interaction_log(
                actor=owner,
                party=party,
                kind=kind,
                subject=subject,
                body=body,
                outcome=rng.choice(Outcome.values),
                occurred_at=when,
                follow_up_on=follow_up,
            )
    # Two shares so the visibility rules show something in the demo.
    first_of_rep2 = users["rep2"].owned_parties.order_by("pk").first()
    if first_of_rep2:
        services.party_share(actor=users["rep2"], party=first_of_rep2, user=users["rep"])
    imported = _demo_import(users, seed=seed)
    dedup_scan()
    from guanxi.network.demo import load_network_demo

    network = load_network_demo(admin=users["admin"], password=DEMO_PASSWORD, seed=seed)
    from guanxi.commerce.demo import load_commerce_demo

    commerce = load_commerce_demo(users=users, password=DEMO_PASSWORD, seed=seed)
    from guanxi.service.demo import demo_load as load_service_demo

    load_service_demo()
    from guanxi.sales.demo import load_sales_demo

    load_sales_demo(users=users, seed=seed)
    return {
        "customers": made,
        "users": list(users),
        "import": imported,
        "network": network,
        "commerce": commerce,
    }


def _demo_import(users: dict, *, seed: int) -> dict:
    """A purchased list (GB18030 CSV) that overlaps the database, imported by the marketer.

    It leaves the Imports page, the review queue and the field conflicts with something
    to look at, and the file itself under GUANXI_DATA_DIR/demo/ to try the wizard with.
    """
    rng = random.Random(seed)
    existing = list(
        Party.objects.filter(kind="person").prefetch_related("contact_points").order_by("pk")[:40]
    )
    rows = []
    for i, party in enumerate(existing[:24]):
        mobile = next((c.value for c in party.contact_points.all() if c.kind == "mobile"), "")
        address = next((c for c in party.contact_points.all() if c.kind == "address"), None)
        variant = i % 4
        name = party.name
        if variant == 1:
            name = traditional(name)
        elif variant == 2:
            name = " ".join(w.capitalize() for w in name_syllables(name))
        phone = mobile[3:] if variant != 3 else f"+86 {mobile[3:6]} {mobile[6:10]} {mobile[10:]}"
        birthday = ""
        if party.birthday and i % 6 == 5:  # the list says otherwise: a field conflict
            birthday = (party.birthday + datetime.timedelta(days=1)).isoformat()
        rows.append(
            [
                f"DM{i + 1:04d}",
                name,
                phone,
                "",
                "",
                address.province if address else "",
                address.city if address else "",
                address.district if address else "",
                address.value if address else "",
                birthday,
                "",
                "高意向" if i % 5 == 0 else "",
            ]
        )
    # A relative at the same address, one character off: for a person to decide.
    for i, party in enumerate(existing[24:28]):
        address = next((c for c in party.contact_points.all() if c.kind == "address"), None)
        if not address or len(party.name) < 3:
            continue
        name = party.name[:-1] + rng.choice("明华丽军")
        rows.append(
            [
                f"DM{100 + i}",
                name,
                "",
                "",
                "",
                address.province,
                address.city,
                address.district,
                address.value,
                "",
                "",
                "",
            ]
        )
    gen = SampleGenerator(seed + 1)
    for i in range(30):
        sample = gen.party()
        rows.append(
            [
                f"DM{200 + i}",
                sample.name,
                sample.mobile,
                "",
                sample.email,
                sample.province,
                sample.city,
                sample.district,
                sample.street,
                sample.birthday.isoformat() if sample.birthday else "",
                {"female": "女", "male": "男"}.get(sample.gender, ""),
                "",
            ]
        )
    rows.append(["DM0900", "", "13800000000", "", "", "", "", "", "", "", "", ""])
    rows.append(["DM0901", "钱多多", "12345", "", "qian@", "", "", "", "", "1990-02-30", "", ""])
    rows.append(["DM0001", "重复编号", "13912345678", "", "", "", "", "", "", "", "", ""])
    folder = Path(settings.DATA_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2026春季展会名单.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "客户编号",
                "姓名",
                "手机",
                "电话",
                "邮箱",
                "省份",
                "城市",
                "区县",
                "详细地址",
                "生日",
                "性别",
                "标签",
            ]
        )
        writer.writerows(rows)
    batch = import_open_file(
        actor=users["marketer"], path=path, source_name="2026春季展会名单", cost="8.50"
    )
    summary = import_run_reported(actor=users["marketer"], batch=batch)
    return summary.as_dict()
