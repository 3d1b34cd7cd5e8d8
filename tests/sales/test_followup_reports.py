"""Daily and weekly work reports: one per rep and period, pre-filled with the period's
facts, editable until submitted; the rep's managers see and comment, nobody else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from guanxi.core.models import AuditEvent
from guanxi.sales.models import WorkReport
from guanxi.sales.services.work_reports import report_comment, report_save
from tests.factories import InteractionFactory, PartyFactory

DAY = datetime.date(2026, 3, 11)  # a Wednesday
NOW = timezone.make_aware(datetime.datetime(2026, 3, 11, 18, 0))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def write(rep, **kw):
    kw.setdefault("kind", "daily")
    kw.setdefault("day", DAY)
    kw.setdefault("done", "拜访了 2 位客户")
    return report_save(actor=rep, now=NOW, **kw)


def test_a_daily_report_is_prefilled_edited_and_then_locked(company):
    party = PartyFactory(owner=company.rep)
    InteractionFactory(party=party, kind="call", occurred_at=NOW - datetime.timedelta(hours=3))
    InteractionFactory(party=party, kind="call", occurred_at=NOW - datetime.timedelta(days=1))
    draft = write(company.rep, plan="明天回访")
    assert draft.status == "draft" and draft.facts["calls"] == 1
    again = write(company.rep, done="拜访了 3 位客户", submit=True)
    assert again.pk == draft.pk and again.status == "submitted" and again.done == "拜访了 3 位客户"
    assert again.plan == ""  # what the last save said
    with pytest.raises(ValidationError, match="submitted"):
        write(company.rep, done="改一下")
    assert WorkReport.objects.count() == 1
    actions = list(
        AuditEvent.objects.filter(object_type="sales.workreport")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_a_weekly_report_covers_the_iso_week_and_one_per_period(company):
    weekly = write(company.rep, kind="weekly")
    assert (weekly.period_start, weekly.period_end) == (
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 15),
    )
    same_week = write(company.rep, kind="weekly", day=datetime.date(2026, 3, 13))
    assert same_week.pk == weekly.pk
    assert write(company.rep).pk != weekly.pk  # a daily one is another report


def test_bad_input(company):
    with pytest.raises(ValidationError, match="what was done"):
        write(company.rep, done=" ", submit=True)
    with pytest.raises(ValidationError, match="not begun"):
        write(company.rep, day=DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        write(company.rep, kind="monthly")
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        write(company.rep, problems="问" * 5001)
    assert "problems" in caught.value.message_dict


def test_only_the_reps_managers_see_and_comment(company):
    report = write(company.rep, submit=True)
    assert list(WorkReport.objects.visible_to(company.manager)) == [report]
    assert list(WorkReport.objects.visible_to(company.admin)) == [report]
    for outsider in (company.teammate, company.rep_b, company.far_rep, company.agent):
        assert not WorkReport.objects.visible_to(outsider).exists()
    with pytest.raises(PermissionDenied):
        report_comment(actor=company.teammate, report=report, body="加油")
    comment = report_comment(actor=company.manager, report=report, body="客户跟进很及时", now=NOW)
    report_comment(actor=company.rep, report=report, body="谢谢经理", now=NOW)
    assert [c.author for c in report.comments.all()] == [company.manager, company.rep]
    assert AuditEvent.objects.filter(
        object_type="sales.reportcomment", object_id=comment.pk
    ).exists()
    with pytest.raises(ValidationError):
        report_comment(actor=company.manager, report=report, body="  ")


def test_a_draft_is_not_commented_on(company):
    draft = write(company.rep)
    with pytest.raises(ValidationError, match="submitted"):
        report_comment(actor=company.manager, report=draft, body="?")
