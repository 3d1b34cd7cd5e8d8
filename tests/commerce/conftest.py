"""Fixtures: a small catalogue on three price lists, a consumer with a portal login,
and an IBO with a distributor login."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from guanxi.commerce.choices import EarningRuleKind, PriceListKind
from guanxi.commerce.models import Category, EarningRule, PriceList, PriceListItem, Product
from guanxi.commerce.services.orders import LineRequest, ShipTo, order_place, payment_record
from guanxi.core.choices import UserKind
from guanxi.customers.models import PartyRole
from guanxi.network.models import Distributor
from tests.factories import ContactPointFactory, PartyFactory, UserFactory

SHIP = ShipTo(name="王芳", phone="13800000000", province="上海市", address="浦东新区世纪大道1号")


@dataclass
class Shop:
    tea: Product  # retail 100, member 90, distributor 80; PV 40, BV 60
    pot: Product  # retail 250.50, member 230, distributor 200; PV 100, BV 150
    gift: Product  # redeemable for 500 points
    consumer: object  # a Party with a portal login
    consumer_user: object
    ibo: Distributor
    ibo_user: object


def _product(sku, name, category, prices, pv, bv, **extra):
    product = Product.objects.create(
        sku=sku, name=name, category=category, pv=Decimal(pv), bv=Decimal(bv), **extra
    )
    for kind, price in prices.items():
        PriceListItem.objects.create(
            price_list=PriceList.objects.get(kind=kind), product=product, price=Decimal(price)
        )
    return product


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the product's default language is zh-hans)."""
    with translation.override("en"):
        yield


@pytest.fixture
def shop(company) -> Shop:
    for kind in PriceListKind:
        PriceList.objects.create(kind=kind, name=str(kind.label))
    health = Category.objects.create(name="营养保健")
    tea = _product(
        "TEA-1", "灵芝茶", health, {"retail": 100, "member": 90, "distributor": 80}, 40, 60
    )
    pot = _product(
        "POT-1", "养生壶", health, {"retail": "250.50", "member": 230, "distributor": 200}, 100, 150
    )
    gift = _product("GIFT-1", "保温杯", health, {"retail": 50}, 0, 0, redemption_points=500)
    EarningRule.objects.create(
        name="每10元1分", kind=EarningRuleKind.PER_AMOUNT, points=1, per_amount=Decimal(10)
    )
    consumer = PartyFactory(name="王芳", owner=company.rep)
    ContactPointFactory(party=consumer, kind="mobile", value="+8613800000001", is_primary=True)
    ContactPointFactory(
        party=consumer,
        kind="address",
        value="世纪大道1号",
        normalized="x",
        province="上海市",
        city="上海市",
        district="浦东新区",
        is_primary=True,
    )
    consumer_user = UserFactory(
        username="wangfang", kind=UserKind.CONSUMER, party=consumer, org_unit=None
    )
    ibo_party = PartyFactory(name="李强", owner=company.rep)
    PartyRole.objects.create(party=ibo_party, role="distributor")
    ibo = Distributor.objects.create(
        party=ibo_party, member_id="GX1", join_date=datetime.date(2025, 1, 1)
    )
    ibo_user = UserFactory(
        username="liqiang", kind=UserKind.DISTRIBUTOR, party=ibo_party, org_unit=None
    )
    return Shop(tea, pot, gift, consumer, consumer_user, ibo, ibo_user)


def place(actor, customer, *lines, channel="call_centre", **kwargs):
    return order_place(
        actor=actor,
        customer=customer,
        channel=channel,
        lines=[LineRequest(p.pk, q) for p, q in lines],
        ship_to=kwargs.pop("ship_to", SHIP),
        **kwargs,
    )


def place_paid(actor, customer, *lines, **kwargs):
    order = place(actor, customer, *lines, **kwargs)
    payment_record(
        actor=actor, order=order, amount=order.total, method="wechat_pay", now=kwargs.get("now")
    )
    order.refresh_from_db()
    return order
