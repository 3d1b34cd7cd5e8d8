"""Chinese demo data: a company tree, one user per role, customers with history."""

import datetime

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
from guanxi.customers.sample.generator import TAGS, SampleGenerator
from guanxi.customers.services.contacts import ContactSpec

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
    return {"customers": made, "users": list(users)}
