"""The month's catch-up posting: the entries posting at payment would make, never twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanxi.commerce.models import Order
from guanxi.commerce.services.volume_batch import volume_post_period
from guanxi.network.models import VolumeEntry
from tests.commerce.conftest import place, place_paid
from tests.factories import PartyFactory

PAID = timezone.make_aware(datetime.datetime(2026, 9, 30, 23, 30))  # Shanghai time
FIELDS = ("distributor_id", "date", "period", "booked_period", "pv", "bv", "amount", "kind",
          "region")  # fmt: skip


def _loaded_paid(order: Order) -> None:
    """An order settled in another system and loaded as paid: nothing posted its volume."""
    Order.objects.filter(pk=order.pk).update(status="paid", paid_at=PAID, amount_paid=order.total)


def test_catch_up_posts_what_the_ledger_lacks_once(company, shop):
    live = place_paid(company.rep, PartyFactory(owner=company.rep), (shop.tea, 2),
                      seller=shop.ibo, now=PAID)  # fmt: skip
    twin = place(company.rep, PartyFactory(owner=company.rep), (shop.tea, 2), seller=shop.ibo)
    own = place(shop.ibo_user, shop.ibo.party, (shop.pot, 1), channel="portal")
    nobody = place(company.rep, PartyFactory(owner=company.rep), (shop.tea, 1))  # no IBO
    for order in (twin, own, nobody):
        _loaded_paid(order)
    assert volume_post_period(period="2026-09", chunk=1) == {"orders": 4, "posted": 2}
    entries = {v.source_ref: v for v in VolumeEntry.objects.all()}
    assert set(entries) == {f"order:{o.number}" for o in (live, twin, own)}
    by_batch, by_payment = entries[f"order:{twin.number}"], entries[f"order:{live.number}"]
    assert [getattr(by_batch, f) for f in FIELDS] == [getattr(by_payment, f) for f in FIELDS]
    assert by_batch.date == datetime.date(2026, 9, 30) and by_batch.region == "上海市"
    assert entries[f"order:{own.number}"].distributor == shop.ibo
    assert entries[f"order:{own.number}"].amount == Decimal(200)  # the distributor price
    assert volume_post_period(period="2026-09") == {"orders": 4, "posted": 0}
    assert volume_post_period(period="2026-10") == {"orders": 0, "posted": 0}


def test_the_posting_starts_at_the_first_order_paid_in_the_month(company, shop):
    def sold(**paid):
        customer = PartyFactory(owner=company.rep)
        if paid:
            return place_paid(company.rep, customer, (shop.tea, 1), seller=shop.ibo, **paid)
        return place(company.rep, customer, (shop.tea, 1), seller=shop.ibo)

    august = {"now": PAID - datetime.timedelta(days=40)}  # paid and posted the month before
    _before, early, _between, late = sold(**august), sold(), sold(**august), sold()
    for order in (early, late):  # placed a while apart, both paid in September
        _loaded_paid(order)
    with CaptureQueriesContext(connection) as queries:
        assert volume_post_period(period="2026-09") == {"orders": 2, "posted": 2}
    chunk_reads = [
        q["sql"] for q in queries if "LIMIT" in q["sql"] and "commerce_order" in q["sql"]
    ]
    assert f'"commerce_order"."id" > {early.pk - 1}' in chunk_reads[0]  # not from id 0
    posted = VolumeEntry.objects.filter(period="2026-09").values_list("source_ref", flat=True)
    assert set(posted) == {f"order:{early.number}", f"order:{late.number}"}


def test_the_command_reports_and_refuses_a_bad_period(company, shop, capsys):
    _loaded_paid(
        place(company.rep, PartyFactory(owner=company.rep), (shop.tea, 1), seller=shop.ibo)
    )
    call_command("post_volume", "--period", "2026-09")
    assert "1 posted" in capsys.readouterr().out
    assert VolumeEntry.objects.get().amount == Decimal(100)
    with pytest.raises(CommandError):
        call_command("post_volume", "--period", "2026-13")
