"""Leads: matched against the database on arrival (the existing owner shown), new ones
handed out by the rules (round robin, fewest held, caps), and their progress."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from guanxi.core.choices import Role
from guanxi.customers.models import Party
from guanxi.sales.choices import ClaimEnd
from guanxi.sales.models import AssignmentRule, Claim
from guanxi.sales.services.leads import lead_capture, lead_status_change
from tests.factories import ContactPointFactory, PartyFactory, UserFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_known_person_keeps_their_owner_and_gets_no_second_record(company):
    known = PartyFactory(name="周杰", owner=company.rep_b)
    ContactPointFactory(
        party=known, kind="mobile", value="+8613912345678", normalized="+8613912345678"
    )
    lead = lead_capture(actor=company.agent, name="周杰", mobile="139-1234-5678", source="call_in")
    assert lead.party == known and lead.existing_owner == company.rep_b
    assert Party.objects.count() == 1 and not Claim.objects.exists()


def test_new_leads_go_round_robin_within_the_team(company):
    AssignmentRule.objects.create(name="上海", team=company.team_a, provinces="上海市")
    reps = [company.rep, company.teammate]
    got = []
    for i in range(4):
        lead = lead_capture(
            actor=None,
            name=f"新客{i}",
            mobile=f"1370000000{i}",
            source="web_form",
            province="上海市",
        )
        got.append(lead.party.owner)
        assert lead.party.source == "web_form"
    assert got == reps + reps
    elsewhere = lead_capture(
        actor=None, name="外地客", mobile="13700000099", source="web_form", province="广东省"
    )
    assert elsewhere.party.owner is None  # no rule: it stays in the pool


def test_fewest_held_first_and_the_load_cap(company):
    AssignmentRule.objects.create(
        name="A组", team=company.team_a, strategy="least_loaded", load_cap=1
    )
    first = lead_capture(actor=None, name="甲", mobile="13600000001", source="campaign")
    second = lead_capture(actor=None, name="乙", mobile="13600000002", source="campaign")
    third = lead_capture(actor=None, name="丙", mobile="13600000003", source="campaign")
    assert {first.party.owner, second.party.owner} == {company.rep, company.teammate}
    assert third.party.owner is None  # everyone is at the cap


def test_progress_keeps_a_claim_and_conversion_wins_the_customer(company):
    AssignmentRule.objects.create(name="A组", team=company.team_a)
    lead = lead_capture(actor=None, name="丁", mobile="13600000004", source="web_form")
    rep = lead.party.owner
    with pytest.raises(PermissionDenied):
        lead_status_change(actor=company.far_rep, lead=lead, status="contacted")
    lead_status_change(actor=rep, lead=lead, status="contacted")
    assert Claim.objects.get().last_progress_at is not None
    lead_status_change(actor=rep, lead=lead, status="converted")
    claim = Claim.objects.get()
    assert claim.end_reason == ClaimEnd.CONVERTED
    lead.party.refresh_from_db()
    assert lead.party.owner == rep
    with pytest.raises(ValidationError, match="closed"):
        lead_status_change(actor=rep, lead=lead, status="qualified")


def test_bad_leads_are_refused_with_fields(company):
    with pytest.raises(ValidationError) as caught:
        lead_capture(actor=company.agent, name="", source="web_form", mobile="123")
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        lead_capture(actor=company.agent, name="某", source="web_form", mobile="123")
    assert "mobile" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        lead_capture(actor=company.agent, name="某", source="web_form")
    assert "mobile" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        lead_capture(actor=company.analyst, name="某", source="web_form", mobile="13600000005")
    assert UserFactory(role=Role.SALES_REP)  # the factory still works after refusals


def test_the_pool_shows_the_province_a_lead_gave(company):
    from guanxi.sales.selectors import pool_page

    lead_capture(
        actor=None, name="外省客", mobile="13700000098", source="web_form", province="浙江省"
    )
    rows = pool_page(user=company.rep)
    assert [r.province for r in rows if r.name == "外省客"] == ["浙江省"]
