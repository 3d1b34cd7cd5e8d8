"""Demo network: 300 distributors in five teams with three months of orders, two
committed periods (one with a return that arrived after close), a preview of the
current month, and a distributor login ("ibo") for the back office."""

import contextlib
import csv
import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from guanxi.core.choices import UserKind
from guanxi.core.services.org import user_create
from guanxi.customers.choices import ContactKind
from guanxi.customers.duplicates import DuplicatePartyError
from guanxi.customers.sample.generator import SampleGenerator
from guanxi.customers.services.contacts import ContactSpec, contact_point_add
from guanxi.network.health import report_refresh
from guanxi.network.models import ATTESTATIONS, Distributor
from guanxi.network.periods import period_of
from guanxi.network.services.distributors import distributor_update
from guanxi.network.services.genealogy import team_stats_refresh
from guanxi.network.services.ledger import volume_post
from guanxi.network.services.loading import network_import
from guanxi.network.services.plans import plan_save
from guanxi.network.services.runs import commission_commit, commission_run

PLAN_FILE = settings.BASE_DIR / "network" / "plans" / "standard.toml"
PROVINCES = ["上海", "江苏", "浙江", "广东", "北京", "四川"]
MEMBERS = 300


def _months(today: datetime.date) -> list[datetime.date]:
    """First days of the two months before this one, and of this one."""
    first = today.replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    before = (previous - datetime.timedelta(days=1)).replace(day=1)
    return [before, previous, first]


def load_network_demo(*, admin, password: str, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    gen = SampleGenerator(seed + 6)
    folder = settings.DATA_DIR / "demo" / "network"
    folder.mkdir(parents=True, exist_ok=True)
    today = timezone.localdate()
    months = _months(today)
    members = []
    for i in range(MEMBERS):
        if i < 5:
            sponsor = ""
        elif i < 40:
            sponsor = members[rng.randrange(5)][0]
        elif rng.random() < 0.5:  # anyone already in
            sponsor = members[rng.randrange(5, i)][0]
        else:  # a recent recruiter: chains of recruiting, eight or more deep
            sponsor = members[max(5, i - 1 - int(rng.paretovariate(1.3)))][0]
        joined = months[0] - datetime.timedelta(days=(MEMBERS - i) * 3)
        status = "active" if rng.random() < 0.9 else rng.choice(["inactive", "terminated"])
        name = gen.party(index=i).name
        members.append((f"GX{100001 + i}", sponsor, name, joined.isoformat(), status))
    with open(folder / "D.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["member_id", "sponsor_id", "name", "join_date", "status"])
        writer.writerows(members)
    with open(folder / "O.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["order_id", "member_id", "date", "pv", "bv", "amount"])
        number = 0
        for month in months:
            days = (today - month).days + 1 if month == months[-1] else 28
            for member_id, _sponsor, _name, _joined, status in members:
                if status == "terminated" or rng.random() < 0.25:
                    continue
                for _ in range(rng.randint(1, 3)):
                    number += 1
                    amount = rng.choice([198, 298, 368, 596, 880, 1280, 1980])
                    day = month + datetime.timedelta(days=rng.randrange(max(days, 1)))
                    writer.writerow(
                        [f"SO{number:06d}", member_id, day.isoformat(),
                         round(amount * 0.5, 2), round(amount * 0.45, 2), amount]
                    )  # fmt: skip
    loaded = network_import(actor=admin, distributors=folder / "D.csv", orders=folder / "O.csv")
    # Most members hold a certificate and attested Art. 15; a few do not (see the check).
    for distributor in Distributor.objects.select_related("party").order_by("pk"):
        complete = distributor.member_id not in ("GX100013", "GX100077")
        distributor_update(
            actor=admin,
            distributor=distributor,
            service_region=PROVINCES[distributor.pk % len(PROVINCES)],
            certificate_no=distributor.member_id if complete else "",
            **{name: complete for name, _label in ATTESTATIONS},
        )
        mobile = ContactSpec(
            kind=ContactKind.MOBILE, value=f"135{rng.randrange(10**8):08d}", is_primary=True
        )
        with contextlib.suppress(DuplicatePartyError):  # a random number drawn twice
            contact_point_add(actor=admin, party=distributor.party, spec=mobile)
    version = plan_save(actor=admin, name="标准奖金制度", source=PLAN_FILE.read_text("utf-8"))
    for month in months[:2]:
        run = commission_run(actor=admin, plan_version=version, period=period_of(month))
        commission_commit(actor=admin, run=run)
        if month == months[0]:
            returned = Distributor.objects.get(member_id="GX100042")
            volume_post(
                distributor=returned,
                date=months[1] + datetime.timedelta(days=20),
                pv=Decimal("-149"),
                bv=Decimal("-134.10"),
                amount=Decimal("-298"),
                source_ref="return:SO-demo-1",
            )
    # A return for last month, after it was closed: an adjustment in this month's run.
    volume_post(
        distributor=Distributor.objects.get(member_id="GX100008"),
        date=months[1] + datetime.timedelta(days=10),
        pv=Decimal("-440"),
        bv=Decimal("-396"),
        amount=Decimal("-880"),
        source_ref="return:SO-demo-2",
    )
    commission_run(actor=admin, plan_version=version, period=period_of(months[2]))
    team_stats_refresh(period=period_of(today))
    report_refresh(period_of(today))
    ibo = Distributor.objects.select_related("party").get(member_id="GX100002")
    user_create(
        actor=admin,
        username="ibo",
        password=password,
        kind=UserKind.DISTRIBUTOR,
        display_name=ibo.party.name,
        email="ibo@guanxi.example.cn",
        party=ibo.party,
    )
    return {**loaded, "ibo": ibo.member_id}
