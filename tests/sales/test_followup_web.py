"""The follow-up pages over HTTP: planning from the customer's page, my tasks with the
menu badge, completing, the manager's team day with its drill-down and date picker,
KPIs, work reports with comments; bad input answers with messages, never a 500, and no
one reaches another team's records."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanxi.customers.models import Interaction
from guanxi.sales.models import FollowUpTask, ReportComment, WorkReport
from guanxi.sales.services.followup import task_create
from guanxi.sales.services.work_reports import report_save


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def soon(hours: int = 2) -> str:
    return (timezone.localtime() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_plan_from_the_customer_page_and_complete_from_my_tasks(company, records):
    c = login(company.rep)
    party = records["own"]
    page = c.get(reverse("customers:detail", args=[party.pk])).content.decode()
    assert 'id="followup-panel"' in page and "Plan a follow-up" in page
    done = c.post(
        reverse("sales:task_new", args=[party.pk]),
        {"title": "电话回访", "kind": "call", "priority": "high", "due_at": soon(-1)},
    )
    assert done.status_code == 302
    task = FollowUpTask.objects.get()
    page = c.get(reverse("sales:tasks")).content.decode()
    assert "电话回访" in page and f'id="task-{task.pk}"' in page
    assert '<span class="badge overdue">1</span>' in page  # the menu's badge
    c.post(
        reverse("sales:task_done", args=[task.pk]), {"outcome": "客户满意", "log_activity": "on"}
    )
    task.refresh_from_db()
    assert task.status == "done" and Interaction.objects.filter(party=party).count() == 1


def test_bad_task_input_is_told_not_a_500(company, records):
    c = login(company.rep)
    url = reverse("sales:task_new", args=[records["own"].pk])
    response = c.post(url, {"title": "", "kind": "fax", "due_at": "tomorrow"}, follow=True)
    assert response.status_code == 200 and FollowUpTask.objects.count() == 0
    assert "Task:" in response.content.decode()
    assert c.post(reverse("sales:task_new", args=[records["teammate"].pk]), {}).status_code == 404
    task = task_create(actor=company.rep, party=records["own"], title="t", due_at=timezone.now())
    response = c.post(reverse("sales:task_done", args=[task.pk]), {"outcome": ""}, follow=True)
    assert "Say what came of it." in response.content.decode()
    response = c.post(
        reverse("sales:task_reschedule", args=[task.pk]), {"due_at": "x"}, follow=True
    )
    assert response.status_code == 200 and "Enter a date and time." in response.content.decode()
    other = login(company.far_rep)
    for name in ("task_done", "task_cancel", "task_reschedule"):
        assert other.post(reverse(f"sales:{name}", args=[task.pk]), {}).status_code == 404


def test_the_team_day_for_managers_only_with_drill_down_and_date(company, records):
    task_create(actor=company.rep, party=records["own"], title="上门演示", due_at=timezone.now())
    assert login(company.rep).get(reverse("sales:team_day")).status_code == 403
    m = login(company.manager)
    page = m.get(reverse("sales:team_day")).content.decode()
    assert str(company.rep) in page and str(company.far_rep) not in page
    assert 'href="/sales/team/day/"' in m.get(reverse("sales:tasks")).content.decode()
    drill = m.get(reverse("sales:team_day"), {"rep": company.rep.pk}).content.decode()
    assert 'id="detail"' in drill and "上门演示" in drill
    assert m.get(reverse("sales:team_day"), {"rep": company.far_rep.pk}).status_code == 403
    assert m.get(reverse("sales:team_day"), {"date": "2026-02-30"}).status_code == 200
    past = m.get(reverse("sales:team_day"), {"date": "2026-01-05"}).content.decode()
    assert "2026-01-05" in past


def test_kpis_page_for_periods_and_bad_dates(company):
    m = login(company.manager)
    for params in (
        {},
        {"period": "week", "date": "2026-03-11"},
        {"period": "custom", "start": "2026-03-31", "end": "2026-03-01"},
        {"period": "custom", "start": "nonsense", "end": "2020-13-01"},
    ):
        page = m.get(reverse("sales:kpis"), params)
        assert page.status_code == 200
    page = m.get(reverse("sales:kpis"), {"period": "week", "date": "2026-03-11"}).content.decode()
    assert "2026-03-09 – 2026-03-15" in page and "Total" in page
    mine = login(company.rep).get(reverse("sales:kpis")).content.decode()
    assert str(company.rep) in mine and str(company.teammate) not in mine


def test_write_submit_and_comment_on_a_daily_report(company):
    rep = login(company.rep)
    url = reverse("sales:work_reports")
    page = rep.get(url).content.decode()
    assert 'id="report-form"' in page
    today = timezone.localdate().isoformat()
    form = {"kind": "daily", "day": today, "done": "打了 5 个电话", "plan": "约两位客户上门"}
    saved = rep.post(url, {**form, "action": "save"})
    report = WorkReport.objects.get()
    assert saved["Location"] == reverse("sales:work_report", args=[report.pk])
    assert report.status == "draft"
    rep.post(url, {**form, "action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted"
    m = login(company.manager)
    team = m.get(url).content.decode()
    assert 'id="team-reports"' in team and "打了 5 个电话" in team
    assert "Not written" in team  # the teammate has not written one
    detail = reverse("sales:work_report", args=[report.pk])
    m.post(detail, {"body": "很好，继续保持"})
    assert ReportComment.objects.get().author == company.manager
    assert "很好，继续保持" in rep.get(detail).content.decode()
    assert login(company.teammate).get(detail).status_code == 404
    assert login(company.far_rep).post(detail, {"body": "x"}).status_code == 404


def test_bad_report_input_is_a_field_message(company):
    rep = login(company.rep)
    url = reverse("sales:work_reports")
    response = rep.post(url, {"kind": "daily", "day": "2026-02-30", "done": ""})
    assert response.status_code == 200 and WorkReport.objects.count() == 0
    response = rep.post(url, {"kind": "daily", "day": timezone.localdate(), "action": "submit"})
    assert "Say what was done before submitting." in response.content.decode()
    report_save(actor=company.rep, kind="daily", day=timezone.localdate(), done="x", submit=True)
    response = rep.post(
        url, {"kind": "daily", "day": timezone.localdate(), "done": "y", "action": "save"}
    )
    assert "can no longer change" in response.content.decode()


@pytest.mark.parametrize("name", ["tasks", "kpis", "work_reports"])
def test_portal_users_are_sent_to_the_portal(company, name):
    from tests.factories import UserFactory

    consumer = UserFactory(kind="consumer", role="sales_rep")
    response = login(consumer).get(reverse(f"sales:{name}"))
    assert response.status_code == 302 and response["Location"] == "/portal/"
