"""Staff pages: order entry with customer lookup by phone, detail actions, the
fulfilment board, the returns queue, the 360 panel and timeline, visibility."""

from decimal import Decimal

from django.urls import reverse

from guanxi.commerce.models import Order
from tests.commerce.conftest import place, place_paid
from tests.conftest import login as staff_login
from tests.factories import PartyFactory


def login(user):
    """A logged-in client that reads the pages in English."""
    client = staff_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_an_agent_finds_the_caller_by_phone_and_takes_the_order(company, shop):
    c = login(company.agent)
    found = c.get(reverse("commerce:order_new"), {"q": "13800000001"})
    assert "王芳" in found.content.decode()
    url = reverse("commerce:order_new") + f"?party={shop.consumer.pk}"
    form = {
        "channel": "call_centre",
        "price_list": "",
        "fulfilment": "courier",
        "ship_to_name": "王芳",
        "ship_to_phone": "13800000001",
        "ship_to_province": "上海市",
        "ship_to_address": "世纪大道1号",
        "shipping_fee": "0",
        "response_code": "TV1123",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": str(shop.tea.pk),
        "lines-0-quantity": "2",
        "lines-1-product": "",
        "lines-1-quantity": "",
    }
    bad = c.post(url, {**form, "seller": "NOPE"})
    assert bad.status_code == 200 and "No distributor" in bad.content.decode()
    done = c.post(url, {**form, "seller": "GX1"})
    order = Order.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "commerce:order", args=[order.pk]
    )
    assert (order.seller, order.response_code, order.total) == (shop.ibo, "TV1123", Decimal(180))
    empty = c.post(url, {**form, "lines-0-product": ""})
    assert empty.status_code == 200 and "Add at least one product" in empty.content.decode()


def test_order_detail_actions_pay_pack_ship_deliver_and_return(company, shop):
    order = place(company.rep, shop.consumer, (shop.tea, 2))
    c = login(company.manager)
    page = c.get(reverse("commerce:order", args=[order.pk]))
    assert page.status_code == 200 and order.number in page.content.decode()
    c.post(reverse("commerce:order_pay", args=[order.pk]), {"amount": "180", "method": "alipay"})
    for step, extra in (("packed", {}), ("shipped", {"courier": "顺丰", "tracking_number": "SF9"})):
        c.post(reverse("commerce:order_advance", args=[order.pk]), {"to": step, **extra})
    order.refresh_from_db()
    assert order.status == "shipped" and order.tracking_number == "SF9"
    line = order.lines.get()
    c.post(
        reverse("commerce:return_new", args=[order.pk]),
        {f"qty_{line.pk}": "1", "unopened": "on", "reason": "买多了"},
    )
    ret = order.returns.get()
    assert ret.refund_amount == Decimal(90)
    queue = c.get(reverse("commerce:returns"))
    assert order.number in queue.content.decode()
    c.post(
        reverse("commerce:return_decide", args=[ret.pk]), {"decision": "refund", "method": "alipay"}
    )
    ret.refresh_from_db()
    assert ret.status == "refunded"


def test_the_board_and_queue_are_for_fulfilment_staff(company, shop):
    place_paid(company.rep, shop.consumer, (shop.tea, 1))
    assert login(company.rep).get(reverse("commerce:fulfilment")).status_code == 403
    board = login(company.admin).get(reverse("commerce:fulfilment"))
    assert board.status_code == 200 and "王芳" in board.content.decode()
    member = login(shop.consumer_user).get(reverse("commerce:orders"))
    assert member.status_code == 302 and member["Location"] == reverse("portal:home")


def test_orders_follow_customer_visibility(company, shop):
    theirs = place(company.agent, PartyFactory(owner=company.far_rep), (shop.tea, 1))
    mine = place(company.rep, shop.consumer, (shop.tea, 1))
    c = login(company.rep)
    listing = c.get(reverse("commerce:orders")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert c.get(reverse("commerce:order", args=[theirs.pk])).status_code == 404
    assert (
        c.post(reverse("commerce:order_pay", args=[theirs.pk]), {"amount": "1"}).status_code == 404
    )


def test_the_360_page_shows_orders_points_and_their_timeline(company, shop):
    order = place_paid(company.rep, shop.consumer, (shop.tea, 3))
    page = login(company.rep).get(reverse("customers:detail", args=[shop.consumer.pk]))
    text = page.content.decode()
    assert order.number in text and 'id="orders-panel"' in text
    assert "27" in text  # member price 270 → 27 points, on the panel and the timeline


def test_a_marketer_announces_a_product_to_consenting_subscribers(
    company, shop, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from guanxi.commerce.models import ProductAnnouncement, ProductNewsSubscription
    from guanxi.core.models import OutboundMessage
    from guanxi.customers.models import Consent

    ProductNewsSubscription.objects.create(party=shop.consumer, channel="sms")
    Consent.objects.create(
        party=shop.consumer,
        channel="sms",
        status="granted",
        method="web_form",
        recorded_at=timezone.now(),
    )
    assert login(company.rep).get(reverse("commerce:announcements")).status_code == 403
    c = login(company.marketer)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(
            reverse("commerce:announcements"),
            {"product": shop.pot.pk, "title": "新品：养生壶", "body": "会员价 230 元"},
        )
    announcement = ProductAnnouncement.objects.get()
    assert announcement.sent_at and announcement.recipients == 1  # the worker ran it
    assert OutboundMessage.objects.get(purpose="product_news").recipient == "+8613800000001"
    bad = c.post(reverse("commerce:announcements"), {"product": shop.pot.pk, "title": ""})
    assert bad.status_code == 200 and ProductAnnouncement.objects.count() == 1


def test_the_order_list_filters_by_seller_and_day(company, shop):
    import datetime

    from django.utils import timezone

    day = timezone.make_aware(datetime.datetime(2026, 10, 8, 23, 50))  # Shanghai time
    sold = place(company.rep, shop.consumer, (shop.tea, 1), seller=shop.ibo, now=day)
    other = place(company.rep, shop.consumer, (shop.tea, 1))
    c = login(company.rep)
    by_seller = c.get(reverse("commerce:orders"), {"seller": "GX1"}).content.decode()
    assert sold.number in by_seller and other.number not in by_seller
    by_day = c.get(reverse("commerce:orders"), {"from": "2026-10-08", "to": "2026-10-08"})
    assert sold.number in by_day.content.decode() and other.number not in by_day.content.decode()
    assert c.get(reverse("commerce:orders"), {"from": "not-a-day"}).status_code == 200


def test_a_manager_adjusts_points_from_the_360_page(company, shop):
    from guanxi.commerce.services.points import points_balance

    url = reverse("commerce:points_adjust", args=[shop.consumer.pk])
    login(company.rep).post(url, {"points": "50", "note": "x"})
    assert points_balance(shop.consumer.pk) == 0
    c = login(company.manager)
    c.post(url, {"points": "50", "note": "服务补偿"})
    assert points_balance(shop.consumer.pk) == 50
    page = c.post(url, {"points": "-80", "note": "退单"}, follow=True).content.decode()
    assert "Not enough points" in page and points_balance(shop.consumer.pk) == 50


def test_staff_pause_and_cancel_an_auto_reorder_from_the_360_page(company, shop):
    from guanxi.commerce.services.subscriptions import subscription_create

    sub = subscription_create(actor=company.rep, customer=shop.consumer, product=shop.tea,
                              quantity=1, every_weeks=4)  # fmt: skip
    url = reverse("commerce:subscription", args=[sub.pk])
    assert login(company.far_rep).post(url, {"action": "pause"}).status_code == 404
    c = login(company.rep)
    assert "灵芝茶" in c.get(reverse("customers:detail", args=[shop.consumer.pk])).content.decode()
    c.post(url, {"action": "pause"})
    sub.refresh_from_db()
    assert sub.status == "paused"
    c.post(url, {"action": "cancel"})
    sub.refresh_from_db()
    assert sub.status == "cancelled"
