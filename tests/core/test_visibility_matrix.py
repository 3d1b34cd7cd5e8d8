"""The visibility matrix: each role × list/detail/update/delete/export/search, through the
selectors, the web UI and the API, for own / teammate's / other region's records."""

import pytest

from guanxi.core.visibility import Action, can
from guanxi.customers.models import Party
from tests.conftest import api_client, login

V, C, D, E = "view", "change", "delete", "export"
ALL = {V, C, D, E}
# role fixture name → record key → allowed actions
MATRIX = {
    "admin": {"own": ALL, "teammate": ALL, "other_region": ALL},
    "manager": {"own": ALL, "teammate": ALL, "other_region": set()},
    "rep": {"own": {V, C}, "teammate": set(), "other_region": set()},
    "teammate": {"own": set(), "teammate": {V, C}, "other_region": set()},
    "agent": {"own": {V}, "teammate": {V}, "other_region": {V}},
    "south_agent": {"own": set(), "teammate": set(), "other_region": {V}},
    "marketer": {"own": {V, E}, "teammate": {V, E}, "other_region": {V, E}},
    "analyst": {"own": {V, E}, "teammate": {V, E}, "other_region": {V, E}},
}
CASES = [(role, key) for role, row in MATRIX.items() for key in row]


def allowed(role, key, action):
    return action in MATRIX[role][key]


@pytest.mark.parametrize(("role", "key"), CASES)
def test_selectors_follow_the_matrix(company, records, role, key):
    user = getattr(company, role)
    party = records[key]
    for action, name in [
        (Action.VIEW, V),
        (Action.CHANGE, C),
        (Action.DELETE, D),
        (Action.EXPORT, E),
    ]:
        assert can(user, action, party) == allowed(role, key, name), (role, key, name)
    visible = set(Party.objects.visible_to(user).values_list("pk", flat=True))
    assert (party.pk in visible) == allowed(role, key, V)


@pytest.mark.parametrize(("role", "key"), CASES)
def test_web_follows_the_matrix(company, records, role, key):
    client = login(getattr(company, role))
    party = records[key]
    sees = allowed(role, key, V)

    listing = client.get("/customers/").content.decode()
    assert (party.name in listing) == sees
    search = client.get("/customers/", {"q": party.name_pinyin}).content.decode()
    assert (party.name in search) == sees
    initials = client.get("/customers/", {"q": party.name_initials}).content.decode()
    assert (party.name in initials) == sees

    assert client.get(f"/customers/{party.pk}/").status_code == (200 if sees else 404)
    edit = client.get(f"/customers/{party.pk}/edit/").status_code
    assert edit == (200 if allowed(role, key, C) else 403 if sees else 404)

    export = client.get("/customers/export.csv")
    if allowed(role, key, E):
        assert party.name in b"".join(export.streaming_content).decode("utf-8")
    elif not any(E in acts for acts in MATRIX[role].values()):
        assert export.status_code == 403
    else:
        assert party.name not in b"".join(export.streaming_content).decode("utf-8")

    response = client.post(f"/customers/{party.pk}/delete/")
    if allowed(role, key, D):
        assert response.status_code == 302
        assert not Party.objects.filter(pk=party.pk).exists()
    else:
        assert response.status_code == (403 if sees else 404)
        assert Party.objects.filter(pk=party.pk).exists()


@pytest.mark.parametrize(("role", "key"), CASES)
def test_api_follows_the_matrix(company, records, role, key):
    client = api_client(getattr(company, role))
    party = records[key]
    sees = allowed(role, key, V)

    ids = {p["id"] for p in client.get("/api/v1/parties").json()["items"]}
    assert (party.pk in ids) == sees
    found = {p["id"] for p in client.get("/api/v1/parties", {"q": party.name}).json()["items"]}
    assert (party.pk in found) == sees

    assert client.get(f"/api/v1/parties/{party.pk}").status_code == (200 if sees else 404)
    patch = client.patch(
        f"/api/v1/parties/{party.pk}", {"notes": "改过"}, content_type="application/json"
    )
    assert patch.status_code == (200 if allowed(role, key, C) else 403 if sees else 404)

    delete = client.delete(f"/api/v1/parties/{party.pk}")
    assert delete.status_code == (204 if allowed(role, key, D) else 403 if sees else 404)
    assert Party.objects.filter(pk=party.pk).exists() == (not allowed(role, key, D))


def test_explicit_share_grants_view_and_optionally_edit(company, records):
    from guanxi.customers.services import party_share

    party = records["teammate"]
    assert not can(company.rep, Action.VIEW, party)
    party_share(actor=company.teammate, party=party, user=company.rep)
    assert can(company.rep, Action.VIEW, party)
    assert not can(company.rep, Action.CHANGE, party)
    party_share(actor=company.teammate, party=party, user=company.rep, can_edit=True)
    assert can(company.rep, Action.CHANGE, party)
    assert not can(company.rep, Action.DELETE, party)


def test_inactive_user_sees_nothing(company, records):
    company.admin.is_active = False
    company.admin.save()
    assert not Party.objects.visible_to(company.admin).exists()
