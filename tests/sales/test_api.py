"""The sales API: leads, the pool and claims, with the web's visibility rules."""

from guanxi.sales.models import AssignmentRule, Claim
from tests.conftest import api_client
from tests.factories import ContactPointFactory, PartyFactory


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_leads_claims_and_the_pool_through_the_api(company):
    AssignmentRule.objects.create(name="A组", team=company.team_a, provinces="上海市")
    agent = api_client(company.agent)
    made = post(
        agent,
        "/api/v1/leads",
        {"name": "蒋新", "mobile": "13711112222", "source": "web_form", "province": "上海市"},
    )
    assert made.status_code == 201 and made.json()["owner_id"] == company.rep.pk
    bad = post(agent, "/api/v1/leads", {"name": "无号码", "source": "web_form"})
    assert bad.status_code == 422 and "mobile" in bad.json()["errors"]
    pooled = PartyFactory(name="池中客", owner=None)
    ContactPointFactory(party=pooled, kind="mobile", value="+8613812345678")
    rep = api_client(company.rep)
    rows = rep.get("/api/v1/pool").json()
    assert [r["contact_hint"] for r in rows if r["id"] == pooled.pk] == ["+86138****5678"]
    assert api_client(company.analyst).get("/api/v1/pool").status_code == 403
    claimed = post(rep, f"/api/v1/pool/{pooled.pk}/claim")
    assert claimed.status_code == 201
    assert post(api_client(company.teammate), f"/api/v1/pool/{pooled.pk}/claim").status_code == 404
    mine = rep.get("/api/v1/claims").json()["items"]
    assert {c["party_id"] for c in mine} == {pooled.pk, made.json()["party_id"]}
    assert api_client(company.far_rep).get("/api/v1/claims").json()["items"] == []
    claim = Claim.objects.get(party=pooled)
    assert (
        post(api_client(company.teammate), f"/api/v1/claims/{claim.pk}/release").status_code == 404
    )
    assert post(rep, f"/api/v1/claims/{claim.pk}/release").json()["end_reason"] == "released"
    lead_id = made.json()["id"]
    moved = post(rep, f"/api/v1/leads/{lead_id}/status", {"status": "contacted"})
    assert moved.status_code == 200 and moved.json()["status"] == "contacted"
    assert api_client(company.far_rep).get(f"/api/v1/leads/{lead_id}").status_code == 404


def test_opportunities_through_the_api(company):
    party = PartyFactory(owner=company.rep)
    rep = api_client(company.rep)
    made = post(
        rep, "/api/v1/opportunities", {"party_id": party.pk, "title": "净水器", "amount": "2980.00"}
    )
    assert made.status_code == 201
    deal = made.json()
    from guanxi.sales.models import Stage

    second = Stage.objects.get(pipeline_id=deal["pipeline_id"], position=1)
    moved = post(rep, f"/api/v1/opportunities/{deal['id']}/move", {"stage_id": second.pk})
    assert moved.status_code == 200 and moved.json()["stage_id"] == second.pk
    lost = post(rep, f"/api/v1/opportunities/{deal['id']}/close", {"won": False})
    assert lost.status_code == 422 and "close_reason" in lost.json()["errors"]
    won = post(rep, f"/api/v1/opportunities/{deal['id']}/close", {"won": True})
    assert won.json()["state"] == "won"
    assert rep.get("/api/v1/opportunities", {"state": "won"}).json()["items"][0]["id"] == deal["id"]
    other = api_client(company.far_rep)
    assert other.get(f"/api/v1/opportunities/{deal['id']}").status_code == 404
    assert (
        post(other, "/api/v1/opportunities", {"party_id": party.pk, "title": "x"}).status_code
        == 404
    )
    bad = post(rep, "/api/v1/opportunities", {"party_id": party.pk, "title": "", "amount": "-1"})
    assert bad.status_code == 422
