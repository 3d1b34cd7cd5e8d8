"""The manager's day of the team and rep KPIs on a worked example with known answers;
the team's rows cost the same queries for any number of reps; a rep sees only their own
numbers and a manager only their subtree."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from guanxi.customers.models import Interaction
from guanxi.sales import kpis
from guanxi.sales.models import Lead, Opportunity
from guanxi.sales.services.followup import task_complete, task_create
from guanxi.sales.services.opportunities import pipeline_default
from guanxi.sales.services.pool import claim_take
from guanxi.sales.services.work_reports import report_save
from tests.factories import InteractionFactory, PartyFactory, UserFactory

DAY = datetime.date(2026, 3, 10)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def log(rep, kind: str, when) -> Interaction:
    return InteractionFactory(party=PartyFactory(owner=rep), actor=rep, kind=kind, occurred_at=when)


def lead(rep, status: str, when) -> Lead:
    return Lead.objects.create(
        party=PartyFactory(owner=rep),
        source="web_form",
        status=status,
        created_at=when - datetime.timedelta(days=5),
        status_changed_at=when,
    )


def deal(rep, state: str, amount: int, *, closed=None, stage_position: int = 0) -> Opportunity:
    pipeline = pipeline_default()
    stage = pipeline.stages.get(position=stage_position)
    return Opportunity.objects.create(
        party=PartyFactory(owner=rep),
        title="净水器",
        owner=rep,
        pipeline=pipeline,
        stage=stage,
        state=state,
        amount=Decimal(amount),
        created_at=at(DAY, 9) - datetime.timedelta(days=60),
        stage_entered_at=at(DAY, 9) - datetime.timedelta(days=60),
        closed_at=closed,
    )


@pytest.fixture
def march(company):
    """The rep's March 2026 (and a little of February), a teammate's call, and a rep of
    the other region who must not show."""
    rep = company.rep
    for day in (2, 10, 10):
        log(rep, "call", at(datetime.date(2026, 3, day), 11))
    log(rep, "call", at(datetime.date(2026, 2, 27), 11))  # February
    log(rep, "visit", at(DAY, 15))
    log(rep, "email", at(DAY, 16))  # neither a call nor a visit
    for when in (at(DAY, 9), at(datetime.date(2026, 3, 20), 9)):
        claim_take(actor=rep, party=PartyFactory(owner=None), now=when)
    lead(rep, "converted", at(DAY, 14))
    lead(rep, "disqualified", at(datetime.date(2026, 3, 12), 14))
    lead(rep, "converted", at(datetime.date(2026, 2, 12), 14))
    deal(rep, "won", 10000, closed=at(datetime.date(2026, 3, 5), 10))
    deal(rep, "won", 5000, closed=at(datetime.date(2026, 3, 20), 10))
    deal(rep, "lost", 7000, closed=at(datetime.date(2026, 3, 21), 10))
    deal(rep, "won", 8000, closed=at(datetime.date(2026, 2, 20), 10))  # February: the base
    deal(rep, "open", 20000, stage_position=2)  # 60 %
    deal(rep, "open", 10000, stage_position=0)  # 10 %
    log(company.teammate, "call", at(DAY, 10))
    for _ in range(5):
        log(company.far_rep, "call", at(DAY, 10))
    return rep


def test_rep_kpis_of_a_month_on_the_worked_example(company, march):
    rows, total = kpis.rep_kpis(
        viewer=company.manager, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31)
    )
    by_rep = {row.rep: row for row in rows}
    assert set(by_rep) == {company.manager, company.rep, company.teammate, company.rep_b}
    row = by_rep[company.rep]
    assert (row.calls, row.visits, row.claims) == (3, 1, 2)
    assert (row.converted, row.disqualified, row.won, row.lost) == (1, 1, 2, 1)
    assert row.revenue == Decimal(15000)
    assert row.win_rate == Decimal("66.7") and row.lead_rate == Decimal("50.0")
    assert row.pipeline == Decimal(13000)  # 20000 × 60 % + 10000 × 10 %
    assert row.base == Decimal(8000) and row.coverage == Decimal("1.63")  # 13000 ÷ 8000
    assert (total.calls, total.revenue) == (4, Decimal(15000))  # the teammate's call too
    assert by_rep[company.teammate].coverage is None  # nothing won before: no coverage


def test_a_week_compares_with_the_week_before_and_a_rep_sees_only_themselves(company, march):
    rows, _total = kpis.rep_kpis(
        viewer=company.rep, start=datetime.date(2026, 3, 9), end=datetime.date(2026, 3, 15)
    )
    assert [r.rep for r in rows] == [company.rep]
    (row,) = rows
    assert (row.calls, row.visits, row.claims, row.converted, row.disqualified) == (2, 1, 1, 1, 1)
    # The week before (2–8 March) won the 10000 deal of 5 March: 13000 ÷ 10000.
    assert (row.won, row.revenue, row.base, row.coverage) == (0, 0, 10000, Decimal("1.30"))


def test_the_team_day_on_the_worked_example(company, march):
    rep = company.rep
    overdue = task_create(
        actor=rep,
        party=PartyFactory(owner=rep),
        title="催款",
        due_at=at(DAY, 8) - datetime.timedelta(days=2),
    )
    due = task_create(actor=rep, party=PartyFactory(owner=rep), title="回访", due_at=at(DAY, 10))
    task_create(
        actor=rep,
        party=PartyFactory(owner=rep),
        title="明天",
        due_at=at(DAY, 10) + datetime.timedelta(days=1),
    )
    task_complete(actor=rep, task=due, outcome="已约上门", log_activity=False, now=at(DAY, 11))
    report_save(
        actor=rep, kind="daily", day=DAY, done="打了 2 个电话", submit=True, now=at(DAY, 18)
    )
    rows = kpis.team_day(viewer=company.manager, day=DAY, now=at(DAY, 20))
    row = next(r for r in rows if r.rep == rep)
    assert (row.due, row.done, row.overdue) == (1, 1, 1)
    assert (row.calls, row.visits, row.claims, row.converted) == (2, 1, 1, 1)
    assert row.report == "submitted"
    assert company.far_rep not in [r.rep for r in rows]
    detail = kpis.day_detail(viewer=company.manager, rep=rep, day=DAY, now=at(DAY, 20))
    assert [t.title for t in detail["overdue"]] == [overdue.title]
    assert [t.title for t in detail["done"]] == ["回访"]
    assert [i.kind for i in detail["activities"]] == ["call", "call", "visit"]
    assert len(detail["claims"]) == 1 and len(detail["converted"]) == 1
    earlier = kpis.team_day(
        viewer=company.manager, day=DAY - datetime.timedelta(days=1), now=at(DAY, 20)
    )
    row = next(r for r in earlier if r.rep == rep)
    assert (row.due, row.done, row.overdue, row.calls, row.report) == (0, 0, 1, 0, "")


def test_the_team_day_costs_the_same_queries_for_more_reps(company, march):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            kpis.team_day(viewer=company.manager, day=DAY, now=at(DAY, 20))
        return len(queries)

    few = count()
    for _ in range(6):
        newcomer = UserFactory(org_unit=company.team_b)
        log(newcomer, "call", at(DAY, 10))
        task_create(
            actor=newcomer, party=PartyFactory(owner=newcomer), title="回访", due_at=at(DAY, 9)
        )
    assert count() == few <= 8
    with CaptureQueriesContext(connection) as queries:
        kpis.rep_kpis(viewer=company.manager, start=DAY, end=DAY)
    assert len(queries) <= 8
