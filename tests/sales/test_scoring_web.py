"""Lead scores on the web (a column, sorting, the factors in the user's language) and in
the API (score, factors, a filter, the model's figures); visibility as before."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanxi.sales.models import Lead
from guanxi.sales.services.scoring import leads_score, scoring_model_train
from tests.conftest import api_client
from tests.factories import LeadFactory, PartyFactory
from tests.sales.test_scoring import history


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def scored(company):
    """A trained model; an open call-in and import lead of the rep, and one of a rep in
    another region."""
    history(company.rep)
    now = timezone.now()
    scoring_model_train(now=now)
    rep, far = company.rep, company.far_rep
    # Arrival time is a feature: the leads came in on a working morning, whenever this runs.
    came = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0)
    while came > now or came.weekday() >= 5:
        came -= datetime.timedelta(days=1)
    leads = {
        "hot": LeadFactory(
            party=PartyFactory(name="热线索", owner=rep), source="call_in", created_at=came
        ),
        "cold": LeadFactory(
            party=PartyFactory(name="冷线索", owner=rep), source="import", created_at=came
        ),
        "far": LeadFactory(
            party=PartyFactory(name="远方客", owner=far), source="call_in", created_at=came
        ),
        "unscored": LeadFactory(
            party=PartyFactory(name="未评分", owner=rep),
            created_at=now + datetime.timedelta(seconds=1),
        ),
    }
    leads_score(leads=Lead.objects.exclude(pk=leads["unscored"].pk), now=now)
    for lead in leads.values():
        lead.refresh_from_db()
    return leads


def test_the_lead_list_shows_scores_and_factors(company, scored):
    page = login(company.rep).get(reverse("sales:leads")).content.decode()
    assert f">{scored['hot'].score}</span>" in page and f">{scored['cold'].score}</span>" in page
    assert "Source: Import" in page and "▼" in page and "▲" in page
    assert "远方客" not in page  # another region's lead stays out of sight
    chinese = login(company.rep, "zh-hans").get(reverse("sales:leads")).content.decode()
    assert "来源：导入" in chinese and "赢单机会" in chinese


def test_sorting_by_score(company, scored):
    page = login(company.rep).get(reverse("sales:leads") + "?order=score").content.decode()
    assert page.index("热线索") < page.index("冷线索")
    assert "未评分" not in page  # only scored leads are ranked
    newest = login(company.rep).get(reverse("sales:leads") + "?order=bogus").content.decode()
    assert newest.index("未评分") < newest.index("热线索")  # an unknown order: newest first


def test_the_api_gives_score_and_factors(company, scored):
    rep = api_client(company.rep)
    listed = rep.get("/api/v1/leads", headers={"Accept-Language": "en"}).json()["items"]
    items = {row["id"]: row for row in listed}
    hot, cold = items[scored["hot"].pk], items[scored["cold"].pk]
    assert hot["score"] == scored["hot"].score and items[scored["unscored"].pk]["score"] is None
    assert cold["score_factors"][0]["weight"] < 0
    assert any(f["label"].startswith("Source: Import") for f in cold["score_factors"]), cold
    assert scored["far"].pk not in items
    high = rep.get(f"/api/v1/leads?min_score={scored['hot'].score}").json()["items"]
    assert [row["id"] for row in high] == [scored["hot"].pk]
    assert rep.get("/api/v1/leads?min_score=101").status_code == 422
    assert rep.get(f"/api/v1/leads/{scored['far'].pk}").status_code == 404
    detail = rep.get(f"/api/v1/leads/{scored['cold'].pk}").json()
    assert detail["score"] == scored["cold"].score and detail["score_factors"]


def test_the_api_tells_the_model_in_use(company):
    rep = api_client(company.rep)
    assert rep.get("/api/v1/lead-scoring/model").status_code == 404
    history(company.rep)
    model = scoring_model_train(now=timezone.now())
    body = rep.get("/api/v1/lead-scoring/model").json()
    assert body["id"] == model.pk and (body["won_count"], body["lost_count"]) == (14, 14)
    assert body["holdout_auc"] == pytest.approx(model.holdout_auc)


def test_portal_users_see_no_scores(company, scored):
    from guanxi.core.choices import UserKind
    from tests.factories import UserFactory

    party = PartyFactory(name="赵敏", owner=company.rep)
    consumer = UserFactory(kind=UserKind.CONSUMER, party=party, org_unit=None)
    client = api_client(consumer)
    assert client.get("/api/v1/lead-scoring/model").status_code == 403
    assert client.get("/api/v1/leads").status_code == 403
