"""Lead scoring in the product: which leads count as won or lost, the features read
from the database, training a model version (audited), scores and factors landing on
open leads, scoring on arrival, the daily job and `guanxi sales_score`."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from guanxi.core import periodic
from guanxi.core.models import AuditEvent
from guanxi.customers.models import Party
from guanxi.sales.models import Lead, LeadScore, Opportunity, ScoringModel
from guanxi.sales.selectors_scoring import decided_history, lead_features
from guanxi.sales.services.leads import lead_capture
from guanxi.sales.services.opportunities import pipeline_default
from guanxi.sales.services.scoring import (
    KEEP_VERSIONS,
    leads_score,
    scoring_model_current,
    scoring_model_train,
)
from tests.factories import InteractionFactory, LeadFactory, PartyFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def days_ago(n: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


def deal(party, state: str, created_at: datetime.datetime) -> Opportunity:
    pipeline = pipeline_default()
    return Opportunity.objects.create(
        party=party,
        title="净水器",
        owner=party.owner,
        pipeline=pipeline,
        stage=pipeline.stages.first(),
        state=state,
        created_at=created_at,
        stage_entered_at=created_at,
    )


def history(owner, *, won_each: int = 14) -> None:
    """Call-ins mostly won (converted, no deal), imports mostly lost (disqualified),
    with one exception each way so the model has something to weigh."""
    for i in range(won_each):
        arrived = days_ago(90 - i * 5)
        for source, status in (
            ("call_in", "converted" if i != 3 else "disqualified"),
            ("import", "disqualified" if i != 5 else "converted"),
        ):
            LeadFactory(
                party=PartyFactory(owner=owner),
                source=source,
                status=status,
                created_at=arrived,
                status_changed_at=arrived + datetime.timedelta(days=4),
            )


def test_what_counts_as_won_and_lost(company):
    rep = company.rep
    cases = {}

    def lead(name: str, status: str, **kwargs) -> Lead:
        party = PartyFactory(name=name, owner=rep)
        row = LeadFactory(party=party, status=status, created_at=days_ago(30), **kwargs)
        cases[name] = row
        return row

    lead("不合格", "disqualified")
    lead("转化无商机", "converted")
    deal(lead("赢单", "converted").party, "won", days_ago(20))
    deal(lead("输单", "converted").party, "lost", days_ago(20))
    deal(lead("进行中", "converted").party, "open", days_ago(20))
    old = lead("旧单不算", "converted")
    deal(old.party, "lost", days_ago(100))  # before the lead arrived: not its deal
    both = lead("一赢一输", "converted")
    deal(both.party, "lost", days_ago(25))
    deal(both.party, "won", days_ago(10))
    lead("未结", "contacted")
    outcome = decided_history(now=NOW).outcomes()
    named = {name: outcome.get(row.pk) for name, row in cases.items()}
    assert named == {
        "不合格": False,
        "转化无商机": True,
        "赢单": True,
        "输单": False,
        "进行中": None,  # not decided while its deal is open
        "旧单不算": True,
        "一赢一输": True,
        "未结": None,  # open leads are scored, not learnt from
    }


def test_a_decided_lead_teaches_as_it_looked_before_its_decision(company):
    party = PartyFactory(owner=company.rep)
    arrived = days_ago(60)
    lead = LeadFactory(
        party=party,
        status="converted",
        created_at=arrived,
        status_changed_at=arrived + datetime.timedelta(days=5),
    )
    for hours in (2, 50, 100):  # the third one is after day 3
        InteractionFactory(
            party=party, occurred_at=arrived + datetime.timedelta(hours=hours), actor=company.rep
        )
    history = decided_history(now=NOW)
    assert history.lead_ids == [lead.pk] and history.outcome.tolist() == [True]
    # snapshots at arrival and on day 3; day 10 is after the decision
    assert history.lead.tolist() == [0, 0] and history.won.tolist() == [True, True]
    assert history.table.columns["age_days"].tolist() == [0.0, 3.0]
    assert history.table.columns["follow_ups"].tolist() == [0.0, 2.0]


def test_features_read_from_the_database(company):
    party = PartyFactory(owner=company.rep)
    Party.objects.filter(pk=party.pk).update(created_at=days_ago(400))
    arrived = datetime.datetime(2026, 5, 18, 9, 30, tzinfo=SHANGHAI)  # a Monday morning
    lead = LeadFactory(
        party=party,
        source="campaign",
        province="浙江省",
        response_code="TV2611",
        interest="净水器",
        status="contacted",
        created_at=arrived,
        existing_owner=company.rep,
    )
    hours = datetime.timedelta(hours=1)
    for offset, actor in (
        (-5 * hours, company.rep),  # before it arrived
        (2 * hours, company.rep),  # first contact after 2 h
        (72 * hours, company.rep),
        (3 * hours, None),  # not logged by anyone
        (40 * 24 * hours, company.rep),  # past the 30-day window
    ):
        InteractionFactory(party=party, occurred_at=arrived + offset, actor=actor)
    ids, table = lead_features(Lead.objects.filter(pk=lead.pk), now=arrived + 10 * 24 * hours)
    row = {name: column[0] for name, column in table.columns.items()}
    assert ids == [lead.pk]
    assert row == {
        "source": "campaign",
        "province": "浙江省",
        "campaign": "TV2611",
        "interest": "净水器",
        "known": "owned",
        "arrival": "workday",
        "response_hours": pytest.approx(2.0),
        "follow_ups": 2.0,
        "age_days": pytest.approx(10.0),
    }
    fresh = LeadFactory(
        party=PartyFactory(owner=None),
        created_at=datetime.datetime(2026, 2, 21, 20, 0, tzinfo=SHANGHAI),  # Saturday
    )
    _ids, table = lead_features(Lead.objects.filter(pk=fresh.pk), now=NOW)
    assert table.columns["known"][0] == "new" and table.columns["arrival"][0] == "weekend"
    assert str(table.columns["response_hours"][0]) == "nan"  # nobody has called yet
    assert table.columns["age_days"][0] == pytest.approx(30.0)  # capped at the window


def test_training_scores_open_leads_with_their_factors(company):
    assert scoring_model_train(now=NOW) is None  # no history yet
    assert leads_score(now=NOW) == 0
    history(company.rep)
    model = scoring_model_train(now=NOW)
    assert (model.won_count, model.lost_count) == (14, 14)
    assert 0.0 <= model.holdout_auc <= 1.0 and model.baseline_auc is not None
    event = AuditEvent.objects.get(object_type="sales.scoringmodel")
    assert event.changes["won"] == [None, 14]
    hot = LeadFactory(party=PartyFactory(owner=company.rep), source="call_in", created_at=NOW)
    cold = LeadFactory(party=PartyFactory(owner=company.rep), source="import", created_at=NOW)
    assert leads_score(now=NOW) == 2  # only the open leads
    hot.refresh_from_db()
    cold.refresh_from_db()
    assert hot.score > 60 > 40 > cold.score
    detail = LeadScore.objects.get(lead=cold)
    assert detail.model == model and detail.probability == pytest.approx(cold.score / 100, abs=0.01)
    lowering = [f for f in detail.factors if f["weight"] < 0]
    assert lowering[0] == {"field": "source", "value": "import", "weight": lowering[0]["weight"]}
    assert Lead.objects.filter(status="disqualified", score__isnull=False).count() == 0


def test_only_an_administrator_retrains_and_old_versions_go(company):
    history(company.rep)
    with pytest.raises(PermissionDenied):
        scoring_model_train(actor=company.manager, now=NOW)
    for _ in range(KEEP_VERSIONS + 2):
        scoring_model_train(actor=company.admin, now=NOW)
    assert ScoringModel.objects.count() == KEEP_VERSIONS


def test_a_new_lead_is_scored_when_it_arrives(company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        lead = lead_capture(
            actor=company.rep, name="无模型", mobile="13700000001", source="web_form"
        )
    assert not queued and Lead.objects.get(pk=lead.pk).score is None
    history(company.rep)
    scoring_model_train(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        lead = lead_capture(
            actor=company.rep, name="来电客", mobile="13700000002", source="call_in"
        )
    assert Lead.objects.get(pk=lead.pk).score > 50
    assert LeadScore.objects.filter(lead=lead).exists()


def test_the_daily_job_and_the_command(company):
    assert "lead_scoring" in periodic.registered()
    with pytest.raises(CommandError, match="no lead scoring model"):
        call_command("sales_score", "--score-only", stdout=io.StringIO())
    history(company.rep)
    LeadFactory(party=PartyFactory(owner=company.rep), source="call_in", created_at=timezone.now())
    assert periodic.run("lead_scoring") == 1
    out = io.StringIO()
    call_command("sales_score", stdout=out)
    assert "14 won, 14 lost" in out.getvalue() and "scored 1 open leads" in out.getvalue()
    with pytest.raises(CommandError, match="limit"):
        call_command("sales_score", "--limit", "0", stdout=io.StringIO())
    assert ScoringModel.objects.count() == 2
    out = io.StringIO()
    call_command("sales_score", "--train-only", "--limit", "5", stdout=out)
    assert "too few" in out.getvalue()
    assert scoring_model_current().won_count == 14  # the newest model stays in use


def test_the_demo_history_teaches_a_sensible_model(company):
    import random

    from guanxi.sales.demo import _scoring

    now = timezone.now()
    rep = company.rep
    open_call = LeadFactory(party=PartyFactory(owner=rep), source="call_in", created_at=now)
    open_import = LeadFactory(party=PartyFactory(owner=rep), source="import", created_at=now)
    users = {"admin": company.admin, "agent": company.agent}
    assert _scoring(random.Random(2026), users, now) == 2
    model = scoring_model_current()
    assert model.won_count + model.lost_count == 160 and model.holdout_auc > 0.6
    open_call.refresh_from_db()
    open_import.refresh_from_db()
    assert open_call.score > open_import.score + 20, (open_call.score, open_import.score)
    assert 25 <= open_call.score <= 85  # on arrival: no calls yet, and none expected
