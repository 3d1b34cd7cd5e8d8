"""Sales demo data in Chinese: the pool's rules, an assignment rule for Shanghai, leads
from every source (some for customers the company knows), claims at every stage of their
deadlines (one about to lapse), and a recycled claim."""

import datetime
import random

from django.utils import timezone

from guanxi.customers.models import Party
from guanxi.sales.models import AssignmentRule, PoolPolicy
from guanxi.sales.services.leads import lead_capture, lead_status_change
from guanxi.sales.services.opportunities import (
    opportunity_close,
    opportunity_create,
    opportunity_move,
    pipeline_default,
)
from guanxi.sales.services.pool import claim_take, claims_recycle

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
PROVINCES = ["上海市", "上海市", "江苏省", "浙江省", "广东省"]
INTERESTS = ["净水器", "灵芝孢子粉", "空气净化器", "蛋白质粉", "护肤套装"]


def load_sales_demo(*, users: dict, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    PoolPolicy.objects.update_or_create(pk=1, defaults={"follow_up_days": 7, "progress_days": 30})
    AssignmentRule.objects.create(
        name="上海网络线索轮流分配",
        team=users["rep"].org_unit.parent,
        provinces="上海市",
        sources="web_form,campaign",
    )
    now = timezone.now()
    leads = []
    for i in range(40):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        leads.append(
            lead_capture(
                actor=users["agent"] if i % 3 else None,
                name=name,
                mobile=f"137{rng.randrange(10**8):08d}",
                province=rng.choice(PROVINCES),
                source=rng.choice(["web_form", "campaign", "call_in", "import"]),
                response_code="TV2611" if i % 4 == 0 else "",
                interest=rng.choice(INTERESTS),
                now=now - datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8)),
            )
        )
    for lead in leads[:8]:
        if lead.party.owner_id:
            lead_status_change(actor=lead.party.owner, lead=lead, status="contacted")
    pool = list(Party.objects.filter(owner__isnull=True, merged_into__isnull=True).order_by("pk"))
    old = now - datetime.timedelta(days=6, hours=20)  # lapses within hours: shows as due soon
    for party in pool[:3]:
        claim_take(actor=users["rep2"], party=party, now=old)
    stale = now - datetime.timedelta(days=12)
    claim_take(actor=users["rep3"], party=pool[3], now=stale)
    recycled = claims_recycle(now=now)
    deals = _deals(rng, users, now) + _group_buys(rng, users, now)
    from guanxi.sales.demo_followup import load_followup_demo

    followup = load_followup_demo(users=users, seed=seed)

    from guanxi.sales.demo_contracts import load_contracts_demo

    contracts = load_contracts_demo(users=users)

    from guanxi.sales.demo_quotes import load_quotes_demo

    quotes = load_quotes_demo(users=users, now=now)
    scored = _scoring(rng, users, now)
    return {
        "leads": len(leads),
        "recycled": sum(recycled.values()),
        "deals": deals,
        "followup": followup,
        **contracts,
        "quotes": quotes,
        "scored": scored,
    }


DEALS = [
    "家用净水器",
    "空气净化器 2 台",
    "灵芝孢子粉年度装",
    "企业团购蛋白粉",
    "护肤套装",
    "净水器以旧换新",
    "社区体验店团购",
]


def _deals(rng, users, now) -> int:
    """Deals of the Shanghai reps across every stage, some won or lost."""
    pipeline = pipeline_default()
    stages = list(pipeline.stages.order_by("position"))
    made = 0
    for username in ("rep", "rep2"):
        rep = users[username]
        for party in Party.objects.filter(owner=rep).order_by("pk")[:9]:
            created = now - datetime.timedelta(days=rng.randint(3, 50))
            deal = opportunity_create(
                actor=rep,
                party=party,
                title=rng.choice(DEALS),
                pipeline=pipeline,
                amount=rng.choice([980, 2680, 5360, 8940, 12800, 36000]),
                expected_close=(now + datetime.timedelta(days=rng.randint(5, 60))).date(),
                competitors=rng.choice(["", "安利", "无限极", "完美"]),
                now=created,
            )
            step = rng.randint(0, len(stages) - 1)
            if step:
                deal = opportunity_move(
                    actor=rep,
                    opportunity=deal,
                    stage=stages[step],
                    now=created + datetime.timedelta(days=2),
                )
            fate = rng.random()
            if fate < 0.15:
                opportunity_close(
                    actor=rep, opportunity=deal, won=True, now=created + datetime.timedelta(days=3)
                )
            elif fate < 0.25:
                opportunity_close(
                    actor=rep,
                    opportunity=deal,
                    won=False,
                    reason="价格太高",
                    now=created + datetime.timedelta(days=3),
                )
            made += 1
    return made


# Lead scoring: half a year of decided leads whose chances depend on where they came
# from, what they wanted and how soon and often someone called (the model finds it).
WIN_CHANCE = {
    "call_in": 0.6,
    "ibo_referral": 0.65,
    "web_form": 0.35,
    "campaign": 0.3,
    "import": 0.1,
}


def _scoring(rng, users, now) -> int:
    from guanxi.customers.services.interactions import interaction_log
    from guanxi.sales.services.scoring import leads_score, scoring_model_train

    admin = users["admin"]
    for i in range(160):
        source = rng.choice(list(WIN_CHANCE))
        interest = rng.choice(INTERESTS)
        arrived = now - datetime.timedelta(days=rng.uniform(25, 180))
        chance = WIN_CHANCE[source] + (0.15 if interest == "净水器" else 0.0)
        won = rng.random() < chance
        lead = lead_capture(
            actor=users["agent"],
            name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
            mobile=f"135{rng.randrange(10**8):08d}",
            province=rng.choice(PROVINCES),
            source=source,
            response_code="TV2611" if source == "campaign" and i % 2 else "",
            interest=interest,
            now=arrived,
        )
        calls = rng.randint(1, 4) if won else rng.choice([0, 0, 1])
        for k in range(calls):
            interaction_log(
                actor=admin,
                party=lead.party,
                kind="call",
                subject="电话回访",
                occurred_at=arrived + datetime.timedelta(hours=rng.uniform(1, 30) + 48 * k),
            )
        lead_status_change(
            actor=admin,
            lead=lead,
            status="converted" if won else "disqualified",
            now=arrived + datetime.timedelta(days=rng.uniform(5, 20)),
        )
    scoring_model_train(now=now)
    return leads_score(now=now)


def _group_buys(rng, users, now) -> int:
    """A second pipeline with a crowded first column: the board shows its 30 largest
    deals, the column's count and total, and "more" for the rest."""
    from guanxi.sales.models import Pipeline, Stage

    pipeline = Pipeline.objects.create(name="社区团购", position=1)
    stages = [("团购意向", 10), ("样品试用", 40), ("团购签约", 80)]
    for i, (name, probability) in enumerate(stages):
        Stage.objects.create(pipeline=pipeline, name=name, position=i, probability=probability)
    rep = users["rep"]
    parties = list(Party.objects.filter(owner=rep).order_by("pk")[:12])
    for i in range(36):
        opportunity_create(
            actor=rep,
            party=parties[i % len(parties)],
            title=f"小区团购第{i + 1}单",
            pipeline=pipeline,
            amount=rng.choice([1200, 2400, 3600, 4800, 6000]) + i,
            expected_close=(now + datetime.timedelta(days=rng.randint(10, 90))).date(),
            now=now - datetime.timedelta(days=rng.randint(1, 20)),
        )
    return 36
