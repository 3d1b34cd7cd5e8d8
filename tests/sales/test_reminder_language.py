"""Reminder emails are written in each recipient's own language (User.language), falling
back to the company's: in one run of a job, the English reader gets English and the
Chinese reader Chinese, whatever language the job itself runs in. The language switcher
keeps a signed-in user's choice; an administrator sets it on the staff form."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation

from guanxi.core.languages import user_language
from guanxi.core.models import AuditEvent, OutboundMessage
from guanxi.sales.models import ApprovalPolicy
from guanxi.sales.services.approvals import approval_reminders
from guanxi.sales.services.collections import receivable_reminders
from guanxi.sales.services.contracts import contract_create, contract_submit
from guanxi.sales.services.followup import task_create, task_digest, task_reminders
from guanxi.sales.services.notices import tell_reps
from guanxi.sales.services.opportunities import discount_request, opportunity_create
from tests.factories import PartyFactory
from tests.sales.contract_helpers import TODAY, active_contract, plan, won_deal

AT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def readers(company):
    """The rep reads English, the teammate Chinese (the default)."""
    company.rep.email, company.rep.language = "rep@example.cn", "en"
    company.rep.save()
    company.teammate.email = "mate@example.cn"
    company.teammate.save()
    assert company.teammate.language == "zh-hans"
    return company


def mail(purpose: str, to: str) -> OutboundMessage:
    return OutboundMessage.objects.get(purpose=purpose, recipient=to)


@pytest.mark.parametrize("job_language", ["en", "zh-hans"])
def test_task_reminders_in_each_assignees_language(readers, job_language):
    due = AT + datetime.timedelta(hours=2)
    for user in (readers.rep, readers.teammate):
        task_create(
            actor=user,
            party=PartyFactory(name="张伟", owner=user),
            title="回访净水器使用情况",
            kind="call",
            due_at=due,
            remind_before=30,
        )
    with translation.override(job_language):
        assert task_reminders(now=due - datetime.timedelta(minutes=30)) == 2
        assert translation.get_language() == job_language  # the job's own is restored
    english = mail("task_reminder", "rep@example.cn")
    chinese = mail("task_reminder", "mate@example.cn")
    assert english.subject == "Follow-up due 2026-03-10 20:00: 回访净水器使用情况"
    assert english.body == "Call 张伟: 回访净水器使用情况, due 2026-03-10 20:00."
    assert chinese.subject == "跟进任务 2026-03-10 20:00 到期：回访净水器使用情况"


@override_settings(TASK_DIGEST_HOUR=8)
def test_the_overdue_digest_in_each_users_language(readers):
    now = AT  # 18:00 in Shanghai
    for user in (readers.rep, readers.teammate):
        party = PartyFactory(owner=user)
        for hours in (3, 30):
            task_create(
                actor=user,
                party=party,
                title="回访",
                kind="call",
                due_at=now - datetime.timedelta(hours=hours),
                now=now - datetime.timedelta(days=3),
            )
    assert task_digest(now=now) == 2
    assert mail("task_digest", "rep@example.cn").subject == "2 overdue follow-up tasks"
    assert mail("task_digest", "mate@example.cn").subject == "2 项跟进任务已逾期"


def test_approval_reminders_word_the_whole_email_in_the_approvers_language(company):
    """The requests are made in Chinese; the English approver still reads English
    throughout, the summary included."""
    company.manager.email, company.manager.language = "boss@example.cn", "en"
    company.manager.save()
    company.admin.email = "admin@example.cn"  # approves for the south: no manager there
    company.admin.save()
    ApprovalPolicy.objects.update_or_create(kind="contract", defaults={"threshold": 1000})
    ApprovalPolicy.objects.update_or_create(kind="discount", defaults={"threshold": 5})
    asked = timezone.now() - datetime.timedelta(hours=30)
    with translation.override("zh-hans"):
        contract = contract_create(
            actor=company.rep,
            opportunity=won_deal(company.rep, amount="9000.00"),
            signed_on=TODAY,
            instalments=plan("9000.00"),
        )
        contract_submit(actor=company.rep, contract=contract, now=asked)
        deal = opportunity_create(
            actor=company.far_rep,
            party=PartyFactory(owner=company.far_rep),
            title="空气净化器",
            amount=Decimal("20000.00"),
        )
        discount_request(actor=company.far_rep, opportunity=deal, percent=Decimal(15), now=asked)
    with translation.override("en"):
        assert approval_reminders() == 2
    english = mail("approval_reminder", "boss@example.cn")
    assert english.subject == (
        f"Waiting for your approval: Contract {contract.number} with "
        f"{contract.party.name}: ¥9000.00"
    )
    assert english.body.startswith(f"{company.rep} asks: Contract {contract.number}")
    chinese = mail("approval_reminder", "admin@example.cn")
    assert chinese.subject == "待您审批：空气净化器（¥20000.00）折扣 15.00%"


def test_receivable_reminders_in_each_reps_language(readers):
    ApprovalPolicy.objects.update_or_create(kind="contract", defaults={"threshold": "1000000"})
    english = active_contract(readers.rep, "5000.00")
    chinese = active_contract(readers.teammate, "5000.00")
    assert receivable_reminders() == 2
    en = mail("receivable_reminder", "rep@example.cn")
    zh = mail("receivable_reminder", "mate@example.cn")
    assert en.subject == f"Overdue: contract {english.number}, instalment 1"
    assert zh.subject == f"逾期催款：合同 {chinese.number} 第 1 期"


def test_pool_recycle_notices_in_each_reps_language(readers):
    with translation.override("zh-hans"):
        tell_reps(readers.rep.pk, 2)
        tell_reps(readers.teammate.pk, 3)
    assert mail("pool_recycle", "rep@example.cn").subject == "Records returned to the pool"
    assert mail("pool_recycle", "mate@example.cn").subject == "记录已回收到公海"


def test_an_unknown_language_falls_back_to_the_companys(company, settings):
    company.rep.language = "fr"  # e.g. a language the company has since switched off
    assert user_language(company.rep) == settings.LANGUAGE_CODE == "zh-hans"
    company.rep.language = ""
    assert user_language(company.rep) == "zh-hans"
    assert user_language(None) == "zh-hans"


def test_the_switcher_keeps_a_signed_in_users_choice(company):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(company.rep)
    page = client.get("/customers/").content.decode()
    assert 'action="/language/"' in page
    switched = client.post("/language/", {"language": "en", "next": "/customers/"})
    assert switched.status_code == 302 and switched["Location"] == "/customers/"
    company.rep.refresh_from_db()
    assert company.rep.language == "en"
    audit = AuditEvent.objects.get(object_type="core.user", object_id=str(company.rep.pk))
    assert audit.changes == {"language": ["zh-hans", "en"]}
    client.post("/language/", {"language": "xx", "next": "/customers/"})  # ignored
    company.rep.refresh_from_db()
    assert company.rep.language == "en"
    anonymous = Client().post("/language/", {"language": "en", "next": "/login/"})
    assert anonymous.status_code == 302


def test_an_administrator_sets_it_on_the_staff_form(company):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(company.admin)
    url = f"/organisation/staff/{company.rep.pk}/"
    data = {"display_name": "张伟", "role": "sales_rep", "org_unit": company.team_a.pk}
    bad = client.post(url, {**data, "language": "fr"})
    assert bad.status_code == 200 and "fr" in bad.content.decode()  # the form's error
    client.post(url, {**data, "language": "en", "is_active": "on"})
    company.rep.refresh_from_db()
    assert company.rep.language == "en"
    client.post(url, {**data, "is_active": "on"})  # left out: kept
    company.rep.refresh_from_db()
    assert company.rep.language == "en"


def test_only_the_user_or_an_administrator_sets_it(company):
    from django.core.exceptions import PermissionDenied, ValidationError

    from guanxi.core.services.preferences import user_language_set

    with pytest.raises(PermissionDenied):
        user_language_set(actor=company.manager, user=company.rep, language="en")
    with pytest.raises(ValidationError):
        user_language_set(actor=company.rep, user=company.rep, language="fr")
    user_language_set(actor=company.admin, user=company.rep, language="en")
    company.rep.refresh_from_db()
    assert company.rep.language == "en"


def test_the_api_reads_and_sets_ones_own_language(company):
    from tests.conftest import api_client

    client = api_client(company.rep)
    assert client.get("/api/v1/me").json()["language"] == "zh-hans"
    set_it = client.patch("/api/v1/me", {"language": "en"}, content_type="application/json")
    assert set_it.status_code == 200 and set_it.json()["language"] == "en"
    bad = client.patch("/api/v1/me", {"language": "fr"}, content_type="application/json")
    assert bad.status_code == 422 and "language" in bad.json()["errors"]
    admin = api_client(company.admin)
    url = f"/api/v1/users/{company.teammate.pk}"
    changed = admin.patch(url, {"language": "en"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["language"] == "en"
    wrong = admin.patch(url, {"language": "fr"}, content_type="application/json")
    assert wrong.status_code == 422 and "language" in wrong.json()["errors"]
