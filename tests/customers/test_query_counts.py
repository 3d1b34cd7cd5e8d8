"""Query-count baselines: pages must not grow queries with the number of rows (N+1)."""

import datetime

from django.utils import timezone

from guanxi.customers import services
from tests.conftest import api_client, login
from tests.factories import ContactPointFactory, InteractionFactory, PartyFactory


def _fill(company, n):
    for _ in range(n):
        party = PartyFactory(owner=company.rep)
        ContactPointFactory(party=party)
        InteractionFactory(party=party, actor=company.rep)


def test_list_page_queries_do_not_grow_with_rows(company, django_assert_max_num_queries):
    _fill(company, 3)
    client = login(company.rep)
    with django_assert_max_num_queries(8):
        client.get("/customers/")
    _fill(company, 40)
    with django_assert_max_num_queries(8):
        client.get("/customers/")


def test_360_page_queries_do_not_grow_with_history(company, django_assert_max_num_queries):
    party = PartyFactory(owner=company.rep)
    now = timezone.now()
    for i in range(30):
        services.interaction_log(
            actor=company.rep,
            party=party,
            kind="call",
            occurred_at=now - datetime.timedelta(hours=i),
        )
        ContactPointFactory(party=party) if i < 5 else None
    client = login(company.rep)
    # A few queries per timeline source and side panel, one for the approvals badge in
    # the menu; none grows with the history. Each app's panel asks about the user's rights
    # on the customer; the page remembers the answers, so each right costs one EXISTS.
    with django_assert_max_num_queries(35):
        client.get(f"/customers/{party.pk}/")
    with django_assert_max_num_queries(8):
        client.get(f"/customers/{party.pk}/history/")


def test_api_list_queries_do_not_grow_with_rows(company, django_assert_max_num_queries):
    _fill(company, 40)
    client = api_client(company.rep)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/parties", {"limit": 50})


def test_export_queries_do_not_grow_with_rows(company, django_assert_max_num_queries):
    _fill(company, 3)
    client = login(company.manager)
    with django_assert_max_num_queries(8):
        small = b"".join(client.get("/customers/export.csv").streaming_content)
    _fill(company, 40)
    with django_assert_max_num_queries(8):
        large = b"".join(client.get("/customers/export.csv").streaming_content)
    assert large.count(b"\n") == small.count(b"\n") + 40
    assert large.count(b",138 ") >= 40  # each row carries its mobile, as people write it
