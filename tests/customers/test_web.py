"""Web pages: create with the duplicate warning, edit, 360, logging, follow-ups, transfer."""

import datetime

import pytest
from django.utils import timezone

from guanxi.core.models import Job
from guanxi.customers import services
from guanxi.customers.models import Interaction, Party
from guanxi.customers.services.contacts import ContactSpec
from tests.conftest import login

NEW = {
    "name": "钱多多",
    "kind": "person",
    "lifecycle_stage": "prospect",
    "source": "call_in",
    "acquisition_cost": "12.50",
    "mobile": "137 0000 1234",
    "province": "上海市",
    "city": "上海市",
    "district": "浦东新区",
    "address": "世纪大道 1 号",
    "roles": ["consumer"],
    "tags": "VIP，高意向",
}


def test_create_customer_through_the_form(company):
    response = login(company.rep).post("/customers/new/", NEW)
    assert response.status_code == 302
    party = Party.objects.get(name="钱多多")
    assert response["Location"] == f"/customers/{party.pk}/"
    assert sorted(t.name for t in party.tags.all()) == ["VIP", "高意向"]
    assert party.contact_points.get(kind="mobile").normalized == "+8613700001234"


def test_duplicate_warning_shows_existing_record_and_owner(company):
    login(company.far_rep).post("/customers/new/", NEW)
    response = login(company.rep).post("/customers/new/", {**NEW, "name": "钱老板"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "钱多多" in html and str(company.far_rep) in html
    assert "+8613700001234" not in html  # no contact data of a record the rep cannot see
    assert Party.objects.count() == 1


def test_manager_can_create_anyway(company):
    login(company.rep).post("/customers/new/", NEW)
    client = login(company.manager)
    first = client.post("/customers/new/", {**NEW, "name": "钱二"})
    assert "allow_duplicate" in first.content.decode()
    client.post("/customers/new/", {**NEW, "name": "钱二", "allow_duplicate": "1"})
    assert Party.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mobile", "123"),
        ("email", "bad@"),
        ("name", ""),
        ("acquisition_cost", "-1"),
        ("birthday", "2020-13-45"),
        ("name", "长" * 201),
    ],
)
def test_bad_input_is_a_form_error_not_a_500(company, field, value):
    response = login(company.rep).post("/customers/new/", {**NEW, field: value})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Party.objects.exists()


def test_edit_customer(company, records):
    party = records["own"]
    client = login(company.rep)
    data = {
        "name": "张伟",
        "kind": "person",
        "lifecycle_stage": "customer",
        "source": "walk_in",
        "acquisition_cost": "0",
        "tags": "老客户",
    }
    assert client.post(f"/customers/{party.pk}/edit/", data).status_code == 302
    party.refresh_from_db()
    assert party.lifecycle_stage == "customer"


def test_360_page_and_logging_a_call(company, records):
    party = records["own"]
    client = login(company.rep)
    page = client.get(f"/customers/{party.pk}/").content.decode()
    assert party.name in page
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/customers/{party.pk}/log/",
        {
            "kind": "call",
            "outcome": "interested",
            "subject": "介绍新品",
            "body": "想试用",
            "follow_up_on": tomorrow,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "介绍新品" in response.content.decode()
    interaction = Interaction.objects.get()
    assert interaction.actor == company.rep
    assert interaction.follow_up_on.isoformat() == tomorrow


def test_logging_with_a_past_follow_up_is_refused(company, records):
    response = login(company.rep).post(
        f"/customers/{records['own'].pk}/log/", {"kind": "call", "follow_up_on": "2001-01-01"}
    )
    assert response.status_code == 422
    assert not Interaction.objects.exists()


def test_timeline_pages_with_a_cursor(company, records):
    party = records["own"]
    now = timezone.now()
    for i in range(25):
        services.interaction_log(
            actor=company.rep,
            party=party,
            kind="note",
            subject=f"第{i}条",
            occurred_at=now - datetime.timedelta(hours=i),
        )
    client = login(company.rep)
    first = client.get(f"/customers/{party.pk}/").content.decode()
    assert "第0条" in first and "第24条" not in first
    cursor = first.split("?cursor=")[1].split('"')[0]
    second = client.get(f"/customers/{party.pk}/timeline/?cursor={cursor}").content.decode()
    assert "第24条" in second and "第0条" not in second


def test_follow_up_list_and_done(company, records):
    party = records["own"]
    services.interaction_log(
        actor=company.rep,
        party=party,
        kind="call",
        subject="回访",
        follow_up_on=timezone.localdate(),
    )
    client = login(company.rep)
    assert party.name in client.get("/customers/follow-ups/").content.decode()
    interaction = Interaction.objects.get()
    client.post(f"/customers/follow-ups/{interaction.pk}/done/")
    interaction.refresh_from_db()
    assert interaction.follow_up_done_at is not None


def test_contact_and_consent_and_share_forms(company, records):
    party = records["own"]
    client = login(company.rep)
    client.post(f"/customers/{party.pk}/contacts/", {"kind": "wechat", "value": "zhangwei_88"})
    assert party.contact_points.filter(kind="wechat").exists()
    client.post(
        f"/customers/{party.pk}/consent/",
        {"channel": "sms", "status": "granted", "method": "paper_form"},
    )
    assert party.consents.get().status == "granted"
    client.post(f"/customers/{party.pk}/share/", {"user": company.teammate.pk})
    assert party.shares.get().user == company.teammate


def test_transfer_runs_as_a_job_with_progress(company, records, django_capture_on_commit_callbacks):
    services.party_create(
        actor=company.rep,
        name="第二位",
        contact_points=[ContactSpec(kind="mobile", value="13311112222")],
    )
    client = login(company.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/customers/transfer/", {"from_user": company.rep.pk, "to_user": company.teammate.pk}
        )
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded"
    assert job.result == {"moved": 2}
    assert (job.progress, job.total) == (2, 2)
    assert Party.objects.filter(owner=company.teammate).count() == 3
    progress = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "2 / 2" in progress


def test_reps_cannot_open_transfer(company):
    assert login(company.rep).get("/customers/transfer/").status_code == 403


def test_export_neutralises_formulas(company):
    services.party_create(actor=company.manager, name="=HYPERLINK(1)", contact_points=[])
    body = b"".join(login(company.manager).get("/customers/export.csv").streaming_content)
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK(1)" in text


def test_language_switch_to_english_and_back(company):
    client = login(company.rep)
    client.post("/i18n/setlang/", {"language": "en", "next": "/customers/"})
    assert "Customers" in client.get("/customers/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/customers/"})
    assert "客户" in client.get("/customers/").content.decode()


def test_list_never_counts_past_the_cap(company, django_assert_max_num_queries):
    client = login(company.rep)
    with django_assert_max_num_queries(12):
        client.get("/customers/")


def test_manager_changes_one_customers_owner(company, records):
    party = records["own"]
    client = login(company.manager)
    assert f"/customers/{party.pk}/owner/" in client.get(f"/customers/{party.pk}/").content.decode()
    assert "/owner/" not in login(company.rep).get(f"/customers/{party.pk}/").content.decode()
    client.post(f"/customers/{party.pk}/owner/", {"to_user": company.rep_b.pk})
    party.refresh_from_db()
    assert party.owner == company.rep_b
    assert records["teammate"].owner == company.teammate  # only that one moved
    assert (
        login(company.rep)
        .post(f"/customers/{party.pk}/owner/", {"to_user": company.rep.pk})
        .status_code
        == 404
    )
