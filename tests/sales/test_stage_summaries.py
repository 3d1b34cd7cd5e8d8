"""The funnel's stored summaries (each deal's furthest stage, when it left each stage),
kept by the stage-change service, equal what the whole history gives when recomputed."""

import datetime

from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.sales.models import Opportunity, StageChange
from guanxi.sales.services.opportunities import (
    opportunity_close,
    opportunity_create,
    opportunity_move,
    pipeline_default,
    stage_summaries_fill,
)
from tests.factories import PartyFactory
from tests.sales.test_salesperf import FIXTURE, T0


def stored():
    return (
        sorted(StageChange.objects.values_list("pk", "left_at")),
        sorted(Opportunity.objects.values_list("pk", "reached_position")),
    )


def test_a_worked_example(company):
    pipeline = pipeline_default()
    stages = list(pipeline.stages.order_by("position"))
    hour = datetime.timedelta(hours=1)
    deal = opportunity_create(
        actor=company.rep, party=PartyFactory(owner=company.rep), title="团购", now=T0
    )
    opportunity_move(actor=company.rep, opportunity=deal, stage=stages[2], now=T0 + hour)
    opportunity_move(actor=company.rep, opportunity=deal, stage=stages[1], now=T0 + 3 * hour)
    opportunity_close(actor=company.rep, opportunity=deal, won=True, now=T0 + 6 * hour)
    deal.refresh_from_db()
    assert deal.reached_position == stages[2].position  # moving back keeps the furthest
    lefts = list(deal.moves.order_by("at", "id").values_list("left_at", flat=True))
    assert lefts == [T0 + hour, T0 + 3 * hour, T0 + 6 * hour, None]


@settings(max_examples=20, deadline=None, suppress_health_check=FIXTURE)
@given(
    plans=st.lists(
        st.tuples(
            st.lists(st.tuples(st.integers(0, 3), st.integers(1, 48)), max_size=5),
            st.sampled_from(["open", "won", "lost"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_what_the_service_keeps_equals_a_recount(company, plans):
    with transaction.atomic():
        stages = list(pipeline_default().stages.order_by("position"))
        now = T0
        for i, (moves, end) in enumerate(plans):
            deal = opportunity_create(
                actor=company.rep, party=PartyFactory(owner=company.rep), title=f"商机{i}", now=now
            )
            for position, hours in moves:
                now += datetime.timedelta(hours=hours)
                stage = stages[min(position, len(stages) - 1)]
                opportunity_move(actor=company.rep, opportunity=deal, stage=stage, now=now)
            if end != "open":
                now += datetime.timedelta(hours=1)
                opportunity_close(
                    actor=company.rep, opportunity=deal, won=end == "won", reason="价格", now=now
                )
        kept = stored()
        stage_summaries_fill()
        assert stored() == kept
        transaction.set_rollback(True)
