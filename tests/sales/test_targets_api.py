"""Setting targets through the API: the web's rules exactly (the same service) — who may
set a target for which rep or department, the month and the amounts, the audit row — and
4xx answers with field messages for bad input."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from guanxi.core.choices import Role
from guanxi.core.models import AuditEvent
from guanxi.sales.models import SalesTarget
from tests.conftest import api_client
from tests.factories import UserFactory

URL = "/api/v1/targets"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def post(user, data):
    return api_client(user).post(URL, data, content_type="application/json")


def put(user, target_id, data):
    return api_client(user).put(f"{URL}/{target_id}", data, content_type="application/json")


def test_a_manager_sets_and_changes_a_reps_target(company):
    data = {"month": "2026-11", "user_id": company.rep.pk, "revenue": "200000.00"}
    made = post(company.manager, {**data, "collections": "150000", "new_customers": 8})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["month"] == "2026-11" and body["user_id"] == company.rep.pk
    assert (body["revenue"], body["collections"], body["new_customers"]) == (
        "200000.00",
        "150000.00",
        8,
    )
    target = SalesTarget.objects.get()
    assert target.month == datetime.date(2026, 11, 1) and target.set_by == company.manager
    audit = AuditEvent.objects.get(object_type="sales.salestarget", action="create")
    assert audit.changes["revenue"] == [None, "200000.00"]
    again = post(company.manager, {**data, "revenue": "250000"})  # the month's one row
    assert again.status_code == 200 and again.json()["id"] == target.pk
    assert again.json()["collections"] == "0.00"  # as on the web: what is left out is 0
    changed = put(company.manager, target.pk, {"revenue": "180000.50", "new_customers": 5})
    assert changed.status_code == 200 and changed.json()["revenue"] == "180000.50"
    assert SalesTarget.objects.get().new_customers == 5
    assert AuditEvent.objects.filter(object_type="sales.salestarget").count() == 3
    board = api_client(company.rep).get(f"{URL}?month=2026-11").json()
    assert board["reps"][0]["revenue"]["target"] == "180000.50"


def test_a_manager_sets_a_departments_target_an_admin_anyones(company):
    team = post(company.manager, {"month": "2026-12", "org_unit_id": company.team_a.pk})
    assert team.status_code == 201 and team.json()["org_unit_id"] == company.team_a.pk
    far = post(company.admin, {"month": "2026-12", "user_id": company.far_rep.pk})
    assert far.status_code == 201
    mgr = post(company.admin, {"month": "2026-12", "user_id": company.manager.pk})
    assert mgr.status_code == 201  # a manager carries a target too, set from above


def test_a_rep_cannot_set_targets(company):
    mine = post(company.rep, {"month": "2026-11", "user_id": company.rep.pk})
    assert mine.status_code == 403
    target = SalesTarget.objects.create(
        month=datetime.date(2026, 11, 1), user=company.rep, updated_at=timezone.now()
    )
    assert put(company.rep, target.pk, {"revenue": "1"}).status_code == 403
    assert SalesTarget.objects.get().revenue == 0 and not AuditEvent.objects.filter(
        object_type="sales.salestarget"
    )


def test_a_manager_only_for_their_own_subtree(company):
    cases = [
        {"user_id": company.far_rep.pk},  # another region
        {"org_unit_id": company.south.pk},
        {"user_id": company.manager.pk},  # not oneself
        {"org_unit_id": company.hq.pk},  # above them
    ]
    for who in cases:
        refused = post(company.manager, {"month": "2026-11", **who})
        assert refused.status_code == 403, who
    foreign = SalesTarget.objects.create(
        month=datetime.date(2026, 11, 1), user=company.far_rep, updated_at=timezone.now()
    )
    assert put(company.manager, foreign.pk, {"revenue": "1"}).status_code == 404
    assert put(company.admin, foreign.pk, {"revenue": "1"}).status_code == 200


def test_targets_only_for_reps_and_managers_as_the_web_offers(company):
    for user in (company.agent, UserFactory(role=Role.SALES_REP, is_active=False)):
        refused = post(company.admin, {"month": "2026-11", "user_id": user.pk})
        assert refused.status_code == 422 and "user_id" in refused.json()["errors"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "2026-1"}, None),  # the pattern, checked before the service
        ({"revenue": "-1"}, None),
        ({"revenue": "1.005"}, None),
        ({"new_customers": -1}, None),
        ({"user_id": None, "org_unit_id": None}, "user_id"),
        ({"org_unit_id": 1}, "user_id"),  # both
        ({"user_id": 10**9}, "user_id"),  # no such rep
        ({"user_id": "张三"}, None),
    ],
)
def test_bad_input_answers_422_with_field_messages(company, data, field):
    payload = {"month": "2026-11", "user_id": company.rep.pk, **data}
    if payload.get("org_unit_id") == 1:
        payload["org_unit_id"] = company.team_a.pk
    response = post(company.manager, payload)
    assert response.status_code == 422, response.content
    body = response.json()
    if field:  # the service's field errors, named as the API's fields
        assert field in body["errors"] and body["errors"][field][0]
    else:
        assert body["detail"]
    assert not SalesTarget.objects.exists()


def test_the_web_form_offers_whom_the_service_allows(company):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(company.manager)
    page = client.get("/sales/targets/?month=2026-11").content.decode()
    assert f'value="user:{company.rep.pk}"' in page
    assert f'value="user:{company.manager.pk}"' not in page
    assert f'value="user:{company.far_rep.pk}"' not in page
    assert f'value="user:{company.agent.pk}"' not in page
    posted = client.post(
        "/sales/targets/",
        {
            "month": "2026-11",
            "who": f"user:{company.rep.pk}",
            "revenue": "1000",
            "collections": "0",
            "new_customers": "0",
        },
    )
    assert posted.status_code == 302 and SalesTarget.objects.get().revenue == Decimal(1000)
