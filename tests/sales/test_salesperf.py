"""The board at scale: a few cards per column, totals of all, "more" paging; the reports'
database aggregates against a plain recount; the recycle job's batches."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.core.models import AuditEvent
from guanxi.sales import selectors
from guanxi.sales.choices import ClaimEnd
from guanxi.sales.models import Claim, Opportunity, StageChange
from guanxi.sales.reports import forecast, funnel, win_rates
from guanxi.sales.services.opportunities import pipeline_default
from guanxi.sales.services.pool import claim_take, claims_recycle
from tests.factories import PartyFactory

T0 = timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 0))
DAY = datetime.timedelta(days=1)
FIXTURE = [HealthCheck.function_scoped_fixture]  # each example rolls its rows back


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def deals(owner, amounts, *, stage=None, state="open") -> list[Opportunity]:
    """Open deals of `owner`'s customers in the first stage (bulk: the board only reads)."""
    pipeline = pipeline_default()
    stage = stage or pipeline.stages.order_by("position").first()
    made = Opportunity.objects.bulk_create(
        Opportunity(
            party=PartyFactory(owner=owner),
            title=f"商机{i}",
            owner=owner,
            pipeline=pipeline,
            stage=stage,
            state=state,
            amount=Decimal(amount),
            created_at=T0,
            stage_entered_at=T0,
        )
        for i, amount in enumerate(amounts)
    )
    return made


def test_the_board_shows_the_largest_cards_and_totals_of_the_whole_column(company):
    pipeline = pipeline_default()
    mine = deals(company.rep, [500, 100, 900, 300, 700, 200, 800])
    deals(company.far_rep, [10_000])  # another team's: neither shown nor counted
    first = selectors.board(user=company.rep, pipeline=pipeline, limit=3)[0]
    assert [c.amount for c in first.cards] == [900, 800, 700]
    assert (first.count, first.total) == (7, Decimal(3500))
    assert first.more == f"700.00_{mine[4].pk}"
    everything = selectors.board(user=company.admin, pipeline=pipeline, limit=3)[0]
    assert (everything.count, everything.total) == (8, Decimal(13_500))
    assert [c.amount for c in everything.cards] == [10_000, 900, 800]
    exact = selectors.board(user=company.rep, pipeline=pipeline, limit=7)[0]
    assert len(exact.cards) == 7 and exact.more == ""  # no "more" when all are shown


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURE)
@given(
    amounts=st.lists(st.sampled_from([0, 1, 5, 5, 20, 99]), min_size=0, max_size=12),
    limit=st.integers(min_value=1, max_value=5),
)
def test_more_pages_through_a_column_without_gaps_or_repeats(company, amounts, limit):
    with transaction.atomic():
        made = deals(company.rep, amounts)
        stage = pipeline_default().stages.order_by("position").first()
        seen, after, pages = [], "", 0
        while True:
            cards, after = selectors.board_cards(
                user=company.rep, stage=stage, after=after, limit=limit
            )
            seen += [c.pk for c in cards]
            pages += 1
            assert len(cards) <= limit
            if not after:
                break
        expected = [o.pk for o in sorted(made, key=lambda o: (-o.amount, o.pk))]
        assert seen == expected
        assert pages == max(1, -(-len(amounts) // limit))
        transaction.set_rollback(True)


def test_the_more_link_and_page(company):
    deals(company.rep, [50, 40, 30, 20, 10])
    deals(company.far_rep, [5])
    stage = pipeline_default().stages.order_by("position").first()
    c = login(company.rep)
    board = c.get(reverse("sales:board")).content.decode()
    assert "5 deals" in board and "¥150" in board and "商机0" in board
    cursor = selectors.board_cards(user=company.rep, stage=stage, limit=2)[1]
    url = reverse("sales:board_more", args=[stage.pk])
    part = c.get(url, {"after": cursor}, HTTP_HX_REQUEST="true")
    text = part.content.decode()
    assert part.status_code == 200 and "<html" not in text
    assert "商机2" in text and "商机0" not in text and "¥5" not in text
    page = c.get(url, {"after": cursor}).content.decode()
    assert "<html" in page and "商机4" in page
    for bad in (
        "x_1",
        "NaN_1",
        "10_",
        "Infinity_2",
        "1e999999999_1",
        "1.001_1",
        "5_99999999999999999999",
    ):
        answer = c.get(url, {"after": bad})
        assert answer.status_code == 400, bad
        assert "not a position" in answer.content.decode()
    assert c.get(reverse("sales:board_more", args=[987654])).status_code == 404
    portal = login(company.rep)
    company.rep.kind = "portal"
    company.rep.save(update_fields=["kind"])
    refused = portal.get(url)  # staff pages send portal users to the portal
    assert refused.status_code in (302, 403) and "商机" not in refused.content.decode()


def test_a_far_rep_pages_only_through_their_own_deals(company):
    deals(company.rep, [50, 40, 30])
    theirs = deals(company.far_rep, [45, 35])
    stage = pipeline_default().stages.order_by("position").first()
    page = login(company.far_rep).get(
        reverse("sales:board_more", args=[stage.pk]), {"after": "60_0"}
    )
    shown = [o.title for o in page.context["cards"]]
    assert shown == [o.title for o in theirs] and page.context["more"] == ""


# The reports' database aggregates against a recount in Python over random histories.

moves = st.lists(
    st.tuples(st.integers(0, 3), st.integers(1, 20 * 24)),  # (stage position, hours later)
    min_size=1,
    max_size=5,
)


@settings(max_examples=20, deadline=None, suppress_health_check=FIXTURE)
@given(
    histories=st.lists(
        st.tuples(moves, st.sampled_from(["open", "won", "lost"]), st.integers(0, 9999)),
        min_size=1,
        max_size=6,
    )
)
def test_the_reports_agree_with_a_recount(company, histories):
    with transaction.atomic():
        pipeline = pipeline_default()
        stages = list(pipeline.stages.order_by("position"))
        spent, counted, tops = {}, {}, []
        for path, state, amount in histories:
            at = [T0]
            for _position, hours in path[1:]:
                at.append(at[-1] + datetime.timedelta(hours=hours))
            positions = [0] + [p for p, _h in path[1:]]
            (deal,) = deals(company.rep, [amount], stage=stages[positions[-1]], state=state)
            rows = [(stages[p], t, "open") for p, t in zip(positions, at, strict=True)]
            if state != "open":
                rows.append((stages[positions[-1]], at[-1] + DAY, state))
            StageChange.objects.bulk_create(
                StageChange(opportunity=deal, to_stage=s, at=t, state=k) for s, t, k in rows
            )
            for (s, t, _k), (_s2, t2, _k2) in zip(rows, rows[1:], strict=False):
                spent[s.pk] = spent.get(s.pk, 0) + (t2 - t).total_seconds() / 86400
                counted[s.pk] = counted.get(s.pk, 0) + 1
            tops.append((max(positions), state, amount))
        rows = funnel(user=company.rep, pipeline=pipeline)
        for row in rows:
            assert row.reached == sum(1 for top, _s, _a in tops if top >= row.stage.position)
            if row.stage.pk in counted:
                assert row.mean_days == pytest.approx(spent[row.stage.pk] / counted[row.stage.pk])
            else:
                assert row.mean_days is None
        closed = [(top, s) for top, s, _a in tops if s != "open"]
        expected = {}
        for stage in stages:
            reached = [s for top, s in closed if top >= stage.position]
            if reached:
                expected[stage.pk] = reached.count("won") / len(reached)
        assert win_rates(user=company.rep, pipeline=pipeline) == pytest.approx(expected)
        (month,) = forecast(user=company.rep, pipeline=pipeline, by="rep") or [None]
        open_deals = Opportunity.objects.filter(state="open").select_related("stage")
        if month is None:
            assert not open_deals.exists()
        else:
            assert month.amount == sum(o.amount for o in open_deals)
            weighted = sum(o.amount * o.stage.probability / 100 for o in open_deals)
            assert month.weighted == Decimal(weighted).quantize(Decimal("0.01"))
        assert funnel(user=company.far_rep, pipeline=pipeline)[0].reached == 0
        transaction.set_rollback(True)


def test_recycling_in_batches_returns_each_lapsed_claim_once_with_its_audit_and_notice(company):
    parties = [PartyFactory(owner=None) for _ in range(7)]
    for i, party in enumerate(parties):
        claim_take(actor=company.rep if i % 2 else company.teammate, party=party, now=T0)
    keep = Claim.objects.get(party=parties[6])
    keep.last_follow_up_at = T0 + 5 * DAY
    keep.last_progress_at = T0 + 5 * DAY
    keep.save()
    moved = Claim.objects.get(party=parties[5])  # a manager gave it to someone else meanwhile
    type(parties[5]).objects.filter(pk=parties[5].pk).update(owner=company.rep_b)
    told = []
    counts = claims_recycle(now=T0 + 8 * DAY, batch=2, notify=lambda u, n: told.append((u, n)))
    assert counts == {ClaimEnd.NO_FOLLOW_UP: 5}
    assert sorted(told) == sorted([(company.teammate.pk, 3), (company.rep.pk, 2)])
    moved.refresh_from_db()
    assert moved.end_reason == ClaimEnd.OWNER_CHANGED
    events = AuditEvent.objects.filter(action="recycle").order_by("object_id")
    assert [e.object_id for e in events] == sorted(str(p.pk) for p in parties[:5])
    first = events.get(object_id=str(parties[0].pk))
    assert first.changes == {"owner": [company.teammate.pk, None], "reason": "no_follow_up"}
    assert first.subject_type == "customers.party" and first.actor_repr == "system"
    assert Claim.objects.get(party=parties[6]).ended_at is None
    assert claims_recycle(now=T0 + 8 * DAY, batch=2) == {}  # a rerun finds nothing left


def test_a_run_killed_before_its_notices_leaves_them_for_the_next_run(company):
    for _ in range(3):
        claim_take(actor=company.rep, party=PartyFactory(owner=None), now=T0)
    # notify=None stands for a run that died after its batches committed
    assert claims_recycle(now=T0 + 8 * DAY, batch=2) == {ClaimEnd.NO_FOLLOW_UP: 3}
    claim_take(actor=company.teammate, party=PartyFactory(owner=None), now=T0 + DAY)
    told = []
    rerun = claims_recycle(now=T0 + 9 * DAY, notify=lambda u, n: told.append((u, n)))
    assert rerun == {ClaimEnd.NO_FOLLOW_UP: 1}
    assert sorted(told) == sorted([(company.rep.pk, 3), (company.teammate.pk, 1)])
    told.clear()
    claims_recycle(now=T0 + 10 * DAY, notify=lambda u, n: told.append((u, n)))
    assert told == []  # each rep is told once


def test_a_notice_that_fails_is_sent_again_next_time(company):
    claim_take(actor=company.rep, party=PartyFactory(owner=None), now=T0)

    def broken(user_id, n):
        raise RuntimeError("mail server down")

    with pytest.raises(RuntimeError):
        claims_recycle(now=T0 + 8 * DAY, notify=broken)
    told = []
    claims_recycle(now=T0 + 9 * DAY, notify=lambda u, n: told.append((u, n)))
    assert told == [(company.rep.pk, 1)]


def test_narrowing_by_customer_ids_shows_exactly_what_visibility_shows(company, monkeypatch):
    from guanxi.customers.models import PartyShare

    deals(company.rep, [10, 20])
    deals(company.teammate, [30])
    shared = deals(company.far_rep, [40])[0]
    PartyShare.objects.create(party=shared.party, user=company.rep)
    deals(company.rep_b, [50])
    pipeline = pipeline_default()

    def seen(user):
        return [
            (c.count, c.total, [o.pk for o in c.cards])
            for c in selectors.board(user=user, pipeline=pipeline)
        ]

    users = [company.rep, company.manager, company.far_rep, company.admin, company.analyst]
    narrowed = {u.pk: seen(u) for u in users}
    assert narrowed[company.rep.pk][0][:2] == (3, Decimal(70))  # own two and the shared one
    monkeypatch.setattr(selectors, "NARROW_LIMIT", 0)  # every scope "broad": plain join
    assert {u.pk: seen(u) for u in users} == narrowed
