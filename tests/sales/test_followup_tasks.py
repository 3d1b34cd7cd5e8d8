"""Follow-up tasks: who may plan, assign, complete and cancel them; completing a call logs
it on the customer's timeline and keeps the claim alive; reminders go out once, at the
lead time, and the overdue digest once a day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from guanxi.core.models import AuditEvent, OutboundMessage
from guanxi.customers.models import Interaction
from guanxi.sales.choices import TaskStatus
from guanxi.sales.models import FollowUpTask
from guanxi.sales.selectors_followup import due_by_tonight, my_tasks
from guanxi.sales.services.followup import (
    task_cancel,
    task_complete,
    task_create,
    task_digest,
    task_reminders,
    task_reschedule,
)
from guanxi.sales.services.pool import claim_take
from tests.factories import PartyFactory

AT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)  # 18:00 in Shanghai


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def plan(company, party, **kw):
    kw.setdefault("actor", company.rep)
    kw.setdefault("title", "回访净水器使用情况")
    kw.setdefault("due_at", timezone.now() + datetime.timedelta(hours=2))
    return task_create(party=party, **kw)


def test_a_rep_plans_a_task_on_their_customer_and_it_is_audited(company, records):
    task = plan(company, records["own"], kind="visit", priority="high", remind_before=60)
    assert task.assignee == company.rep and task.status == TaskStatus.OPEN
    assert task.remind_at == task.due_at - datetime.timedelta(minutes=60)
    event = AuditEvent.objects.get(object_type="sales.followuptask")
    assert event.subject_id == str(records["own"].pk) and event.actor == company.rep


def test_no_task_on_someone_elses_customer_nor_for_someone_else(company, records):
    with pytest.raises(PermissionDenied):
        plan(company, records["teammate"])  # a teammate's customer is not the rep's
    with pytest.raises(PermissionDenied):  # only managers assign
        plan(company, records["own"], assignee=company.teammate)
    with pytest.raises(PermissionDenied):  # a manager, but not of the south region
        plan(company, records["own"], actor=company.manager, assignee=company.far_rep)
    with pytest.raises(ValidationError, match="cannot see"):
        plan(company, records["teammate"], actor=company.manager, assignee=company.rep)
    task = plan(company, records["own"], actor=company.manager, assignee=company.rep)
    assert task.assignee == company.rep and task.created_by == company.manager


def test_bad_input_is_a_field_message(company, records):
    with pytest.raises(ValidationError) as caught:
        plan(company, records["own"], title="  ", kind="fax")
    assert {"title", "kind"} <= set(caught.value.message_dict)
    other_party = PartyFactory(owner=company.rep)
    from guanxi.sales.services.opportunities import opportunity_create

    deal = opportunity_create(actor=company.rep, party=other_party, title="团购")
    with pytest.raises(ValidationError, match="another customer"):
        plan(company, records["own"], opportunity=deal)


def test_completing_a_call_logs_it_and_keeps_the_claim_alive(company):
    party = PartyFactory(owner=None)
    claimed = timezone.now() - datetime.timedelta(days=3)
    claim = claim_take(actor=company.rep, party=party, now=claimed)
    task = plan(company, party)
    with pytest.raises(PermissionDenied):
        task_complete(actor=company.manager, task=task, outcome="x")  # only the assignee
    with pytest.raises(ValidationError, match="came of it"):
        task_complete(actor=company.rep, task=task, outcome=" ")
    done = task_complete(
        actor=company.rep, task=task, outcome="客户同意周六上门演示", activity_outcome="interested"
    )
    assert done.status == TaskStatus.DONE and done.closed_at is not None
    logged = Interaction.objects.get(party=party)
    assert (logged.kind, logged.actor, logged.outcome) == ("call", company.rep, "interested")
    assert logged.body == "客户同意周六上门演示" and done.interaction == logged
    claim.refresh_from_db()
    assert claim.last_follow_up_at == logged.occurred_at
    with pytest.raises(ValidationError, match="closed already"):
        task_complete(actor=company.rep, task=task, outcome="again")


def test_a_wechat_task_is_logged_as_a_note_and_logging_is_optional(company, records):
    wechat = plan(company, records["own"], kind="wechat", title="发产品资料")
    task_complete(actor=company.rep, task=wechat, outcome="已发送")
    note = Interaction.objects.get()
    assert note.kind == "note" and note.subject == "WeChat: 发产品资料"
    quiet = plan(company, records["own"])
    task_complete(actor=company.rep, task=quiet, outcome="没接通", log_activity=False)
    assert Interaction.objects.count() == 1


def test_cancel_needs_a_reason_and_a_manager_over_the_rep_may_cancel(company, records):
    task = plan(company, records["own"])
    with pytest.raises(ValidationError):
        task_cancel(actor=company.rep, task=task, reason="")
    with pytest.raises(PermissionDenied):
        task_cancel(actor=company.teammate, task=task, reason="不是我的")
    task_cancel(actor=company.manager, task=task, reason="客户已由门店跟进")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and task.outcome == "客户已由门店跟进"


def test_my_tasks_buckets_and_the_badge(company, records):
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 0))  # local morning
    for hours in (-30, -1, 2, 16, 40):  # yesterday, an hour ago, today, tomorrow (x2)
        plan(company, records["own"], due_at=now + datetime.timedelta(hours=hours))
    plan(company, records["teammate"], actor=company.teammate, due_at=now)
    buckets = my_tasks(user=company.rep, now=now)
    assert [len(buckets[k]) for k in ("overdue", "today", "upcoming")] == [2, 1, 2]
    assert due_by_tonight(user=company.rep, now=now) == 3


def test_a_reminder_goes_out_once_at_its_lead_time_and_again_after_a_move(company, records):
    company.rep.email = "rep@example.cn"
    company.rep.save()
    due = AT + datetime.timedelta(hours=2)
    task = plan(company, records["own"], due_at=due, remind_before=30)
    assert task_reminders(now=due - datetime.timedelta(minutes=31)) == 0
    assert task_reminders(now=due - datetime.timedelta(minutes=30)) == 1
    assert task_reminders(now=due - datetime.timedelta(minutes=10)) == 0  # once per task
    message = OutboundMessage.objects.get(purpose="task_reminder")
    assert message.recipient == "rep@example.cn" and "回访净水器使用情况" in message.body
    task_reschedule(actor=company.rep, task=task, due_at=due + datetime.timedelta(days=1))
    assert task_reminders(now=due + datetime.timedelta(days=1, minutes=-31)) == 0  # kept 30
    assert task_reminders(now=due + datetime.timedelta(days=1, minutes=-30)) == 1
    silent = plan(company, records["own"], due_at=due, remind_before=-1)
    assert silent.remind_at is None


@override_settings(TASK_DIGEST_HOUR=8)
def test_the_overdue_digest_is_sent_once_a_day_from_the_digest_hour(company, records):
    company.rep.email = "rep@example.cn"
    company.rep.save()
    early = timezone.make_aware(datetime.datetime(2026, 3, 10, 7, 30))
    plan(company, records["own"], due_at=early - datetime.timedelta(days=1))
    plan(company, records["own"], due_at=early - datetime.timedelta(hours=2))
    plan(company, records["own"], due_at=early + datetime.timedelta(days=3))  # not overdue
    assert task_digest(now=early) == 0
    assert task_digest(now=early + datetime.timedelta(hours=1)) == 1
    assert task_digest(now=early + datetime.timedelta(hours=5)) == 0
    digest = OutboundMessage.objects.get(purpose="task_digest")
    # Emails go out in the company's language (LANGUAGE_CODE), not the request's.
    assert digest.subject == "2 项跟进任务已逾期" and digest.body.count("\n") == 1
    assert task_digest(now=early + datetime.timedelta(days=1, hours=1)) == 1


def test_the_periodic_jobs_are_registered():
    from guanxi.core import periodic

    jobs = periodic.registered()
    assert jobs["task_reminders"] <= datetime.timedelta(minutes=5)
    assert jobs["task_digest"] == datetime.timedelta(hours=1)


def test_tasks_are_seen_only_through_the_customer(company, records):
    plan(company, records["own"])
    assert FollowUpTask.objects.visible_to(company.rep).count() == 1
    assert FollowUpTask.objects.visible_to(company.teammate).count() == 0
    assert FollowUpTask.objects.visible_to(company.manager).count() == 1
    assert FollowUpTask.objects.visible_to(company.far_rep).count() == 0
