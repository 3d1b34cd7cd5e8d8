"""The member portal: registration with a texted code, ordering, tracking, points,
returns, profile and news, auto-reorders; IBO training and orders for customers; and a
consumer never reaching another's data."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from guanxi.commerce.models import Order, ProductNewsSubscription
from guanxi.commerce.services.points import points_adjust, points_balance
from guanxi.core.models import AuditEvent, OutboundMessage, User
from guanxi.customers.models import Consent, Party
from guanxi.portal.models import Course, Enrolment, Lesson
from tests.commerce.conftest import place, place_paid
from tests.factories import ContactPointFactory, PartyFactory

PASSWORD = "Guanxi-Member-2026"


def client_for(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def test_registration_texts_a_code_and_joins_the_existing_record(company, settings):
    known = PartyFactory(name="赵敏", owner=company.rep)
    ContactPointFactory(party=known, kind="mobile", value="+8613911112222")
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("portal:register")
    c.post(url, {"step": "code", "mobile": "139 1111 2222"})
    sms = OutboundMessage.objects.get(purpose="portal_code")
    code = re.search(r"\d{6}", sms.body).group()
    again = c.post(url, {"step": "code", "mobile": "13911112222"})
    assert "wait a minute" in again.content.decode()
    wrong = c.post(
        url,
        {
            "step": "register",
            "mobile": "13911112222",
            "code": "000000",
            "name": "赵敏",
            "password": PASSWORD,
        },
    )
    assert "not right" in wrong.content.decode() or code == "000000"
    done = c.post(
        url,
        {
            "step": "register",
            "mobile": "13911112222",
            "code": code,
            "name": "赵敏",
            "password": PASSWORD,
            "consents": ["sms", "email"],
        },
    )
    assert done.status_code == 302
    user = User.objects.get(username="+8613911112222")
    assert user.party == known and user.kind == "consumer"
    assert set(Consent.objects.filter(party=known).values_list("channel", flat=True)) == {
        "sms",
        "email",
    }
    assert Party.objects.count() == 1  # no duplicate record


def test_login_by_mobile_and_a_new_customer_lands_in_the_pool(company):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("portal:register")
    c.post(url, {"step": "code", "mobile": "13700000009"})
    code = re.search(r"\d{6}", OutboundMessage.objects.get().body).group()
    c.post(
        url,
        {
            "step": "register",
            "mobile": "13700000009",
            "code": code,
            "name": "新会员",
            "password": PASSWORD,
        },
    )
    party = Party.objects.get(name="新会员")
    assert party.owner is None and party.source == "web_form"
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en")
    bad = fresh.post(reverse("portal:login"), {"mobile": "13700000009", "password": "x"})
    assert "not right" in bad.content.decode()
    ok = fresh.post(reverse("portal:login"), {"mobile": "137-0000-0009", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == reverse("portal:home")
    staff = Client()
    staff.force_login(company.rep)
    assert staff.post(reverse("portal:login"), {"mobile": "x", "password": "y"}).status_code == 200


def test_a_consumer_orders_pays_tracks_and_redeems(company, shop, settings):
    settings.PAYMENT_SANDBOX = True
    c = client_for(shop.consumer_user)
    home = c.get(reverse("portal:home")).content.decode()
    assert "灵芝茶" in home and "¥90" in home  # the member price
    c.post(reverse("portal:cart_put", args=[shop.tea.pk]), {"quantity": "6"})
    checkout = {
        "fulfilment": "courier",
        "ship_to_name": "王芳",
        "ship_to_phone": "13800000001",
        "ship_to_province": "上海市",
        "ship_to_address": "世纪大道1号",
        "pay": "now",
    }
    done = c.post(reverse("portal:cart"), checkout)
    order = Order.objects.get()
    assert done["Location"] == reverse("portal:order", args=[order.pk])
    assert order.status == "paid" and order.channel == "portal" and order.total == Decimal(540)
    page = c.get(reverse("portal:order", args=[order.pk])).content.decode()
    assert 'id="tracking"' in page and order.number in page
    assert points_balance(shop.consumer.pk) == 54
    points_adjust(actor=company.admin, party=shop.consumer, points=446, note="活动")
    c.post(reverse("portal:redeem", args=[shop.gift.pk]), checkout)
    assert points_balance(shop.consumer.pk) == 0
    assert 'id="balance">0<' in c.get(reverse("portal:points")).content.decode()


def test_my_orders_come_twenty_a_page_newest_first(company, shop):
    orders = [
        place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal") for _ in range(21)
    ]
    c = client_for(shop.consumer_user)
    first = c.get(reverse("portal:orders")).content.decode()
    assert [o.number in first for o in orders] == [False] + [True] * 20
    assert "?page=2" in first and "Older" in first and "Newer" not in first
    second = c.get(reverse("portal:orders"), {"page": 2}).content.decode()
    assert orders[0].number in second and orders[1].number not in second
    assert "?page=1" in second and "Newer" in second and "Older" not in second


def test_a_consumer_sees_only_their_own_orders(company, shop):
    other = PartyFactory(owner=company.rep)
    theirs = place(company.rep, other, (shop.tea, 1))
    mine = place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal")
    c = client_for(shop.consumer_user)
    listing = c.get(reverse("portal:orders")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert c.get(reverse("portal:order", args=[theirs.pk])).status_code == 404
    assert (
        c.post(reverse("portal:order_action", args=[theirs.pk]), {"action": "cancel"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "received"
    for staff_page in (
        reverse("customers:detail", args=[other.pk]),
        reverse("commerce:order", args=[theirs.pk]),
        reverse("customers:list"),
    ):
        assert c.get(staff_page)["Location"] == reverse("portal:home")


def test_a_consumer_requests_a_return_and_cancels_an_unpaid_order(company, shop):
    paid = place_paid(shop.consumer_user, shop.consumer, (shop.tea, 2), channel="portal")
    c = client_for(shop.consumer_user)
    line = paid.lines.get()
    c.post(
        reverse("portal:order_action", args=[paid.pk]),
        {"action": "return", f"qty_{line.pk}": "1", "unopened": "on"},
    )
    assert paid.returns.get().refund_amount == Decimal(90)
    unpaid = place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal")
    c.post(reverse("portal:order_action", args=[unpaid.pk]), {"action": "cancel"})
    unpaid.refresh_from_db()
    assert unpaid.status == "cancelled"


def test_profile_edits_and_news_choices_are_audited(company, shop):
    c = client_for(shop.consumer_user)
    form = {
        "form": "profile",
        "name": "王芳芳",
        "gender": "female",
        "birthday": "1990-05-01",
        "email": "Fang@Example.cn",
        "province": "上海市",
        "city": "上海市",
        "district": "浦东新区",
        "street": "世纪大道2号",
    }
    assert c.post(reverse("portal:me"), form).status_code == 302
    shop.consumer.refresh_from_db()
    assert shop.consumer.name == "王芳芳"
    assert shop.consumer.contact_points.get(kind="email").value == "fang@example.cn"
    events = AuditEvent.objects.filter(subject_id=str(shop.consumer.pk), actor=shop.consumer_user)
    assert events.filter(object_type="customers.party").exists()
    assert events.filter(object_type="customers.contactpoint").count() == 2
    bad = c.post(reverse("portal:me"), {**form, "email": "not-an-email"})
    assert bad.status_code == 200 and "valid email" in bad.content.decode()
    c.post(reverse("portal:news"), {"channel": "sms", "subscribed": "1"})
    assert ProductNewsSubscription.objects.get(party=shop.consumer, channel="sms").subscribed
    assert Consent.objects.filter(party=shop.consumer, channel="sms", status="granted").exists()
    c.post(reverse("portal:news"), {"channel": "sms", "subscribed": "0"})
    assert not ProductNewsSubscription.objects.get(party=shop.consumer, channel="sms").subscribed


def test_auto_reorder_from_the_product_page(shop):
    c = client_for(shop.consumer_user)
    c.post(reverse("portal:subscribe", args=[shop.tea.pk]), {"every_weeks": "4", "quantity": "2"})
    sub = shop.consumer.subscriptions.get()
    c.post(reverse("portal:subscription", args=[sub.pk]), {"action": "pause"})
    sub.refresh_from_db()
    assert sub.status == "paused"
    assert "灵芝茶" in c.get(reverse("portal:me")).content.decode()


def test_an_ibo_takes_a_course_and_orders_for_a_customer(company, shop, settings):
    settings.PAYMENT_SANDBOX = True
    course = Course.objects.create(title="产品知识入门", summary="两课")
    first = Lesson.objects.create(course=course, title="灵芝的功效", body="……", position=1)
    second = Lesson.objects.create(course=course, title="如何介绍产品", body="……", position=2)
    c = client_for(shop.ibo_user)
    assert "产品知识入门" in c.get(reverse("portal:courses")).content.decode()
    c.post(reverse("portal:course", args=[course.pk]))
    nxt = c.post(reverse("portal:lesson", args=[first.pk]))
    assert nxt["Location"] == reverse("portal:lesson", args=[second.pk])
    c.post(reverse("portal:lesson", args=[second.pk]))
    assert Enrolment.objects.get(user=shop.ibo_user).completed_at is not None
    assert client_for(shop.consumer_user).get(reverse("portal:courses")).status_code == 403
    c.post(reverse("portal:cart_put", args=[shop.tea.pk]), {"quantity": "1"})
    c.post(
        reverse("portal:cart"),
        {
            "customer_name": "钱多多",
            "customer_mobile": "13655556666",
            "fulfilment": "pickup",
            "pay": "now",
        },
    )
    order = Order.objects.get()
    assert order.channel == "ibo" and order.seller == shop.ibo and order.customer.name == "钱多多"
    assert order.customer.source == "ibo_referral" and order.price_list == "retail"
    assert order.number in c.get(reverse("portal:orders")).content.decode()
    business = c.get(reverse("network:me"))
    assert business.status_code == 200 and "tabbar" in business.content.decode()


@pytest.mark.parametrize("name", ["portal:orders", "portal:points", "portal:me", "portal:cart"])
def test_pages_need_a_portal_login(company, name):
    assert Client().get(reverse(name)).status_code == 302
    staff = Client()
    staff.force_login(company.rep)
    assert staff.get(reverse(name)).status_code == 403


def test_a_member_searches_the_faq_and_asks_a_question(company, shop):
    from guanxi.service.models import Question, ServiceRequest

    Question.objects.create(
        question="退货需要什么条件？", answer="购买之日起30日内未开封可退。", category="returns"
    )
    c = client_for(shop.consumer_user)
    assert "30日内" in c.get(reverse("portal:help"), {"q": "退货"}).content.decode()
    c.post(
        reverse("portal:help"), {"subject": "积分什么时候到账？", "body": "上周的订单还没有积分。"}
    )
    asked = ServiceRequest.objects.get()
    assert asked.party == shop.consumer and asked.channel == "portal"
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(company.rep)
    page = staff.get(reverse("customers:detail", args=[shop.consumer.pk])).content.decode()
    assert "积分什么时候到账" in page  # on the customer's timeline
    empty = c.post(reverse("portal:help"), {"subject": "", "body": ""})
    assert empty.status_code == 200 and ServiceRequest.objects.count() == 1
