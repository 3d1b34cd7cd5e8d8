"""Commerce demo data in Chinese: a health-products catalogue on three price lists,
earning rules, orders over the last three months through every channel and at every
step of fulfilment, returns (one refund overdue), points and redemptions, auto-reorders,
a consumer login for the member portal, and distributor training courses."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from guanxi.commerce.choices import EarningRuleKind, PriceListKind
from guanxi.commerce.models import Category, EarningRule, PriceList, PriceListItem, Product
from guanxi.commerce.services.notices import announcement_create
from guanxi.commerce.services.orders import (
    LineRequest,
    ShipTo,
    order_advance,
    order_place,
    payment_record,
)
from guanxi.commerce.services.points import points_adjust
from guanxi.commerce.services.redemption import points_redeem
from guanxi.commerce.services.returns import return_refund, return_request
from guanxi.commerce.services.subscriptions import subscription_create
from guanxi.core.models import User
from guanxi.customers.models import ContactPoint, Party
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.self_service import contact_self_set, party_for_mobile
from guanxi.network.models import Distributor

DEMO_CONSUMER_MOBILE = "13800138000"
# sku, name, category, retail, member, distributor, pv, bv, warranty months, points, summary
CATALOGUE = [
    (
        "NT-001",
        "灵芝孢子粉胶囊",
        "营养保健",
        398,
        358,
        318,
        160,
        240,
        0,
        None,
        "破壁灵芝孢子粉，60粒装",
    ),
    (
        "NT-002",
        "深海鱼油软胶囊",
        "营养保健",
        268,
        240,
        215,
        100,
        160,
        0,
        None,
        "高纯度 Omega-3，100粒装",
    ),
    (
        "NT-003",
        "蛋白质粉（香草味）",
        "营养保健",
        328,
        295,
        262,
        130,
        200,
        0,
        None,
        "大豆与乳清双蛋白，900克",
    ),
    ("NT-004", "复合维生素片", "营养保健", 158, 142, 126, 60, 95, 0, 1500, "每日一片，30天量"),
    ("BC-001", "人参焕颜精华液", "美容护肤", 520, 468, 416, 200, 310, 0, None, "30毫升，提亮修护"),
    ("BC-002", "氨基酸洁面乳", "美容护肤", 128, 115, 102, 45, 75, 0, 1200, "温和清洁，120克"),
    ("PC-001", "草本牙膏家庭装", "个人护理", 69, 62, 55, 20, 35, 0, 600, "三支装"),
    (
        "HM-001",
        "净水器（厨下式）",
        "家居用品",
        2980,
        2680,
        2380,
        1000,
        1600,
        24,
        None,
        "五级过滤，免费上门安装",
    ),
    ("HM-002", "空气净化器", "家居用品", 1880, 1690, 1500, 650, 1000, 12, None, "适用 40 平方米"),
    ("HM-003", "不锈钢保温杯", "家居用品", 99, 89, 79, 0, 0, 6, 900, "500毫升，积分兑换热门"),
]
DESCRIPTION = (
    "{name}：{summary}。\n\n产品特点：精选原料，按国家标准生产，每批次均有检验报告。\n"
    "食用 / 使用方法：请按说明书使用；孕妇、儿童请咨询医生。\n"
    "本产品为直销产品，购买之日起 30 日内未开封可凭发票或售货凭证退货。"
)
COURSES = [
    (
        "直销员入门：法规与职业道德",
        "《直销管理条例》与《禁止传销条例》要点",
        [
            (
                "什么是合法直销",
                "直销是直销企业招募直销员，由直销员在固定营业场所之外直接向最终消费者推销产品的经销方式……",
            ),
            (
                "直销员的义务",
                "向消费者出示直销员证和推销合同；如实介绍产品的质量、性能、价格、退换货制度……",
            ),
            (
                "三十天退货制度",
                "消费者自购买之日起 30 日内，产品未开封的，可以凭发票或售货凭证办理退货……",
            ),
        ],
    ),
    (
        "产品知识：营养保健系列",
        "灵芝、鱼油、蛋白质粉的功效与推荐",
        [
            ("灵芝孢子粉", "破壁技术、适用人群与食用方法……"),
            ("深海鱼油", "Omega-3 的来源与每日摄入建议……"),
        ],
    ),
    (
        "客户跟进与复购",
        "如何建立长期客户关系",
        [
            ("首次回访", "购买后第 3 天电话回访，了解使用感受……"),
            ("自动复购", "为常用产品设置自动复购，客户省心，业绩稳定……"),
        ],
    ),
]


def load_commerce_demo(*, users: dict, password: str, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    products = _catalogue()
    EarningRule.objects.create(
        name="每消费10元积1分", kind=EarningRuleKind.PER_AMOUNT, points=1, per_amount=Decimal(10)
    )
    EarningRule.objects.create(
        name="电视直销活动 TV2611 奖励200分",
        kind=EarningRuleKind.CAMPAIGN_BONUS,
        points=200,
        response_code="TV2611",
    )
    now = timezone.now()
    sellers = list(Distributor.objects.order_by("member_id")[:12])
    parties = list(
        Party.objects.filter(owner__isnull=False, merged_into__isnull=True)
        .select_related("owner")
        .order_by("pk")[:70]
    )
    made = [_history(rng, p, products, sellers, users, now) for p in parties]
    orders = [o for batch in made for o in batch]
    consumer = _consumer(users, products, password, now)
    _returns(orders, users, now)
    for course_title, summary, lessons in COURSES:
        _course(course_title, summary, lessons)
    announcement_create(
        actor=users["marketer"],
        product=products["HM-002"],
        title="新品上市：空气净化器",
        body="会员价 1690 元，首发期间下单加赠滤网一套。",
    )
    return {"orders": len(orders) + 3, "consumer": consumer.username}


def _catalogue() -> dict[str, Product]:
    lists = {
        kind: PriceList.objects.create(kind=kind, name=str(kind.label)) for kind in PriceListKind
    }
    categories, products = {}, {}
    for sku, name, cat, retail, member, dist, pv, bv, warranty, points, summary in CATALOGUE:
        if cat not in categories:
            categories[cat] = Category.objects.create(name=cat, position=len(categories))
        products[sku] = Product.objects.create(
            sku=sku,
            name=name,
            category=categories[cat],
            summary=summary,
            description=DESCRIPTION.format(name=name, summary=summary),
            pv=pv,
            bv=bv,
            warranty_months=warranty,
            redemption_points=points,
            launch_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=37 * len(products)),
        )
        for kind, price in (("retail", retail), ("member", member), ("distributor", dist)):
            PriceListItem.objects.create(price_list=lists[kind], product=products[sku], price=price)
    return products


def _ship_to(party) -> ShipTo:
    mobile = ContactPoint.objects.filter(party=party, kind="mobile").first()
    address = ContactPoint.objects.filter(party=party, kind="address").first()
    return ShipTo(
        name=party.name,
        phone=mobile.value if mobile else "13900000000",
        province=address.province if address else "上海市",
        address=address.display_value if address else "浦东新区张杨路500号",
    )


CHANNELS = ["call_centre", "call_centre", "ibo", "showroom", "partner_store"]


def _history(rng, party, products, sellers, users, now) -> list:
    actor = party.owner if party.owner.is_active else users["agent"]
    orders = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        placed = now - datetime.timedelta(days=rng.randint(0, 85), hours=rng.randint(0, 10))
        channel = rng.choice(CHANNELS)
        skus = rng.sample(list(products), rng.choice([1, 1, 2]))
        order = order_place(
            actor=users["agent"] if channel == "call_centre" else actor,
            customer=party,
            channel=channel,
            lines=[LineRequest(products[s].pk, rng.choice([1, 1, 2, 3])) for s in skus],
            ship_to=_ship_to(party),
            now=placed,
            seller=rng.choice(sellers) if channel == "ibo" and sellers else None,
            response_code="TV2611" if channel == "call_centre" and rng.random() < 0.3 else "",
        )
        age = (now - placed).days
        if age > 10 and rng.random() < 0.12:
            orders.append(order)  # left unpaid: payment reminders are due
            continue
        payment_record(
            actor=users["agent"],
            order=order,
            amount=order.total,
            method=rng.choice(["wechat_pay", "alipay", "bank_transfer"]),
            now=placed + datetime.timedelta(minutes=30),
        )
        _fulfil(order, users["manager"], age, placed, rng)
        orders.append(order)
    return orders


def _fulfil(order, manager, age, placed, rng) -> None:
    steps = [("packed", 1), ("shipped", 2), ("delivered", 5)]
    for step, days in steps:
        if age < days + rng.randint(0, 2):
            return
        order_advance(
            actor=manager,
            order=order,
            to_status=step,
            courier="顺丰速运" if step == "shipped" else "",
            tracking_number=f"SF{order.pk:010d}" if step == "shipped" else "",
            now=placed + datetime.timedelta(days=days),
        )


def _returns(orders, users, now) -> None:
    """A refunded return, one waiting, and one whose 7-day refund deadline has passed."""
    from guanxi.commerce.models import Order

    fresh = Order.objects.filter(  # customers of the east region: its manager sees them
        pk__in=[o.pk for o in orders], customer__owner__username__in=["rep", "rep2"]
    ).order_by("-placed_at")
    paid = [o for o in fresh if o.paid_at and o.status != "cancelled"]
    older = [o for o in paid if 10 <= (now - o.placed_at).days <= 25]
    recent = [o for o in paid if (now - o.placed_at).days < 10 and o not in older[:1]]
    picks = [(recent[:2] + [None, None])[0], (recent[:2] + [None, None])[1], older[:1] and older[0]]
    ages = [2, 1, 9]
    reasons = ["买多了", "家人已买", "不想要了"]
    for i, order in enumerate(picks):
        if not order:
            continue
        line = order.lines.first()
        at = max(
            now - datetime.timedelta(days=ages[i]), order.paid_at + datetime.timedelta(hours=1)
        )
        ret = return_request(
            actor=users["agent"],
            order=order,
            quantities={line.pk: 1},
            unopened=True,
            reason=reasons[i],
            now=at,
        )
        if i == 0:
            return_refund(actor=users["manager"], ret=ret, method="wechat_pay", now=at)


def _consumer(users, products, password, now) -> User:
    """林小雨, a member with a portal login, orders, points, a redemption and an auto-reorder."""
    party, _created = party_for_mobile(actor=None, name="林小雨", mobile=DEMO_CONSUMER_MOBILE)
    user = User.objects.create_user(
        username=party.contact_points.get().value,
        password=password,
        kind="consumer",
        party=party,
        display_name="林小雨",
        mobile=party.contact_points.get().value,
    )
    contact_self_set(
        actor=user,
        party=party,
        spec=ContactSpec(
            "address", "漕溪北路88号", province="上海市", city="上海市", district="徐汇区"
        ),
    )
    ship = ShipTo("林小雨", DEMO_CONSUMER_MOBILE, "上海市", "徐汇区漕溪北路88号")
    for days, sku, quantity in ((40, "NT-001", 2), (12, "NT-002", 1)):
        placed = now - datetime.timedelta(days=days)
        order = order_place(
            actor=user,
            customer=party,
            channel="portal",
            lines=[LineRequest(products[sku].pk, quantity)],
            ship_to=ship,
            now=placed,
        )
        payment_record(
            actor=user,
            order=order,
            amount=order.total,
            method="wechat_pay",
            reference="SANDBOX",
            now=placed,
        )
        _fulfil(order, users["manager"], days, placed, random.Random(days))
    points_adjust(actor=users["manager"], party=party, points=2000, note="会员周年礼")
    points_redeem(actor=user, customer=party, product=products["PC-001"], ship_to=ship)
    subscription_create(
        actor=user, customer=party, product=products["NT-002"], quantity=1, every_weeks=8
    )
    return user


def _course(title: str, summary: str, lessons) -> None:
    from guanxi.portal.models import Course, Lesson

    course = Course.objects.create(title=title, summary=summary, position=Course.objects.count())
    for i, (lesson_title, body) in enumerate(lessons):
        Lesson.objects.create(
            course=course, title=lesson_title, body=body * 3, position=i, minutes=8 + 2 * i
        )
