"""The follow-up demo: Chinese tasks at every stage and reports with a comment."""

from guanxi.sales.demo_followup import load_followup_demo
from guanxi.sales.models import FollowUpTask, ReportComment, WorkReport
from guanxi.sales.selectors_followup import my_tasks
from tests.factories import PartyFactory


def test_the_demo_shows_overdue_today_and_done_tasks_and_commented_reports(company):
    for rep in (company.rep, company.teammate):
        PartyFactory.create_batch(8, owner=rep)
    users = {"rep": company.rep, "rep2": company.teammate, "manager": company.manager}
    assert load_followup_demo(users=users) == {"tasks": 16, "done": 1}
    buckets = my_tasks(user=company.rep)
    assert len(buckets["overdue"]) == 2 and buckets["upcoming"]
    assert FollowUpTask.objects.filter(status="done", interaction__isnull=False).count() == 1
    assert WorkReport.objects.filter(status="submitted").count() == 2
    assert ReportComment.objects.get().author == company.manager
