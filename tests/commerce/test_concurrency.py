"""Concurrent redemptions never overdraw a balance (PostgreSQL: real parallel
transactions; SQLite runs one writer at a time by design)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from guanxi.commerce.services.points import points_adjust, points_balance
from guanxi.commerce.services.redemption import points_redeem
from tests.commerce.conftest import SHIP

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def test_parallel_redemptions_never_overdraw(company, shop):
    points_adjust(actor=company.admin, party=shop.consumer, points=1500, note="测试")
    start = threading.Barrier(8)
    outcomes = []

    def redeem():
        try:
            start.wait()
            points_redeem(
                actor=shop.consumer_user, customer=shop.consumer, product=shop.gift, ship_to=SHIP
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3 and outcomes.count("refused") == 5
    assert points_balance(shop.consumer.pk) == 0
