"""Bad input answers 4xx with field messages and changes nothing; never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.customers.models import Party
from tests.conftest import api_client, login

HUGE = "9" * 30
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=10,
)
party_like = st.fixed_dictionaries(
    {},
    optional={
        "name": json_values | st.text(max_size=300),
        "kind": json_values,
        "birthday": json_values | st.text(max_size=12),
        "acquisition_cost": json_values,
        "roles": json_values,
        "tags": json_values,
        "contact_points": json_values,
        "lifecycle_stage": json_values,
        "allow_duplicate": json_values,
    },
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(payload=party_like)
def test_random_party_payloads_never_cause_a_500(company, payload):
    response = api_client(company.rep).post(
        "/api/v1/parties", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code in (201, 400, 409, 422), response.content
    if response.status_code in (400, 422):
        assert "detail" in response.json()


@SETTINGS
@given(q=st.text(max_size=120), after=st.text(max_size=25))
def test_random_search_text_never_causes_a_500(company, q, after):
    client = login(company.rep)
    assert client.get("/customers/", {"q": q, "after": after}).status_code == 200
    assert api_client(company.rep).get("/api/v1/parties", {"q": q}).status_code in (200, 400, 422)


@pytest.mark.parametrize(
    "url",
    [f"/customers/{HUGE}/", f"/customers/{HUGE}/edit/", "/customers/0/", "/jobs/" + HUGE + "/"],
)
def test_out_of_range_ids_in_pages_are_404(company, url):
    assert login(company.admin).get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/parties/{HUGE}",
        "/api/v1/parties/-1",
        f"/api/v1/users/{HUGE}",
        "/api/v1/parties/abc",
    ],
)
def test_out_of_range_ids_in_the_api_are_4xx(company, url):
    assert api_client(company.admin).get(url).status_code in (404, 422)


def test_out_of_range_ids_in_bodies_are_422(company):
    response = api_client(company.admin).post(
        "/api/v1/party-transfers",
        {"from_user_id": int(HUGE), "to_user_id": 1},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_ten_thousand_character_name_is_refused_cleanly(company):
    response = api_client(company.rep).post(
        "/api/v1/parties", {"name": "长" * 10_000}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Party.objects.exists()
