"""The 360 timeline registry: other apps plug in; pages merge newest first, keyset-paged."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.customers import services, timeline
from guanxi.customers.models import Interaction
from guanxi.customers.timeline import TimelineEntry
from tests.conftest import login


def walk(party, user, limit):
    """Every entry, following next-page cursors from the top."""
    seen, cursor = [], None
    while True:
        page, cursor = timeline.timeline_page(party, user, cursor=cursor, limit=limit)
        seen.extend(page)
        if cursor is None:
            return seen


@pytest.fixture
def order_source():
    """A stand-in for a later app (orders) registering its entries."""
    base = timezone.now() - datetime.timedelta(days=1)
    orders = [
        TimelineEntry(
            at=base - datetime.timedelta(hours=i),
            key=f"order:{i:012d}",
            category="order",
            title=f"订单 #{i}",
        )
        for i in range(5)
    ]

    def source(party, user, before, limit):
        rows = [o for o in orders if before is None or (o.at, o.key) < before]
        return sorted(rows, key=lambda o: (o.at, o.key), reverse=True)[:limit]

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
    seen = walk(party, company.rep, limit=3)
    assert len({e.key for e in seen}) == len(seen) == 9
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)
    assert {e.category for e in seen} == {"interaction", "order"}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    minutes=st.lists(st.integers(min_value=0, max_value=1), min_size=0, max_size=30),
    limit=st.integers(min_value=1, max_value=7),
)
def test_paging_returns_every_entry_once_in_order_even_with_ties(company, records, minutes, limit):
    """Many entries share a timestamp (as imports produce); none is lost or repeated."""
    party = records["own"]
    Interaction.objects.filter(party=party).delete()
    base = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    Interaction.objects.bulk_create(
        [
            Interaction(
                party=party,
                kind="note",
                occurred_at=base - datetime.timedelta(minutes=m),
                actor=company.rep,
            )
            for m in minutes
        ]
    )
    seen = walk(party, company.rep, limit=limit)
    assert len(seen) == len(minutes)
    assert len({e.key for e in seen}) == len(minutes)
    assert [(e.at, e.key) for e in seen] == sorted(((e.at, e.key) for e in seen), reverse=True)


def test_garbage_cursor_starts_from_the_top(company, records):
    logged = services.interaction_log(actor=company.rep, party=records["own"], kind="call")
    page, _next = timeline.timeline_page(records["own"], company.rep, cursor="%%%not-base64")
    assert [e.key for e in page] == [timeline.entry_key("interaction", logged.pk)]


def test_360_page_shows_registered_entries_without_importing_apps(company, records, order_source):
    html = login(company.rep).get(f"/customers/{records['own'].pk}/").content.decode()
    assert "订单 #0" in html
    more = login(company.rep).get(f"/customers/{records['own'].pk}/timeline/").content.decode()
    assert "订单 #0" in more
