"""Sales targets (业绩目标): who may set them, and attainment worked out by hand for a
month of contracts, collections and new customers, for reps and their department."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from guanxi.sales.attainment import actuals, attainment_board, percent
from guanxi.sales.models import SalesTarget
from guanxi.sales.services.collections import collection_record, collection_reverse
from guanxi.sales.services.contracts import contract_terminate
from guanxi.sales.services.targets import target_set
from tests.factories import PartyFactory
from tests.sales.contract_helpers import TODAY, active_contract, won_deal

MONTH = TODAY.replace(day=1) - datetime.timedelta(days=62)
MONTH = MONTH.replace(day=1)  # two months back: the helpers sign 61 days ago
IN_MONTH = timezone.make_aware(datetime.datetime.combine(MONTH, datetime.time(10)))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_who_sets_targets(company):
    target_set(actor=company.manager, month=MONTH, user=company.rep, revenue=Decimal(1))
    target_set(actor=company.manager, month=MONTH, org_unit=company.team_a, revenue=Decimal(1))
    target_set(actor=company.admin, month=MONTH, user=company.far_rep, revenue=Decimal(1))
    with pytest.raises(PermissionDenied):
        target_set(actor=company.rep, month=MONTH, user=company.rep, revenue=Decimal(1))
    with pytest.raises(PermissionDenied):  # another region
        target_set(actor=company.manager, month=MONTH, user=company.far_rep, revenue=Decimal(1))
    with pytest.raises(PermissionDenied):
        target_set(actor=company.manager, month=MONTH, org_unit=company.south, revenue=1)
    with pytest.raises(PermissionDenied):  # not one's own
        target_set(actor=company.manager, month=MONTH, user=company.manager, revenue=1)
    with pytest.raises(ValidationError) as err:
        target_set(
            actor=company.manager, month=MONTH, user=company.rep, revenue="-5", new_customers=-1
        )
    assert set(err.value.message_dict) == {"revenue", "new_customers"}
    with pytest.raises(ValidationError):
        target_set(actor=company.manager, month=MONTH, user=company.rep, org_unit=company.team_a)
    # Setting again changes the one row for that month.
    target_set(actor=company.manager, month=MONTH + datetime.timedelta(days=9), user=company.rep)
    assert SalesTarget.objects.filter(user=company.rep).count() == 1


def test_percent_rounds_half_up_and_needs_a_target():
    assert percent(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert percent(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert percent(Decimal("1.0005"), Decimal("1")) == Decimal("100.1")
    assert percent(5, 4) == Decimal("125.0")
    assert percent(5, 0) is None and percent(5, None) is None


@given(
    a=st.integers(0, 10**9).map(lambda c: Decimal(c) / 100),
    b=st.integers(0, 10**9).map(lambda c: Decimal(c) / 100),
    target=st.integers(1, 10**9).map(lambda c: Decimal(c) / 100),
)
def test_attainment_is_monotone_and_exact_at_the_target(a, b, target):
    low, high = sorted([a, b])
    assert percent(target, target) == Decimal("100.0")
    assert Decimal(0) <= percent(low, target) <= percent(high, target)
    assert abs(percent(a, target) - a * 100 / target) <= Decimal("0.05")


def test_worked_example_of_a_month(company):
    """The rep, in the month: two contracts signed (¥30,000 and ¥12,000; a third,
    ¥8,000, terminated), ¥7,000 collected of which ¥2,000 was reversed (and ¥2,000 in
    another month), and three new customers (the terminated contract's customer was won
    all the same; a fourth won deal is with a customer won before). The teammate: one
    contract of ¥10,000, ¥1,000 collected."""
    rep, mate = company.rep, company.teammate
    first = active_contract(rep, "10000.00", "10000.00", "10000.00", now=IN_MONTH)
    active_contract(rep, "12000.00", now=IN_MONTH)
    dropped = active_contract(rep, "8000.00", now=IN_MONTH)
    contract_terminate(actor=rep, contract=dropped, reason="客户取消")
    in_month = MONTH + datetime.timedelta(days=3)
    collection_record(
        actor=rep, contract=first, amount=Decimal(5000), collected_on=in_month, method="cash"
    )
    wrong = collection_record(
        actor=rep, contract=first, amount=Decimal(2000), collected_on=in_month, method="cash"
    )
    collection_record(
        actor=rep, contract=first, amount=Decimal(2000), collected_on=TODAY, method="cash"
    )  # another month
    collection_reverse(actor=company.manager, collection=wrong, reason="录重")
    old_customer = first.party
    won_deal(rep, party=old_customer, now=IN_MONTH + datetime.timedelta(days=1))
    mates = active_contract(mate, "10000.00", now=IN_MONTH)
    collection_record(
        actor=mate, contract=mates, amount=Decimal(1000), collected_on=in_month, method="alipay"
    )
    # The contracts' signing dates are 61 days back: move them into the month.
    from guanxi.sales.models import Contract

    Contract.objects.update(signed_on=MONTH + datetime.timedelta(days=2))
    got = actuals(user_ids=[rep.pk, mate.pk], month=MONTH)
    assert got[rep.pk] == {
        "revenue": Decimal("42000.00"),
        "collections": Decimal("5000.00"),
        "new_customers": 3,
    }
    assert got[mate.pk] == {
        "revenue": Decimal("10000.00"),
        "collections": Decimal("1000.00"),
        "new_customers": 1,
    }
    target_set(
        actor=company.manager,
        month=MONTH,
        user=rep,
        revenue=Decimal(60000),
        collections=Decimal(20000),
        new_customers=4,
    )
    target_set(
        actor=company.manager,
        month=MONTH,
        org_unit=company.team_a,
        revenue=Decimal(100000),
        collections=Decimal(30000),
        new_customers=5,
    )
    board = attainment_board(viewer=company.manager, month=MONTH)
    rep_row = next(r for r in board["reps"] if r.user == rep)
    assert [rep_row.attainment(m) for m in ("revenue", "collections", "new_customers")] == [
        Decimal("70.0"),
        Decimal("25.0"),
        Decimal("75.0"),
    ]
    team = next(r for r in board["teams"] if r.org_unit == company.team_a)
    assert team.actual == {
        "revenue": Decimal("52000.00"),
        "collections": Decimal("6000.00"),
        "new_customers": 4,
    }
    assert team.attainment("revenue") == Decimal("52.0")
    assert team.attainment("collections") == Decimal("20.0")
    assert team.attainment("new_customers") == Decimal("80.0")
    mate_row = next(r for r in board["reps"] if r.user == mate)
    assert mate_row.target is None and mate_row.attainment("revenue") is None


def test_who_sees_whose_attainment(company):
    PartyFactory(owner=company.rep)
    mine = attainment_board(viewer=company.rep, month=MONTH)
    assert [r.user for r in mine["reps"]] == [company.rep] and mine["teams"] == []
    region = {r.user for r in attainment_board(viewer=company.manager, month=MONTH)["reps"]}
    assert {company.rep, company.teammate, company.rep_b} <= region
    assert company.far_rep not in region
    everyone = {r.user for r in attainment_board(viewer=company.admin, month=MONTH)["reps"]}
    assert company.far_rep in everyone


def test_the_dashboard_page(company):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(company.manager)
    posted = client.post(
        "/sales/targets/",
        {
            "month": f"{MONTH:%Y-%m}",
            "who": f"user:{company.rep.pk}",
            "revenue": "50000",
            "collections": "20000",
            "new_customers": "3",
        },
    )
    assert posted.status_code == 302
    page = client.get(f"/sales/targets/?month={MONTH:%Y-%m}").content.decode()
    assert "¥50,000" in page and str(company.rep) in page
    foreign = client.post(
        "/sales/targets/",
        {"month": f"{MONTH:%Y-%m}", "who": f"user:{company.far_rep.pk}", "revenue": "1",
         "collections": "1", "new_customers": "1"},
    )  # fmt: skip
    assert foreign.status_code == 200 and "Select a valid choice" in foreign.content.decode()
    rep = Client(HTTP_ACCEPT_LANGUAGE="en")
    rep.force_login(company.rep)
    assert rep.get("/sales/targets/").status_code == 200
    assert rep.post("/sales/targets/", {"month": "2026-01"}).status_code == 403


def test_targets_from_a_csv_all_lines_or_none(company):
    from guanxi.sales.services.targets import targets_import

    good = (
        "month,rep,department,revenue,collections,new_customers\n"
        f"{MONTH:%Y-%m},{company.rep.username},,80000,40000,5\n"
        f"{MONTH:%Y-%m},,{company.team_a.code},200000,100000,12\n"
    )
    assert targets_import(actor=company.manager, raw=good.encode("gb18030")) == 2
    mine = SalesTarget.objects.get(user=company.rep, month=MONTH)
    assert (mine.revenue, mine.collections, mine.new_customers) == (
        Decimal(80000),
        Decimal(40000),
        5,
    )
    bad = (
        "month,rep,department,revenue,collections,new_customers\n"
        f"{MONTH:%Y-%m},{company.teammate.username},,1,1,1\n"
        f"{MONTH:%Y-%m},{company.far_rep.username},,1,1,1\n"
        f"2026-13,{company.rep.username},,1,1,1\n"
        f"{MONTH:%Y-%m},nobody,,1,1,1\n"
    )
    with pytest.raises(ValidationError) as err:
        targets_import(actor=company.manager, raw=bad.encode())
    lines = err.value.message_dict["file"]
    assert [line.split(":")[0] for line in lines] == ["Line 3", "Line 4", "Line 5"]
    assert not SalesTarget.objects.filter(user=company.teammate).exists()  # none saved
    with pytest.raises(ValidationError, match="columns"):
        targets_import(actor=company.manager, raw=b"a,b\n1,2\n")
    with pytest.raises(PermissionDenied):
        targets_import(actor=company.rep, raw=good.encode())


def test_the_csv_upload_page(company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(company.manager)
    csv_text = (
        "month,rep,department,revenue,collections,new_customers\n"
        f"{MONTH:%Y-%m},{company.rep.username},,5,5,5\n"
    )
    done = client.post(
        f"/sales/targets/import/?month={MONTH:%Y-%m}",
        {"file": SimpleUploadedFile("targets.csv", csv_text.encode("utf-8-sig"))},
        follow=True,
    )
    assert "1 target saved." in done.content.decode()
    assert SalesTarget.objects.filter(user=company.rep, month=MONTH).exists()
