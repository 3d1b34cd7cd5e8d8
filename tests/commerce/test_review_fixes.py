"""Regressions from the review of the commerce issue, one test per finding."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanxi.commerce.choices import PointsKind
from guanxi.commerce.models import Order, PointsEntry
from guanxi.commerce.selectors import fulfilment_columns
from guanxi.commerce.services import orders as order_services
from guanxi.commerce.services import returns as return_services
from guanxi.commerce.services.notices import payment_reminders_send
from guanxi.commerce.services.points import points_balance, points_expire
from guanxi.commerce.services.subscriptions import subscription_create, subscriptions_run
from guanxi.core.models import OutboundMessage, User
from guanxi.customers.models import ContactPoint
from tests.commerce.conftest import place, place_paid


def member(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_ibo_cannot_order_for_a_customer_the_company_already_has(shop):
    c = member(shop.ibo_user)
    c.post(reverse("portal:cart_put", args=[shop.tea.pk]), {"quantity": "1"})
    checkout = {"fulfilment": "pickup", "customer_name": "随便写", "customer_mobile": "13800000001"}
    page = c.post(reverse("portal:cart"), checkout).content.decode()
    assert "service centre" in page and not Order.objects.exists()
    assert "王芳" not in c.get(reverse("portal:orders")).content.decode()
    with pytest.raises(PermissionDenied):
        place(shop.ibo_user, shop.consumer, (shop.tea, 1), channel="ibo")
    # a new person the IBO brings in is theirs to order for, again and again
    c.post(
        reverse("portal:cart"),
        {**checkout, "customer_name": "钱多多", "customer_mobile": "13655556666"},
    )
    c.post(reverse("portal:cart_put", args=[shop.tea.pk]), {"quantity": "1"})
    c.post(
        reverse("portal:cart"),
        {**checkout, "customer_name": "钱多多", "customer_mobile": "13655556666"},
    )
    assert Order.objects.filter(customer__name="钱多多", seller=shop.ibo).count() == 2


def test_everything_refunded_before_shipping_leaves_the_board(company, shop):
    order = place_paid(company.admin, shop.consumer, (shop.tea, 2))
    line = order.lines.get()
    ret = return_services.return_request(
        actor=company.admin, order=order, quantities={line.pk: 2}, unopened=True
    )
    with pytest.raises(ValidationError, match="return is open"):
        order_services.order_advance(actor=company.admin, order=order, to_status="packed")
    return_services.return_refund(actor=company.admin, ret=ret, method="cash")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert all(order not in column for _s, _l, column in fulfilment_columns(user=company.admin))


def test_an_ibos_auto_reorder_keeps_the_ibo_as_seller(company, shop):
    ContactPoint.objects.create(
        party=shop.consumer, kind="address", value="世纪大道1号", normalized="x", province="上海市"
    )
    place(company.rep, shop.consumer, (shop.tea, 1), seller=shop.ibo)  # already their customer
    sub = subscription_create(
        actor=shop.ibo_user, customer=shop.consumer, product=shop.tea, quantity=1, every_weeks=4
    )
    subscriptions_run(today=sub.next_run_on)
    placed = Order.objects.get(subscription=sub)
    assert placed.seller == shop.ibo and placed.channel == "subscription"
    with pytest.raises(ValidationError):  # nobody places an auto-reorder order by hand
        place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="subscription")


def test_a_partly_paid_order_is_cancelled_with_a_refund(company, shop):
    order = place(company.rep, shop.consumer, (shop.tea, 1))
    order_services.payment_record(actor=company.rep, order=order, amount=Decimal(10), method="cash")
    with pytest.raises(PermissionDenied):  # giving money back is the fulfilment right's
        order_services.order_cancel(actor=company.rep, order=order)
    order_services.order_cancel(actor=company.manager, order=order)
    order.refresh_from_db()
    assert order.status == "cancelled" and order.amount_refunded == Decimal(10)
    assert order.payments.filter(amount=Decimal(-10), status="refunded").exists()


def test_expiry_takes_a_return_from_its_own_lot(shop):
    party, old = shop.consumer, timezone.now() - datetime.timedelta(days=900)
    past, later = _two_orders(shop)
    PointsEntry.objects.create(
        party=party,
        kind="earn",
        points=100,
        occurred_at=old,
        expires_on=datetime.date(2025, 1, 31),
        source_ref="a",
        order=past,
    )
    PointsEntry.objects.create(
        party=party,
        kind="earn",
        points=50,
        occurred_at=old,
        expires_on=datetime.date(2028, 1, 31),
        source_ref="b",
        order=later,
    )
    PointsEntry.objects.create(
        party=party,
        kind=PointsKind.REVERSE,
        points=-50,
        occurred_at=old,
        source_ref="c",
        order=later,
    )
    points_expire(today=datetime.date(2026, 1, 1))
    assert points_balance(party.pk) == 0  # all of the expired lot, none of the returned one


def _two_orders(shop):  # noqa: N802  (two orders to hang lots on)
    return place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal"), place(
        shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal"
    )


def test_a_reminder_is_not_sent_twice_by_overlapping_runs(company, shop):
    order = place(
        company.rep, shop.consumer, (shop.tea, 1), now=timezone.now() - datetime.timedelta(days=30)
    )
    from guanxi.commerce.services import notices

    assert notices._remind(order.pk, timezone.now()) == 1
    assert notices._remind(order.pk, timezone.now()) == 0  # the second run finds it done
    assert payment_reminders_send() == 0


def test_an_auto_reorder_needs_an_address_and_pauses_when_it_cannot_be_placed(company, shop):
    ContactPoint.objects.filter(party=shop.consumer, kind="address").delete()
    with pytest.raises(ValidationError, match="address"):
        subscription_create(
            actor=shop.consumer_user,
            customer=shop.consumer,
            product=shop.tea,
            quantity=1,
            every_weeks=1,
        )
    ContactPoint.objects.create(
        party=shop.consumer, kind="address", value="世纪大道1号", normalized="x", province="上海市"
    )
    sub = subscription_create(
        actor=shop.consumer_user,
        customer=shop.consumer,
        product=shop.tea,
        quantity=1,
        every_weeks=1,
    )
    shop.tea.is_active = False  # the product was withdrawn meanwhile
    shop.tea.save()
    assert subscriptions_run(today=sub.next_run_on) == 0
    sub.refresh_from_db()
    assert sub.status == "paused"
    assert OutboundMessage.objects.filter(purpose="service_notice").exists()


def test_a_weak_password_does_not_spend_the_code(company):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("portal:register")
    c.post(url, {"step": "code", "mobile": "13912345678"})
    code = re.search(r"\d{6}", OutboundMessage.objects.get(purpose="portal_code").body).group()
    weak = c.post(
        url,
        {
            "step": "register",
            "mobile": "13912345678",
            "code": code,
            "name": "张三",
            "password": "123",
        },
    )
    assert weak.status_code == 200
    c.post(
        url,
        {
            "step": "register",
            "mobile": "13912345678",
            "code": code,
            "name": "张三",
            "password": "A-much-Stronger-pass-9",
        },
    )
    assert User.objects.filter(username="+8613912345678").exists()


def test_one_browser_cannot_text_many_numbers(company):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    for i in range(3):
        c.post(reverse("portal:register"), {"step": "code", "mobile": f"1391234560{i}"})
    page = c.post(reverse("portal:register"), {"step": "code", "mobile": "13912345609"})
    assert "Too many codes" in page.content.decode()
    assert OutboundMessage.objects.filter(purpose="portal_code").count() == 3


@pytest.mark.parametrize(
    ("who", "method", "url", "data"),
    [
        ("consumer", "get", "/portal/?category=²", None),
        ("consumer", "post", "cart", {"quantity": "²"}),
        ("admin", "get", "/commerce/orders/new/?party=²", None),
        ("admin", "get", "/commerce/orders/?customer=²", None),
        ("admin", "post", "points", {"points": "²", "note": "x"}),
    ],
)
def test_unicode_digits_are_not_numbers(company, shop, who, method, url, data):
    user = shop.consumer_user if who == "consumer" else company.admin
    c = member(user)
    c.raise_request_exception = False
    url = {
        "cart": reverse("portal:cart_put", args=[shop.tea.pk]),
        "points": reverse("commerce:points_adjust", args=[shop.consumer.pk]),
    }.get(url, url)
    response = getattr(c, method)(url, data or {})
    assert response.status_code < 500


def test_unicode_digits_in_return_quantities(shop):
    order = place_paid(shop.consumer_user, shop.consumer, (shop.tea, 2), channel="portal")
    c = member(shop.consumer_user)
    c.raise_request_exception = False
    response = c.post(
        reverse("portal:order_action", args=[order.pk]),
        {"action": "return", f"qty_{order.lines.get().pk}": "²", "unopened": "on"},
    )
    assert response.status_code == 302 and not order.returns.exists()
