"""The audit trail: who, when, from where, field-level before/after, append-only."""

import pytest
from django.db import DatabaseError, connection, transaction

from guanxi.core.models import AuditEvent
from guanxi.customers import services
from guanxi.customers.choices import (
    Channel,
    ConsentStatus,
    ContactKind,
    LifecycleStage,
    PartyRoleKind,
)
from guanxi.customers.models import Party
from guanxi.customers.services.contacts import ContactSpec
from tests.conftest import login


def events_for(party):
    return list(
        AuditEvent.objects.filter(
            subject_type="customers.party", subject_id=str(party.pk)
        ).order_by("id")
    )


def test_create_update_delete_share_transfer_are_audited(company):
    party = services.party_create(
        actor=company.rep,
        name="周杰",
        contact_points=[ContactSpec(kind="mobile", value="13912345678")],
    )
    services.party_update(actor=company.rep, party=party, notes="喜欢晚上联系")
    services.party_share(actor=company.rep, party=party, user=company.teammate)
    services.parties_transfer(actor=company.manager, from_user=company.rep, to_user=company.rep_b)
    actions = [e.action for e in events_for(party)]
    assert actions == ["create", "create", "update", "share", "transfer"]
    create, contact, update, share, transfer = events_for(party)
    assert create.changes["name"] == [None, "周杰"]
    assert contact.object_type == "customers.contactpoint"
    assert contact.changes["value"] == [None, "+8613912345678"]
    assert update.changes == {"notes": ["", "喜欢晚上联系"]}
    assert update.actor == company.rep
    assert share.changes["shared_with"] == [None, company.teammate.pk]
    assert transfer.changes["owner"] == [company.rep.pk, company.rep_b.pk]
    assert transfer.actor == company.manager

    pk = party.pk
    services.party_delete(actor=company.manager, party=party)
    deleted = AuditEvent.objects.filter(subject_id=str(pk), action="delete").get()
    assert deleted.changes["name"] == ["周杰", None]


def test_web_changes_record_request_id_and_address(company):
    client = login(company.rep)
    response = client.post(
        "/customers/new/",
        {
            "name": "吴敏",
            "kind": "person",
            "lifecycle_stage": "prospect",
            "source": "call_in",
            "acquisition_cost": "0",
            "mobile": "13800001111",
        },
        HTTP_X_REQUEST_ID="req-test-000123",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="customers.party").latest("id")
    assert event.request_id == "req-test-000123"
    assert event.ip_address == "10.1.2.3"
    assert response["X-Request-ID"] == "req-test-000123"


def test_history_tab_shows_field_changes(company, records):
    party = records["own"]
    services.party_update(actor=company.rep, party=party, lifecycle_stage="customer")
    services.party_share(actor=company.rep, party=party, user=company.teammate, can_edit=True)
    page = login(company.rep).get(f"/customers/{party.pk}/history/").content.decode()
    stage = Party._meta.get_field("lifecycle_stage")
    assert str(stage.verbose_name) in page  # labels, not field names
    assert f"<ins>{LifecycleStage.CUSTOMER.label}</ins>" in page
    assert f"<del>{LifecycleStage.PROSPECT.label}</del>" in page
    assert str(company.teammate) in page


def test_trail_is_append_only_in_the_orm(company, records):
    services.party_update(actor=company.rep, party=records["own"], notes="x")
    event = AuditEvent.objects.latest("id")
    event.changes = {}
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(changes={})


def test_trail_is_append_only_in_the_database(company, records):
    services.party_update(actor=company.rep, party=records["own"], notes="x")
    for sql in ("UPDATE core_auditevent SET changes = '{}'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.filter(changes__notes=["", "x"]).exists()


def test_history_reads_roles_tags_and_contacts_in_plain_words(company):
    party = services.party_create(
        actor=company.rep,
        name="冯静",
        roles=["consumer", "distributor"],
        tags=["VIP"],
        contact_points=[ContactSpec(kind="mobile", value="13566667777", is_primary=True)],
    )
    services.consent_record(
        actor=company.rep, party=party, channel="sms", status="granted", method="paper_form"
    )
    page = login(company.rep).get(f"/customers/{party.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in [
        PartyRoleKind.CONSUMER.label,
        PartyRoleKind.DISTRIBUTOR.label,
        "VIP",
        ContactKind.MOBILE.label,
        ConsentStatus.GRANTED.label,
        Channel.SMS.label,
    ]:
        assert str(text) in html
