"""Regression tests for holes found in review: shares, redirects, trail gaps, odd input."""

import base64
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guanxi.core.choices import UserKind
from guanxi.core.models import AuditEvent, User
from guanxi.core.visibility import Action, can
from guanxi.customers import services
from guanxi.customers.models import Interaction, Party
from guanxi.customers.normalize import pinyin_keys
from guanxi.customers.services.contacts import ContactSpec
from tests.conftest import api_client, login
from tests.factories import PartyFactory, UserFactory


def test_a_read_only_share_never_grants_delete_or_transfer(company, records):
    party = records["other_region"]  # outside the east manager's tree
    services.party_share(actor=company.far_rep, party=party, user=company.manager)
    assert can(company.manager, Action.VIEW, party)
    for action in (Action.CHANGE, Action.DELETE, Action.TRANSFER):
        assert not can(company.manager, action, party)
    assert login(company.manager).post(f"/customers/{party.pk}/delete/").status_code == 403
    assert Party.objects.filter(pk=party.pk).exists()


def test_only_owner_or_manager_may_share_onwards(company, records):
    party = records["own"]
    services.party_share(actor=company.rep, party=party, user=company.teammate, can_edit=True)
    with pytest.raises(PermissionDenied):
        services.party_share(actor=company.teammate, party=party, user=company.rep_b)
    services.party_share(actor=company.manager, party=party, user=company.rep_b)


def test_unsharing_through_web_and_api(company, records):
    party = records["own"]
    services.party_share(actor=company.rep, party=party, user=company.teammate)
    login(company.rep).post(f"/customers/{party.pk}/share/{company.teammate.pk}/stop/")
    assert not party.shares.exists()
    services.party_share(actor=company.rep, party=party, user=company.teammate)
    url = f"/api/v1/parties/{party.pk}/shares/{company.teammate.pk}"
    assert api_client(company.teammate).delete(url).status_code == 403
    assert api_client(company.rep).delete(url).status_code == 204
    assert AuditEvent.objects.filter(action="unshare").count() == 2


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "no-such-view"])
def test_follow_up_done_never_redirects_off_site(company, records, target):
    item = services.interaction_log(
        actor=company.rep, party=records["own"], kind="call", follow_up_on=timezone.localdate()
    )
    response = login(company.rep).post(f"/customers/follow-ups/{item.pk}/done/", {"next": target})
    assert response.status_code == 302
    assert (
        response["Location"] in ("/customers/follow-ups/", target)
        and "evil" not in (response["Location"])
    )


def test_portal_identities_only_read_their_own_party(company, records):
    consumer = UserFactory(kind=UserKind.CONSUMER, org_unit=None, party=records["own"])
    assert set(Party.objects.visible_to(consumer)) == {records["own"]}
    assert not can(consumer, Action.CHANGE, records["own"])


def test_closing_follow_ups_by_logging_is_audited(company, records):
    first = services.interaction_log(
        actor=company.rep, party=records["own"], kind="call", follow_up_on=timezone.localdate()
    )
    services.interaction_log(actor=company.rep, party=records["own"], kind="visit")
    assert AuditEvent.objects.filter(
        object_type="customers.interaction", object_id=str(first.pk), action="update"
    ).exists()


def test_deleting_a_party_keeps_its_contacts_and_consent_in_the_trail(company):
    party = services.party_create(
        actor=company.rep,
        name="韩梅",
        contact_points=[ContactSpec(kind="mobile", value="13512341234")],
    )
    services.consent_record(
        actor=company.rep, party=party, channel="sms", status="granted", method="paper_form"
    )
    pk = party.pk
    services.party_delete(actor=company.manager, party=party)
    event = AuditEvent.objects.get(subject_id=str(pk), action="delete")
    assert event.changes["contact_points"][0] == ["135 1234 1234"]
    assert "sms granted paper_form" in event.changes["consents"][0][0]


def test_a_user_with_history_can_be_deleted(company, records):
    services.interaction_log(actor=company.agent, party=records["own"], kind="call")
    company.agent.delete()
    assert AuditEvent.objects.filter(actor_repr=str(company.agent)).exists()


def test_crafted_timeline_cursor_is_ignored(company, records):
    cursor = base64.urlsafe_b64encode(
        json.dumps(["2026-01-01T00:00:00+00:00", "interaction:x"]).encode()
    ).decode()
    response = login(company.rep).get(
        f"/customers/{records['own'].pk}/timeline/", {"cursor": cursor}
    )
    assert response.status_code == 200


def test_api_nulls_naive_times_and_nul_bytes(company, records):
    client = api_client(company.rep)
    url = f"/api/v1/parties/{records['own'].pk}"
    assert client.patch(url, {"name": None}, content_type="application/json").status_code == 422
    ok = client.patch(url, {"birthday": None}, content_type="application/json")
    assert ok.status_code == 200
    naive = client.post(
        f"{url}/interactions",
        {"kind": "call", "occurred_at": "2026-01-02T10:00:00"},
        content_type="application/json",
    )
    assert naive.status_code == 422
    aware = client.post(
        f"{url}/interactions",
        {"kind": "call", "occurred_at": "2026-01-02T10:00:00+08:00"},
        content_type="application/json",
    )
    assert aware.status_code == 201
    nul = client.post("/api/v1/parties", '{"name": "a\\u0000b"}', content_type="application/json")
    assert nul.status_code == 400
    assert client.get("/api/v1/parties", {"q": "a\x00"}).status_code == 400
    assert Interaction.objects.count() == 1


def test_token_revoke_with_garbage_is_404(company):
    assert login(company.rep).post("/profile/tokens/", {"revoke": "abc"}).status_code == 404


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("曾国藩", "zengguofan"),
        ("单田芳", "shantianfang"),
        ("尉迟恭", "yuchigong"),
        ("区志", "ouzhi"),
        ("查良镛", "zhaliangyong"),
        ("乐嘉", "yuejia"),
    ],
)
def test_surnames_are_read_as_surnames(name, full):
    assert pinyin_keys(name)[0] == full


def test_surname_search_finds_zeng(company):
    party = PartyFactory(name="曾伟", owner=company.rep)
    assert party.name_pinyin == "zengwei"
    html = login(company.rep).get("/customers/", {"q": "zengw"}).content.decode()
    assert "曾伟" in html


def test_users_are_never_removed_from_the_trail_by_deleting_them(db):
    user = User.objects.create(username="temp")
    from guanxi.core.audit import audit_record

    audit_record(actor=user, action="update", obj=user, changes={"x": [1, 2]})
    user.delete()
    assert AuditEvent.objects.filter(actor_repr="temp").count() == 1


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("Ivan Petrov", "ip"),
        ("中国农业银行", "zgnyyh"),
        ("钟国", "ｚｈｏｎｇ"),
        ("钟国", "zhong\u3000guo"),
    ],
)
def test_initials_and_full_width_pinyin_are_found(company, name, query):
    party = PartyFactory(name=name, owner=company.rep)
    html = login(company.rep).get("/customers/", {"q": query}).content.decode()
    assert party.name in html


def test_shares_reach_read_roles_in_other_departments(company, records):
    party = records["other_region"]
    outsider = UserFactory(username="mkt_south", role="marketer", org_unit=company.team_c)
    services.party_share(actor=company.admin, party=records["own"], user=outsider)
    assert can(outsider, Action.VIEW, records["own"]) and can(
        outsider, Action.EXPORT, records["own"]
    )
    assert can(outsider, Action.VIEW, party)


def test_owner_cannot_grant_edits_they_do_not_have(company):
    party = services.party_create(actor=company.agent, name="客服新客", contact_points=[])
    with pytest.raises(PermissionDenied):
        services.party_share(actor=company.agent, party=party, user=company.rep, can_edit=True)
    services.party_share(actor=company.agent, party=party, user=company.rep)
    assert not can(company.rep, Action.CHANGE, party)


def test_contact_saved_as_allowed_duplicate_stays_editable(company):
    spec = ContactSpec(kind="mobile", value="13900001234")
    services.party_create(actor=company.manager, name="甲", contact_points=[spec])
    twin = services.party_create(
        actor=company.manager, name="乙", contact_points=[spec], allow_duplicate=True
    )
    cp = twin.contact_points.get()
    relabelled = ContactSpec(kind="mobile", value="139 0000 1234", label="家里")
    services.contact_point_update(actor=company.manager, contact_point=cp, spec=relabelled)
    cp.refresh_from_db()
    assert cp.label == "家里"


def test_nul_bytes_are_refused_whatever_the_content_type(company):
    client = api_client(company.rep)
    body = '{"name": "a\\u0000b"}'
    for content_type in ("application/json", "text/plain"):
        response = client.post("/api/v1/parties", body, content_type=content_type)
        assert response.status_code == 400
    assert not Party.objects.filter(name__startswith="a").exists()


def test_history_survives_odd_recorded_values(company, records):
    from guanxi.core.audit import audit_record

    party = records["own"]
    services.party_update(actor=company.rep, party=party, notes="2024-05-01T10:00:00")
    services.party_update(actor=company.rep, party=party, notes="2024-02-30T10:00:00+08:00")
    audit_record(
        actor=company.rep,
        action="update",
        obj=party,
        changes={"notes": {"odd": 1}, "source": "walk_in", "x": [1, 2, 3]},
    )
    assert login(company.rep).get(f"/customers/{party.pk}/history/").status_code == 200
