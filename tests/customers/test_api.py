"""REST API of the customer database."""

from guanxi.customers.models import Interaction, Party
from tests.api_base import ApiResourceTests
from tests.conftest import api_client
from tests.factories import ContactPointFactory, InteractionFactory, PartyFactory


class TestPartyApi(ApiResourceTests):
    list_url = "/api/v1/parties"
    detail_url = "/api/v1/parties/{pk}"
    create_url = "/api/v1/parties"
    invalid_field = "contact_points"

    def make(self, company, owner, party=None):
        return party if party is not None and party.owner == owner else PartyFactory(owner=owner)

    def valid_payload(self, company):
        return {
            "name": "郑爽",
            "source": "web_form",
            "roles": ["consumer"],
            "tags": ["VIP"],
            "contact_points": [{"kind": "mobile", "value": "13612345678"}],
        }

    def invalid_payload(self, company):
        return {"name": "郑爽", "contact_points": [{"kind": "mobile", "value": "12"}]}


class TestContactPointApi(ApiResourceTests):
    list_url = "/api/v1/parties/{party}/contact-points"
    create_url = "/api/v1/parties/{party}/contact-points"
    invalid_field = "value"

    def make(self, company, owner, party):
        return ContactPointFactory(party=party)

    def test_list_is_visibility_filtered(self, company):
        party = self.own_party(company)
        cp = self.make(company, company.rep, party)
        rows = api_client(company.rep).get(f"/api/v1/parties/{party.pk}/contact-points").json()
        assert [r["id"] for r in rows] == [cp.pk]

    def valid_payload(self, company):
        return {"kind": "email", "value": "Someone@Example.cn"}

    def invalid_payload(self, company):
        return {"kind": "email", "value": "not an email"}


class TestInteractionApi(ApiResourceTests):
    list_url = "/api/v1/parties/{party}/interactions"
    create_url = "/api/v1/parties/{party}/interactions"
    invalid_field = "kind"

    def make(self, company, owner, party):
        return InteractionFactory(party=party, actor=owner)

    def valid_payload(self, company):
        return {"kind": "call", "subject": "回访", "outcome": "connected"}

    def invalid_payload(self, company):
        return {"kind": "telepathy"}


def test_create_with_duplicate_answers_409_with_the_existing_owner(company, records):
    ContactPointFactory(party=records["other_region"], value="+8613612345678")
    response = api_client(company.rep).post(
        "/api/v1/parties",
        {"name": "郑爽", "contact_points": [{"kind": "mobile", "value": "136 1234 5678"}]},
        content_type="application/json",
    )
    assert response.status_code == 409
    dup = response.json()["duplicates"][0]
    assert dup["name"] == records["other_region"].name
    assert dup["owner"] == str(company.far_rep)
    # The rep cannot see that record: neither its id nor its contact data are given.
    assert dup["party_id"] is None
    assert dup["value"] == ""
    mine = api_client(company.far_rep).post(
        "/api/v1/parties",
        {"name": "郑爽", "contact_points": [{"kind": "mobile", "value": "13612345678"}]},
        content_type="application/json",
    )
    assert mine.json()["duplicates"][0]["party_id"] == records["other_region"].pk
    assert Party.objects.count() == 3


def test_cursor_pagination_walks_every_visible_party_once(company):
    made = {PartyFactory(owner=company.rep).pk for _ in range(7)}
    PartyFactory(owner=company.far_rep)
    client = api_client(company.rep)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/parties", params).json()
        seen.extend(row["id"] for row in body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen, reverse=True) == seen
    assert set(seen) == made


def test_bad_cursor_and_limit_are_422(company):
    client = api_client(company.rep)
    assert client.get("/api/v1/parties", {"cursor": "!!"}).status_code == 422
    assert client.get("/api/v1/parties", {"limit": 5000}).status_code == 422


def test_filters(company):
    vip = PartyFactory(owner=company.rep, lifecycle_stage="loyal", source="walk_in")
    PartyFactory(owner=company.rep, lifecycle_stage="prospect")
    client = api_client(company.rep)
    rows = client.get("/api/v1/parties", {"lifecycle_stage": "loyal"}).json()["items"]
    assert [r["id"] for r in rows] == [vip.pk]
    rows = client.get("/api/v1/parties", {"source": "walk_in"}).json()["items"]
    assert [r["id"] for r in rows] == [vip.pk]
    assert client.get("/api/v1/parties", {"source": "bogus"}).status_code == 422


def test_patch_validates_and_reports_fields(company, records):
    client = api_client(company.rep)
    url = f"/api/v1/parties/{records['own'].pk}"
    bad = client.patch(
        url, {"lifecycle_stage": "nope", "acquisition_cost": -5}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "lifecycle_stage" in bad.content.decode()
    ok = client.patch(url, {"name": "张伟伟", "tags": ["老客户"]}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["name_initials"] == "zww"
    assert ok.json()["tags"] == ["老客户"]


def test_users_endpoint_is_admin_only(company):
    assert api_client(company.rep).get("/api/v1/users").status_code == 403
    assert api_client(company.manager).get("/api/v1/users").status_code == 403
    response = api_client(company.admin).get("/api/v1/users")
    assert response.status_code == 200
    assert {"rep", "manager"} <= {u["username"] for u in response.json()["items"]}
    created = api_client(company.admin).post(
        "/api/v1/users",
        {
            "username": "newrep",
            "password": "A-long-pass-2026",
            "role": "sales_rep",
            "org_unit_id": company.team_a.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    denied = api_client(company.rep).post(
        "/api/v1/users",
        {"username": "sneaky", "password": "A-long-pass-2026"},
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_org_units_api(company):
    rows = api_client(company.rep).get("/api/v1/org-units").json()
    assert {"hq", "east", "team-a"} <= {r["code"] for r in rows}
    made = api_client(company.admin).post(
        "/api/v1/org-units",
        {"name": "静安三组", "code": "team-d", "parent_id": company.team_a.parent_id},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["path"].startswith(company.east.path)
    dup = api_client(company.admin).post(
        "/api/v1/org-units", {"name": "x", "code": "team-d"}, content_type="application/json"
    )
    assert dup.status_code == 422
    assert "code" in dup.json()["errors"]


def test_transfer_endpoint(company, records):
    response = api_client(company.manager).post(
        "/api/v1/party-transfers",
        {"from_user_id": company.rep.pk, "to_user_id": company.teammate.pk},
        content_type="application/json",
    )
    assert response.json() == {"moved": 1}
    records["own"].refresh_from_db()
    assert records["own"].owner == company.teammate
    denied = api_client(company.rep).post(
        "/api/v1/party-transfers",
        {"from_user_id": company.teammate.pk, "to_user_id": company.rep.pk},
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_interaction_feed_only_shows_visible(company, records):
    InteractionFactory(party=records["own"], actor=company.rep)
    InteractionFactory(party=records["other_region"], actor=company.far_rep)
    rows = api_client(company.rep).get("/api/v1/interactions").json()["items"]
    assert {r["party_id"] for r in rows} == {records["own"].pk}
    assert Interaction.objects.count() == 2


def test_session_auth_needs_csrf_for_writes(company, records):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(company.rep)
    assert client.get("/api/v1/parties").status_code == 200
    response = client.post("/api/v1/parties", {"name": "无令牌"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Party.objects.filter(name="无令牌").exists()
