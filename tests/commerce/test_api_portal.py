"""Portal REST API: a consumer or IBO sees only their own window, whatever id they try;
redemptions through HTTP never overdraw, even in parallel on PostgreSQL."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.db.models import Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.commerce.models import Order, PointsEntry
from guanxi.commerce.services.points import points_adjust, points_balance
from guanxi.commerce.services.returns import return_request
from guanxi.commerce.services.subscriptions import subscription_create
from guanxi.core.choices import UserKind
from guanxi.core.services.tokens import api_token_create
from tests.commerce.conftest import place, place_paid
from tests.conftest import api_client
from tests.factories import PartyFactory, UserFactory

SHIP = {"name": "王芳", "phone": "13800000000", "province": "上海市", "address": "世纪大道1号"}


def post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


@pytest.fixture
def neighbour(company):
    """Another consumer with a portal login."""
    party = PartyFactory(name="赵敏", owner=company.rep)
    user = UserFactory(username="zhaomin", kind=UserKind.CONSUMER, party=party, org_unit=None)
    return party, user


def test_me_summarises_the_login(company, shop):
    points_adjust(actor=company.admin, party=shop.consumer, points=120, note="欢迎")
    place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal")
    me = api_client(shop.consumer_user).get("/api/v1/portal/me").json()
    assert me == {
        "party_id": shop.consumer.pk,
        "name": "王芳",
        "user_kind": "consumer",
        "member_id": None,
        "price_list": "member",
        "points_balance": 120,
        "open_orders": 1,
        "active_subscriptions": 0,
    }
    ibo = api_client(shop.ibo_user).get("/api/v1/portal/me").json()
    assert (ibo["member_id"], ibo["price_list"]) == ("GX1", "distributor")


def test_portal_endpoints_refuse_staff_and_anonymous(client, company):
    assert client.get("/api/v1/portal/orders").status_code == 401
    staff = api_client(company.admin).get("/api/v1/portal/orders")
    assert staff.status_code == 403 and staff.json()["detail"]


def test_products_show_my_price(shop):
    rows = api_client(shop.consumer_user).get("/api/v1/portal/products").json()["items"]
    prices = {r["sku"]: r["price"] for r in rows}
    assert prices == {"TEA-1": "90.00", "POT-1": "230.00", "GIFT-1": None}
    ibo = api_client(shop.ibo_user).get("/api/v1/portal/products", {"redeemable": True}).json()
    assert [(r["sku"], r["redemption_points"]) for r in ibo["items"]] == [("GIFT-1", 500)]


def test_a_consumer_never_sees_another_consumers_order(company, shop, neighbour):
    party, user = neighbour
    theirs = place_paid(company.rep, party, (shop.pot, 1))
    mine = place(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal")
    client = api_client(shop.consumer_user)
    assert client.get(f"/api/v1/portal/orders/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/portal/orders/{theirs.pk}").status_code == 404
    assert post(client, f"/api/v1/portal/orders/{theirs.pk}/cancel").status_code == 404
    line = theirs.lines.get().pk
    ask = {"order_id": theirs.pk, "lines": [{"order_line_id": line, "quantity": 1}]}
    assert post(client, "/api/v1/portal/returns", {**ask, "unopened": True}).status_code == 404
    listed = client.get("/api/v1/portal/orders").json()["items"]
    assert [o["id"] for o in listed] == [mine.pk]
    lines = [{"product_id": shop.tea.pk, "quantity": 1}]
    for_them = {"customer_id": party.pk, "lines": lines, "ship_to": SHIP}
    assert post(client, "/api/v1/portal/orders", for_them).status_code == 404
    assert client.get("/api/v1/portal/orders", {"customer_id": party.pk}).json()["items"] == []
    assert client.get(f"/api/v1/orders/{theirs.pk}").status_code == 403  # staff API: no entry
    sub = subscription_create(  # set up by staff for the neighbour
        actor=company.rep, customer=party, product=shop.tea, quantity=1, every_weeks=4
    )
    assert post(client, f"/api/v1/portal/subscriptions/{sub.pk}/cancel").status_code == 404
    assert client.get("/api/v1/portal/subscriptions").json()["items"] == []
    return_request(actor=company.rep, order=theirs, quantities={line: 1}, unopened=True)
    assert client.get("/api/v1/portal/returns").json()["items"] == []
    points_adjust(actor=company.admin, party=party, points=50, note="x")
    assert client.get("/api/v1/portal/points/entries").json()["items"] == []
    # The order detail a consumer reads carries no staff-only fields.
    detail = client.get(f"/api/v1/portal/orders/{mine.pk}").json()
    assert "placed_by_id" not in detail and "actor_id" not in detail["events"][0]


def test_a_consumer_orders_tracks_and_cancels(shop):
    client = api_client(shop.consumer_user)
    lines = [{"product_id": shop.tea.pk, "quantity": 2}]
    made = post(client, "/api/v1/portal/orders", {"lines": lines, "ship_to": SHIP})
    assert made.status_code == 201, made.content
    order = made.json()
    assert (order["channel"], order["total"], order["seller_id"]) == ("portal", "180.00", None)
    assert Order.objects.get().placed_by is None
    cancelled = post(client, f"/api/v1/portal/orders/{order['id']}/cancel", {"reason": "重复"})
    assert cancelled.json()["status"] == "cancelled"
    rows = client.get("/api/v1/portal/orders", {"status": "cancelled"}).json()["items"]
    assert [r["id"] for r in rows] == [order["id"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"product_id": 999999, "quantity": 1}], "ship_to": SHIP}, "lines"),
        ({"lines": [{"product_id": 1, "quantity": 1000}], "ship_to": SHIP}, "quantity"),
        ({"lines": "tea"}, "lines"),
        ({"ship_to": {"name": "x" * 101}}, "name"),
        ({}, "ship_to_name"),
        ({"fulfilment": "pickup", "customer_id": 0}, "customer_id"),
    ],
)
def test_bad_portal_orders_answer_422_with_the_field(shop, payload, field):
    body = {"lines": [{"product_id": shop.tea.pk, "quantity": 1}], **payload}
    response = post(api_client(shop.consumer_user), "/api/v1/portal/orders", body)
    assert response.status_code == 422, response.content
    assert field in response.content.decode()


def test_the_gift_has_no_member_price_so_a_consumer_cannot_buy_it(shop):
    lines = [{"product_id": shop.gift.pk, "quantity": 1}]
    body = {"lines": lines, "ship_to": SHIP}
    response = post(api_client(shop.consumer_user), "/api/v1/portal/orders", body)
    assert response.status_code == 422 and "保温杯" in response.json()["errors"]["lines"][0]


def test_an_ibo_sees_own_orders_and_those_sold_to_customers(company, shop, neighbour):
    party, _user = neighbour
    own = place(shop.ibo_user, shop.ibo.party, (shop.tea, 1), channel="portal")
    sold = place(company.rep, party, (shop.tea, 1), seller=shop.ibo)  # the IBO's customer now
    elsewhere = place(company.rep, party, (shop.tea, 1))  # not sold by the IBO
    stranger = PartyFactory(owner=company.rep)
    client = api_client(shop.ibo_user)

    def ids(**params):
        return {r["id"] for r in client.get("/api/v1/portal/orders", params).json()["items"]}

    assert ids() == {own.pk, sold.pk}
    assert ids(placed_for="me") == {own.pk}
    assert ids(placed_for="customers") == {sold.pk}
    assert client.get(f"/api/v1/portal/orders/{elsewhere.pk}").status_code == 404
    lines = [{"product_id": shop.pot.pk, "quantity": 1}]
    again = post(
        client, "/api/v1/portal/orders", {"customer_id": party.pk, "lines": lines, "ship_to": SHIP}
    )
    assert again.status_code == 201, again.content
    assert (again.json()["channel"], again.json()["seller_id"]) == ("ibo", shop.ibo.pk)
    assert again.json()["price_list"] == "member"  # the customer has a portal login
    unknown = {"customer_id": stranger.pk, "lines": lines, "ship_to": SHIP}
    assert post(client, "/api/v1/portal/orders", unknown).status_code == 404
    self_order = post(client, "/api/v1/portal/orders", {"lines": lines, "ship_to": SHIP}).json()
    assert (self_order["channel"], self_order["total"]) == ("portal", "200.00")
    sub = {"customer_id": party.pk, "product_id": shop.tea.pk, "every_weeks": 6}
    made = post(client, "/api/v1/portal/subscriptions", sub)
    assert made.status_code == 201 and made.json()["seller_id"] == shop.ibo.pk
    assert (
        post(
            client, "/api/v1/portal/subscriptions", {**sub, "customer_id": stranger.pk}
        ).status_code
        == 404
    )


def test_points_and_redemption(company, shop):
    client = api_client(shop.consumer_user)
    points_adjust(actor=company.admin, party=shop.consumer, points=600, note="活动")
    assert client.get("/api/v1/portal/points").json()["balance"] == 600
    redeem = {"product_id": shop.gift.pk, "ship_to": SHIP}
    made = post(client, "/api/v1/portal/points/redemptions", redeem)
    assert made.status_code == 201, made.content
    assert (made.json()["channel"], made.json()["points_spent"]) == ("redemption", 500)
    short = post(client, "/api/v1/portal/points/redemptions", redeem)
    assert short.status_code == 422 and "points" in short.json()["errors"]
    tea = post(client, "/api/v1/portal/points/redemptions", {**redeem, "product_id": shop.tea.pk})
    assert tea.status_code == 422 and "product" in tea.json()["errors"]
    unknown = post(client, "/api/v1/portal/points/redemptions", {**redeem, "product_id": 999999})
    assert unknown.status_code == 422 and "product_id" in unknown.json()["errors"]
    bare = post(client, "/api/v1/portal/points/redemptions", {"product_id": shop.gift.pk})
    assert bare.status_code == 422 and "ship_to_phone" in bare.json()["errors"]
    entries = client.get("/api/v1/portal/points/entries").json()["items"]
    assert [(e["kind"], e["points"]) for e in entries] == [("redeem", -500), ("adjust", 600)]
    assert points_balance(shop.consumer.pk) == 100


def test_auto_reorders_and_returns_from_the_portal(shop):
    client = api_client(shop.consumer_user)
    made = post(
        client,
        "/api/v1/portal/subscriptions",
        {"product_id": shop.tea.pk, "quantity": 2, "every_weeks": 4},
    )
    assert made.status_code == 201, made.content
    url = f"/api/v1/portal/subscriptions/{made.json()['id']}"
    assert post(client, f"{url}/pause").json()["status"] == "paused"
    assert post(client, f"{url}/skip").status_code == 422
    rows = client.get("/api/v1/portal/subscriptions", {"status": "paused"}).json()["items"]
    assert len(rows) == 1
    bad = post(client, "/api/v1/portal/subscriptions", {"product_id": shop.tea.pk, "quantity": 0})
    assert bad.status_code == 422 and "every_weeks" in bad.content.decode()

    order = place_paid(shop.consumer_user, shop.consumer, (shop.tea, 2), channel="portal")
    line = order.lines.get().pk
    ask = {"order_id": order.pk, "lines": [{"order_line_id": line, "quantity": 1}]}
    opened = post(client, "/api/v1/portal/returns", {**ask, "unopened": False})
    assert opened.status_code == 422 and "unopened" in opened.json()["errors"]
    too_many = {**ask, "lines": [{"order_line_id": line, "quantity": 3}], "unopened": True}
    assert "lines" in post(client, "/api/v1/portal/returns", too_many).json()["errors"]
    asked = post(client, "/api/v1/portal/returns", {**ask, "reason": "买多了", "unopened": True})
    assert asked.status_code == 201 and asked.json()["refund_amount"] == "90.00"
    assert [r["id"] for r in client.get("/api/v1/portal/returns").json()["items"]] == [
        asked.json()["id"]
    ]


# Parallel redemptions through HTTP ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
def test_parallel_redemptions_through_http_never_overdraw(live_server, company, shop):
    points_adjust(actor=company.admin, party=shop.consumer, points=1600, note="测试")
    _token, raw = api_token_create(user=shop.consumer_user, name="parallel")
    body = json.dumps({"product_id": shop.gift.pk, "ship_to": SHIP}).encode()
    threads_n = 10
    start = threading.Barrier(threads_n)
    statuses: list[int] = []

    def redeem():
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/portal/points/redemptions",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)

    threads = [threading.Thread(target=redeem) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] * 3 + [422] * (threads_n - 3)
    assert points_balance(shop.consumer.pk) == 100
    # The balance after every entry, in the order they were written, never went negative.
    running = 0
    for points in (
        PointsEntry.objects.filter(party=shop.consumer)
        .order_by("id")
        .values_list("points", flat=True)
    ):
        running += points
        assert running >= 0
    spent = Order.objects.filter(customer=shop.consumer).aggregate(s=Sum("points_spent"))
    assert spent["s"] == 1500


# Whatever the body, the answer is a 4xx with a message, never a 500 ------------------------

ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=12),
    st.sampled_from(["1e400", "NaN", "-Infinity", "99999999999.999", "0.001", "-0", "1"]),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=2),
)
KEYS = [
    "customer_id",
    "order_id",
    "product_id",
    "channel",
    "quantity",
    "every_weeks",
    "first_on",
    "fulfilment",
    "seller_id",
    "price_list",
    "shipping_fee",
    "unopened",
    "reason",
    "note",
    "amount",
    "method",
    "points",
    "sku",
    "name",
    "category_id",
    "pv",
    "prices",
]
LINE = st.fixed_dictionaries(
    {}, optional={"product_id": ODD, "quantity": ODD, "order_line_id": ODD}
)
BODY = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(KEYS, ODD),
        "lines": st.one_of(ODD, st.lists(LINE, max_size=3)),
        "ship_to": st.one_of(ODD, st.fixed_dictionaries({}, optional={"name": ODD})),
    },
)


def test_odd_bodies_never_cause_a_server_error(company, shop):
    order = place_paid(shop.consumer_user, shop.consumer, (shop.tea, 1), channel="portal")
    staff, marketer = api_client(company.rep), api_client(company.marketer)
    consumer = api_client(shop.consumer_user)
    targets = [
        (staff, "/api/v1/orders"),
        (staff, f"/api/v1/orders/{order.pk}/payments"),
        (staff, "/api/v1/returns"),
        (staff, "/api/v1/subscriptions"),
        (staff, f"/api/v1/parties/{shop.consumer.pk}/points/adjustments"),
        (marketer, "/api/v1/products"),
        (marketer, f"/api/v1/products/{shop.tea.pk}"),
        (consumer, "/api/v1/portal/orders"),
        (consumer, "/api/v1/portal/points/redemptions"),
        (consumer, "/api/v1/portal/returns"),
        (consumer, "/api/v1/portal/subscriptions"),
    ]

    @settings(max_examples=60, deadline=None)
    @given(st.sampled_from(targets), BODY)
    def check(target, body):
        client, url = target
        send = client.patch if url.startswith("/api/v1/products/") else client.post
        response = send(url, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (url, body, response.content)
        if response.status_code >= 400:
            assert response.json()["detail"]

    check()
