"""The 360 timeline registry: other apps plug in; pages merge newest first, keyset-paged."""

import datetime

import pytest
from django.utils import timezone

from guanxi.customers import services, timeline
from guanxi.customers.timeline import TimelineEntry
from tests.conftest import login


@pytest.fixture
def order_source():
    """A stand-in for a later app (orders) registering its entries."""
    base = timezone.now() - datetime.timedelta(days=1)
    orders = [
        TimelineEntry(
            at=base - datetime.timedelta(hours=i),
            key=f"order:{i:04d}",
            category="order",
            title=f"订单 #{i}",
        )
        for i in range(5)
    ]

    def source(party, user, before, limit):
        rows = [o for o in orders if before is None or o.at <= before]
        return rows[:limit]

    timeline.register("order", "Orders", source)
    yield orders
    timeline._sources.pop("order")


def test_entries_from_all_sources_merge_newest_first_and_page(company, records, order_source):
    party = records["own"]
    now = timezone.now()
    for i in range(4):
        services.interaction_log(
            actor=company.rep,
            party=party,
            kind="call",
            subject=f"电话{i}",
            occurred_at=now - datetime.timedelta(hours=6 * i),
        )
    seen, cursor = [], None
    while True:
        page, cursor = timeline.timeline_page(party, company.rep, cursor=cursor, limit=3)
        seen.extend(page)
        if cursor is None:
            break
    assert len(seen) == 9
    assert len({e.key for e in seen}) == 9
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)
    assert {e.category for e in seen} == {"interaction", "order"}


def test_entries_sharing_a_timestamp_are_not_lost_across_pages(company, records):
    party = records["own"]
    moment = timezone.now() - datetime.timedelta(minutes=5)
    for i in range(7):
        services.interaction_log(
            actor=company.rep, party=party, kind="note", subject=str(i), occurred_at=moment
        )
    seen, cursor = [], None
    while True:
        page, cursor = timeline.timeline_page(party, company.rep, cursor=cursor, limit=2)
        seen.extend(page)
        if cursor is None:
            break
    assert len(seen) == 7
    assert len({e.key for e in seen}) == 7


def test_garbage_cursor_starts_from_the_top(company, records):
    logged = services.interaction_log(actor=company.rep, party=records["own"], kind="call")
    page, _next = timeline.timeline_page(records["own"], company.rep, cursor="%%%not-base64")
    assert [e.key for e in page] == [f"interaction:{logged.pk:012d}"]


def test_360_page_shows_registered_entries_without_importing_apps(company, records, order_source):
    html = login(company.rep).get(f"/customers/{records['own'].pk}/").content.decode()
    assert "订单 #0" in html
    more = login(company.rep).get(f"/customers/{records['own'].pk}/timeline/").content.decode()
    assert "订单 #0" in more
