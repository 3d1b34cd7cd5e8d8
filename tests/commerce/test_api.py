"""Staff REST API of commerce: the uniform resource tests, the order lifecycle, returns,
points and auto-reorders through HTTP, with visibility answering 404."""

import datetime

import pytest
from django.utils import timezone

from guanxi.commerce.models import PriceListItem, Product, Subscription
from guanxi.commerce.services.points import points_adjust, points_balance
from guanxi.commerce.services.returns import return_request
from guanxi.commerce.services.subscriptions import subscription_create
from guanxi.core.models import AuditEvent
from tests.api_base import ApiResourceTests
from tests.commerce.conftest import place, place_paid
from tests.conftest import api_client
from tests.factories import PartyFactory

SHIP = {"name": "王芳", "phone": "13800000000", "province": "上海市", "address": "世纪大道1号"}


def post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


def patch(client, url, payload):
    return client.patch(url, payload, content_type="application/json")


class WithShop:
    @pytest.fixture(autouse=True)
    def _shop(self, shop):
        self.shop = shop


class TestOrderApi(WithShop, ApiResourceTests):
    list_url = "/api/v1/orders"
    detail_url = "/api/v1/orders/{pk}"
    create_url = "/api/v1/orders"
    invalid_field = "ship_to_address"

    def make(self, company, owner, party=None):
        return place(owner, party or PartyFactory(owner=owner), (self.shop.tea, 1))

    def valid_payload(self, company):
        return {
            "customer_id": PartyFactory(owner=company.rep).pk,
            "channel": "call_centre",
            "lines": [{"product_id": self.shop.tea.pk, "quantity": 2}],
            "ship_to": SHIP,
        }

    def invalid_payload(self, company):
        return {**self.valid_payload(company), "ship_to": {**SHIP, "address": " "}}


class TestReturnApi(WithShop, ApiResourceTests):
    list_url = "/api/v1/returns"
    detail_url = "/api/v1/returns/{pk}"
    create_url = "/api/v1/returns"
    invalid_field = "unopened"

    def make(self, company, owner, party=None):
        order = place_paid(owner, party or PartyFactory(owner=owner), (self.shop.tea, 2))
        line = order.lines.get()
        return return_request(actor=owner, order=order, quantities={line.pk: 1}, unopened=True)

    def valid_payload(self, company):
        order = place_paid(company.rep, PartyFactory(owner=company.rep), (self.shop.tea, 2))
        line = order.lines.get()
        lines = [{"order_line_id": line.pk, "quantity": 1}]
        return {"order_id": order.pk, "lines": lines, "unopened": True, "reason": "不需要了"}

    def invalid_payload(self, company):
        return {**self.valid_payload(company), "unopened": False}


class TestSubscriptionApi(WithShop, ApiResourceTests):
    list_url = "/api/v1/subscriptions"
    detail_url = "/api/v1/subscriptions/{pk}"
    create_url = "/api/v1/subscriptions"
    invalid_field = "every_weeks"

    def make(self, company, owner, party=None):
        return subscription_create(
            actor=owner,
            customer=party or PartyFactory(owner=owner),
            product=self.shop.tea,
            quantity=1,
            every_weeks=4,
        )

    def valid_payload(self, company):
        customer = PartyFactory(owner=company.rep).pk
        return {"customer_id": customer, "product_id": self.shop.tea.pk, "every_weeks": 4}

    def invalid_payload(self, company):
        return {**self.valid_payload(company), "every_weeks": 0}


class TestPointsEntryApi(WithShop, ApiResourceTests):
    list_url = "/api/v1/parties/{party}/points/entries"

    def make(self, company, owner, party):
        return points_adjust(actor=company.admin, party=party, points=10, note="补偿")


# Catalogue ------------------------------------------------------------------------------


def test_products_are_listed_with_prices_and_filtered(company, shop):
    shop.pot.is_active = False
    shop.pot.save()
    client = api_client(company.rep)
    rows = client.get("/api/v1/products", {"active": True}).json()["items"]
    assert {r["sku"] for r in rows} == {"TEA-1", "GIFT-1"}
    tea = client.get(f"/api/v1/products/{shop.tea.pk}").json()
    assert tea["prices"] == {"retail": "100.00", "member": "90.00", "distributor": "80.00"}
    assert (tea["pv"], tea["bv"], tea["category_name"]) == ("40.00", "60.00", "营养保健")
    assert client.get("/api/v1/products", {"active": False}).json()["items"][0]["sku"] == "POT-1"
    other = client.get("/api/v1/products", {"category_id": shop.tea.category_id + 1})
    assert other.json()["items"] == []
    assert client.get("/api/v1/products", {"q": "灵芝"}).json()["items"][0]["id"] == shop.tea.pk
    assert client.get("/api/v1/products/999999").status_code == 404
    assert client.get("/api/v1/product-categories").json()[0]["name"] == "营养保健"


def test_products_are_created_and_changed_with_the_catalogue_right(company, shop):
    payload = {
        "sku": "OIL-1",
        "name": "深海鱼油",
        "category_id": shop.tea.category_id,
        "pv": "30",
        "bv": "45.50",
        "redemption_points": 800,
        "prices": {"retail": "199", "member": "179.00"},
    }
    assert post(api_client(company.rep), "/api/v1/products", payload).status_code == 403
    client = api_client(company.marketer)
    made = post(client, "/api/v1/products", payload)
    assert made.status_code == 201, made.content
    assert made.json()["prices"] == {"retail": "199.00", "member": "179.00"}
    product = Product.objects.get(sku="OIL-1")
    assert AuditEvent.objects.filter(object_type="commerce.product", action="create").exists()
    again = post(client, "/api/v1/products", payload)
    assert again.status_code == 422 and "sku" in again.json()["errors"]
    unknown = post(client, "/api/v1/products", {**payload, "sku": "X", "category_id": 999})
    assert unknown.status_code == 422 and "category_id" in unknown.json()["errors"]
    negative = post(client, "/api/v1/products", {**payload, "sku": "Y", "prices": {"retail": -1}})
    assert negative.status_code == 422 and "prices" in negative.content.decode()
    bad_sku = post(client, "/api/v1/products", {**payload, "sku": "有 空格"})
    assert bad_sku.status_code == 422 and "sku" in bad_sku.json()["errors"]

    url = f"/api/v1/products/{product.pk}"
    changed = patch(client, url, {"name": "鱼油", "prices": {"member": None, "retail": 189}})
    assert changed.status_code == 200
    assert changed.json()["prices"] == {"retail": "189.00"}
    assert changed.json()["name"] == "鱼油"
    update = AuditEvent.objects.get(object_type="commerce.product", action="update")
    assert update.changes["price:retail"] == ["199.00", "189.00"]
    assert patch(client, url, {"name": None}).status_code == 422
    assert patch(client, url, {"redemption_points": None}).json()["redemption_points"] is None
    assert patch(api_client(company.rep), url, {"name": "x"}).status_code == 403
    assert not PriceListItem.objects.filter(product=product, price_list__kind="member").exists()


# Orders ---------------------------------------------------------------------------------


def test_order_filters(company, shop):
    first = place(company.rep, shop.consumer, (shop.tea, 1))
    paid = place_paid(company.rep, shop.consumer, (shop.pot, 1), channel="showroom")
    other = place(company.rep, PartyFactory(owner=company.rep), (shop.tea, 1))
    client = api_client(company.rep)

    def ids(**params):
        response = client.get("/api/v1/orders", params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["items"]}

    assert ids() == {first.pk, paid.pk, other.pk}
    assert ids(status="paid") == {paid.pk}
    assert ids(channel="showroom") == {paid.pk}
    assert ids(customer_id=shop.consumer.pk) == {first.pk, paid.pk}
    today = timezone.localdate().isoformat()
    assert ids(placed_from=today, placed_to=today) == {first.pk, paid.pk, other.pk}
    assert ids(placed_to="2020-01-01") == set()
    bad = client.get("/api/v1/orders", {"placed_from": today, "placed_to": "2020-01-01"})
    assert bad.status_code == 422 and "placed_to" in bad.json()["errors"]
    assert client.get("/api/v1/orders", {"status": "lost"}).status_code == 422
    assert ids() == ids(limit=200)


def test_an_order_through_its_whole_life(company, shop):
    rep, manager = api_client(company.rep), api_client(company.manager)
    made = post(
        rep,
        "/api/v1/orders",
        {
            "customer_id": shop.consumer.pk,
            "channel": "call_centre",
            "lines": [{"product_id": shop.tea.pk, "quantity": 2}],
            "ship_to": SHIP,
            "seller_id": shop.ibo.pk,
            "response_code": "DM2611",
            "shipping_fee": "12.00",
        },
    )
    assert made.status_code == 201, made.content
    order = made.json()
    assert (order["status"], order["price_list"], order["total"]) == (
        "received",
        "member",
        "192.00",
    )
    assert order["seller_id"] == shop.ibo.pk and order["placed_by_id"] == company.rep.pk
    assert order["lines"][0]["sku"] == "TEA-1" and order["events"][0]["kind"] == "placed"
    url = f"/api/v1/orders/{order['id']}"

    too_much = post(rep, f"{url}/payments", {"amount": "500", "method": "alipay"})
    assert too_much.status_code == 422 and "amount" in too_much.json()["errors"]
    bad_method = post(rep, f"{url}/payments", {"amount": "1", "method": "shells"})
    assert bad_method.status_code == 422 and "method" in bad_method.content.decode()
    assert post(rep, f"{url}/payments", {"amount": "92", "method": "alipay"}).status_code == 201
    paid = post(rep, f"{url}/payments", {"amount": "100", "method": "wechat_pay"})
    assert paid.json()["status"] == "paid" and len(paid.json()["payments"]) == 2
    assert points_balance(shop.consumer.pk) == 18  # 180 of goods, 1 point per 10

    assert post(rep, f"{url}/advance", {"status": "packed"}).status_code == 403
    assert post(manager, f"{url}/advance", {"status": "shipped"}).status_code == 422
    assert post(manager, f"{url}/advance", {"status": "packed"}).json()["status"] == "packed"
    untracked = post(manager, f"{url}/advance", {"status": "shipped"})
    assert "tracking_number" in untracked.json()["errors"]
    shipped = {"status": "shipped", "courier": "顺丰", "tracking_number": "SF123"}
    assert post(manager, f"{url}/advance", shipped).json()["tracking_number"] == "SF123"
    done = post(manager, f"{url}/advance", {"status": "delivered"}).json()
    assert done["delivered_at"] and [e["kind"] for e in done["events"]][:2] == [
        "delivered",
        "shipped",
    ]
    refused = post(rep, f"{url}/cancel", {"reason": "不要了"})
    assert refused.status_code == 422 and "status" in refused.json()["errors"]


def test_cancelling_an_unpaid_order(company, shop):
    order = place(company.rep, shop.consumer, (shop.tea, 1))
    response = post(api_client(company.rep), f"/api/v1/orders/{order.pk}/cancel", {"reason": "x"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_orders_of_customers_the_user_cannot_see_are_404_for_every_action(company, shop):
    theirs = PartyFactory(owner=company.far_rep)
    order = place_paid(company.far_rep, theirs, (shop.tea, 1))
    rep = api_client(company.rep)
    base = f"/api/v1/orders/{order.pk}"
    assert rep.get(base).status_code == 404
    assert post(rep, f"{base}/payments", {"amount": "1", "method": "cash"}).status_code == 404
    assert post(rep, f"{base}/advance", {"status": "packed"}).status_code == 404
    assert post(rep, f"{base}/cancel").status_code == 404
    line = order.lines.get().pk
    ask = {"order_id": order.pk, "lines": [{"order_line_id": line, "quantity": 1}], "unopened": 1}
    assert post(rep, "/api/v1/returns", ask).status_code == 404
    lines = [{"product_id": shop.tea.pk, "quantity": 1}]
    create = {"customer_id": theirs.pk, "channel": "call_centre", "lines": lines, "ship_to": SHIP}
    assert post(rep, "/api/v1/orders", create).status_code == 404
    assert rep.get("/api/v1/orders", {"customer_id": theirs.pk}).json()["items"] == []
    assert rep.get(f"/api/v1/parties/{theirs.pk}/points").status_code == 404
    assert api_client(company.manager).get(base).status_code == 404  # another region
    assert api_client(company.admin).get(base).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"product_id": 999999, "quantity": 1}]}, "lines"),
        ({"lines": [{"product_id": 1, "quantity": 0}]}, "quantity"),
        ({"channel": "redemption"}, "channel"),
        ({"channel": "telepathy"}, "channel"),
        ({"seller_id": 999999}, "seller_id"),
        ({"shipping_fee": "-1"}, "shipping_fee"),
        ({"fulfilment": "drone"}, "fulfilment"),
        ({"customer_id": 2**63}, "customer_id"),
    ],
)
def test_bad_orders_answer_422_with_the_field(company, shop, change, field):
    payload = {
        "customer_id": shop.consumer.pk,
        "channel": "call_centre",
        "lines": [{"product_id": shop.tea.pk, "quantity": 1}],
        "ship_to": SHIP,
        **change,
    }
    response = post(api_client(company.rep), "/api/v1/orders", payload)
    assert response.status_code == 422, response.content
    assert field in response.content.decode()


def test_malformed_ids_and_bodies_are_4xx(company, shop):
    client = api_client(company.rep)
    assert client.get(f"/api/v1/orders/{2**63}").status_code == 422
    assert client.get("/api/v1/orders/abc").status_code in (404, 422)
    bad = client.post("/api/v1/orders/1/payments", "[", content_type="application/json")
    assert 400 <= bad.status_code < 500


def test_staff_endpoints_refuse_portal_logins(shop):
    client = api_client(shop.consumer_user)
    for url in ["/api/v1/orders", "/api/v1/products", "/api/v1/returns", "/api/v1/subscriptions"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "/api/v1/portal/" in response.json()["detail"]


# Returns --------------------------------------------------------------------------------


def test_returns_queue_overdue_receive_reject_refund(company, shop):
    long_ago = timezone.now() - datetime.timedelta(days=10)
    old = place_paid(company.rep, shop.consumer, (shop.tea, 2), now=long_ago)
    line = old.lines.get()
    late = return_request(
        actor=company.rep, order=old, quantities={line.pk: 1}, unopened=True, now=long_ago
    )
    fresh = return_request(actor=company.rep, order=old, quantities={line.pk: 1}, unopened=True)
    manager, rep = api_client(company.manager), api_client(company.rep)
    overdue = manager.get("/api/v1/returns", {"overdue": True}).json()["items"]
    assert [r["id"] for r in overdue] == [late.pk]
    both = {r["id"] for r in manager.get("/api/v1/returns", {"open": True}).json()["items"]}
    assert both == {late.pk, fresh.pk}

    assert post(rep, f"/api/v1/returns/{late.pk}/receive").status_code == 403
    received = post(manager, f"/api/v1/returns/{late.pk}/receive")
    assert received.json()["status"] == "received"
    refunded = post(manager, f"/api/v1/returns/{late.pk}/refund", {"method": "alipay"}).json()
    assert (refunded["status"], refunded["refund_amount"]) == ("refunded", "90.00")
    again = post(manager, f"/api/v1/returns/{late.pk}/refund", {"method": "alipay"})
    assert again.status_code == 422 and "status" in again.json()["errors"]

    why = post(manager, f"/api/v1/returns/{fresh.pk}/reject", {"note": " "})
    assert why.status_code == 422 and "decision_note" in why.json()["errors"]
    rejected = post(manager, f"/api/v1/returns/{fresh.pk}/reject", {"note": "已拆封"}).json()
    assert rejected["status"] == "rejected"
    closed = manager.get("/api/v1/returns", {"open": False, "status": "refunded"}).json()
    assert [r["id"] for r in closed["items"]] == [late.pk]
    detail = manager.get(f"/api/v1/returns/{late.pk}").json()
    assert detail["lines"][0]["product_id"] == shop.tea.pk and detail["order_number"] == old.number


# Points ---------------------------------------------------------------------------------


def test_points_balance_entries_and_adjustments(company, shop):
    manager, rep = api_client(company.manager), api_client(company.rep)
    url = f"/api/v1/parties/{shop.consumer.pk}/points"
    give = post(manager, f"{url}/adjustments", {"points": 300, "note": "生日礼"})
    assert give.status_code == 201 and give.json()["kind"] == "adjust"
    assert post(rep, f"{url}/adjustments", {"points": 5, "note": "x"}).status_code == 403
    overdraw = post(manager, f"{url}/adjustments", {"points": -301, "note": "纠正"})
    assert overdraw.status_code == 422 and "points" in overdraw.json()["errors"]
    zero = post(manager, f"{url}/adjustments", {"points": 0, "note": "纠正"})
    assert zero.status_code == 422 and "points" in zero.json()["errors"]
    no_note = post(manager, f"{url}/adjustments", {"points": 1, "note": ""})
    assert no_note.status_code == 422 and "note" in no_note.json()["errors"]
    place_paid(company.rep, shop.consumer, (shop.tea, 1))
    assert rep.get(url).json() == {"party_id": shop.consumer.pk, "balance": 309}
    entries = rep.get(f"{url}/entries").json()["items"]
    assert [(e["kind"], e["points"]) for e in entries] == [("earn", 9), ("adjust", 300)]


# Auto-reorders --------------------------------------------------------------------------


def test_auto_reorder_pause_resume_skip_cancel(company, shop):
    sub = subscription_create(
        actor=company.rep, customer=shop.consumer, product=shop.tea, quantity=2, every_weeks=4
    )
    client = api_client(company.rep)
    url = f"/api/v1/subscriptions/{sub.pk}"
    assert post(client, f"{url}/resume").status_code == 422
    assert post(client, f"{url}/pause").json()["status"] == "paused"
    assert post(client, f"{url}/resume").json()["status"] == "active"
    skipped = post(client, f"{url}/skip").json()
    assert skipped["next_run_on"] == (sub.next_run_on + datetime.timedelta(weeks=4)).isoformat()
    assert post(client, f"{url}/explode").status_code == 422
    assert post(client, f"{url}/cancel").json()["status"] == "cancelled"
    assert post(client, f"{url}/pause").status_code == 422
    rows = client.get("/api/v1/subscriptions", {"status": "cancelled"}).json()["items"]
    assert [r["id"] for r in rows] == [sub.pk]
    assert Subscription.objects.get().status == "cancelled"
    past = {
        "customer_id": shop.consumer.pk,
        "product_id": shop.tea.pk,
        "every_weeks": 2,
        "first_on": "2020-01-01",
    }
    response = post(client, "/api/v1/subscriptions", past)
    assert response.status_code == 422 and "next_run_on" in response.json()["errors"]
    unknown = post(client, "/api/v1/subscriptions", {**past, "product_id": 999999})
    assert unknown.status_code == 422 and "product_id" in unknown.json()["errors"]


# Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/orders", "/api/v1/products", "/api/v1/returns", "/api/v1/subscriptions"]
)
def test_lists_use_a_constant_number_of_queries(company, shop, url, django_assert_max_num_queries):
    client = api_client(company.rep)

    def grow():
        customer = PartyFactory(owner=company.rep)
        order = place_paid(company.rep, customer, (shop.tea, 2), (shop.pot, 1))
        line = order.lines.first()
        return_request(actor=company.rep, order=order, quantities={line.pk: 1}, unopened=True)
        subscription_create(
            actor=company.rep, customer=customer, product=shop.tea, quantity=1, every_weeks=2
        )

    grow()
    with django_assert_max_num_queries(50) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        grow()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
