"""Converting a lead whose customer sits in the public pool: the converter claims the
customer through the pool's own rules (cap, cool-down, audit) and wins it, or the
conversion is refused with the pool's reason and nothing changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from guanxi.core.models import AuditEvent
from guanxi.sales.choices import ClaimEnd, LeadStatus
from guanxi.sales.models import Claim, Lead, PoolPolicy
from guanxi.sales.services.leads import lead_capture, lead_status_change
from guanxi.sales.services.pool import active_claims, claim_release, claim_take
from tests.conftest import api_client
from tests.factories import PartyFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pool_lead(mobile="13912345678") -> Lead:
    lead = lead_capture(actor=None, name="周杰", mobile=mobile, source="web_form")
    assert lead.party.owner_id is None  # no assignment rule: it stays in the pool
    return lead


def cap(n: int) -> None:
    PoolPolicy.objects.update_or_create(pk=1, defaults={"max_claims": n})


def hold(user, n: int) -> None:
    for _ in range(n):
        claim_take(actor=user, party=PartyFactory(owner=None))


def test_converting_a_pool_lead_makes_the_customer_the_converters(company):
    lead = pool_lead()
    lead_status_change(actor=company.manager, lead=lead, status=LeadStatus.CONVERTED)
    lead.refresh_from_db()
    lead.party.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED and lead.party.owner == company.manager
    claim = Claim.objects.get(party=lead.party)
    assert claim.user == company.manager and claim.end_reason == ClaimEnd.CONVERTED
    assert active_claims(company.manager) == 0  # won: it no longer counts against the cap
    taken = AuditEvent.objects.get(action="claim", object_id=str(lead.party_id))
    assert taken.actor == company.manager


def test_the_cap_edge(company):
    cap(3)
    hold(company.manager, 2)  # one below the cap: converting may take the third
    first = pool_lead("13900000001")
    lead_status_change(actor=company.manager, lead=first, status=LeadStatus.CONVERTED)
    assert Lead.objects.get(pk=first.pk).status == LeadStatus.CONVERTED
    hold(company.manager, 1)  # now at the cap
    second = pool_lead("13900000002")
    with pytest.raises(ValidationError) as refused:
        lead_status_change(actor=company.manager, lead=second, status=LeadStatus.CONVERTED)
    assert refused.value.message_dict == {
        "status": [
            "This customer is in the public pool; converting the lead would make them yours, "
            "but: You hold 3 records, the most allowed; release some first."
        ]
    }
    second.refresh_from_db()
    second.party.refresh_from_db()
    assert second.status == LeadStatus.NEW and second.party.owner_id is None
    assert not Claim.objects.filter(party=second.party).exists()


def test_refused_in_the_cool_down_after_giving_it_back(company):
    lead = pool_lead()
    claim = claim_take(actor=company.manager, party=lead.party)
    claim_release(actor=company.manager, claim=claim)
    with pytest.raises(ValidationError, match="You gave this record back recently"):
        lead_status_change(actor=company.manager, lead=lead, status=LeadStatus.CONVERTED)
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NEW


def test_an_owned_customer_stays_with_its_owner(company):
    lead = pool_lead()
    party = lead.party
    party.owner = company.rep  # e.g. handed to the rep by a manager meanwhile
    party.save(update_fields=["owner"])
    cap(0)  # the pool's cap plays no part: nothing is claimed
    lead_status_change(actor=company.manager, lead=lead, status=LeadStatus.CONVERTED)
    party.refresh_from_db()
    assert party.owner == company.rep and not Claim.objects.filter(party=party).exists()


def test_a_rep_cannot_convert_a_pool_lead_they_do_not_hold(company):
    lead = pool_lead()
    with pytest.raises(PermissionDenied):
        lead_status_change(actor=company.rep, lead=lead, status=LeadStatus.CONVERTED)


def test_other_moves_leave_the_pool_alone(company):
    lead = pool_lead()
    lead_status_change(actor=company.manager, lead=lead, status=LeadStatus.CONTACTED)
    lead_status_change(actor=company.manager, lead=lead, status=LeadStatus.DISQUALIFIED)
    assert Lead.objects.get(pk=lead.pk).party.owner_id is None


def test_api_answers_422_with_the_reason_at_the_cap(company):
    cap(1)
    hold(company.manager, 1)
    lead = pool_lead()
    response = api_client(company.manager).post(
        f"/api/v1/leads/{lead.pk}/status",
        {"status": "converted"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "You hold 1 records" in response.json()["errors"]["status"][0]
    cap(2)
    again = api_client(company.manager).post(
        f"/api/v1/leads/{lead.pk}/status", {"status": "converted"}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["status"] == "converted"


def test_the_lead_page_shows_the_reason(company):
    cap(1)
    hold(company.manager, 1)
    lead = pool_lead()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(company.manager)
    page = client.post(f"/sales/leads/{lead.pk}/status/", {"status": "converted"}, follow=True)
    assert "converting the lead would make them yours" in page.content.decode()
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NEW


def test_the_claim_starts_at_the_conversion_time(company):
    lead = pool_lead()
    at = timezone.now() - datetime.timedelta(hours=1)
    lead_status_change(actor=company.manager, lead=lead, status=LeadStatus.CONVERTED, now=at)
    claim = Claim.objects.get(party=lead.party)
    assert claim.claimed_at == at and claim.ended_at == at
