"""Network pages: genealogy, runs, statements (web and PDF), health, the back office."""

import pytest
from django.test import Client
from django.urls import reverse

from guanxi.core.choices import UserKind
from guanxi.network.choices import RunStatus
from guanxi.network.models import CommissionRun, Distributor
from guanxi.network.services.genealogy import team_stats_refresh
from guanxi.network.services.loading import network_import
from guanxi.network.services.plans import plan_save
from guanxi.network.services.runs import commission_commit, commission_run
from tests.factories import UserFactory
from tests.network.test_files import DISTRIBUTORS, ORDERS, PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(tmp_path):
    (tmp_path / "D.csv").write_text(DISTRIBUTORS, encoding="utf-8")
    (tmp_path / "O.csv").write_text(ORDERS, encoding="utf-8")
    network_import(actor=None, distributors=tmp_path / "D.csv", orders=tmp_path / "O.csv")
    team_stats_refresh(period="2026-10")
    version = plan_save(actor=None, name="标准", source=PLAN)
    return commission_run(actor=None, plan_version=version, period="2026-10")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_search_tree_and_downline(company, network):
    c = client_for(company.manager)  # distributors are company-owned: the pool
    page = c.get(reverse("network:home"))
    assert page.status_code == 200 and "王芳" in page.content.decode()  # the root
    found = c.get(reverse("network:home"), {"q": "zm"})  # 张敏 by pinyin initials
    assert "C" in found.content.decode() and "张敏" in found.content.decode()
    detail = c.get(reverse("network:detail", args=["B"]))
    body = detail.content.decode()
    assert "李伟" in body and 'href="/network/d/A/"' in body  # upline link
    assert "/network/d/C/children/" not in body  # C has no recruits to open
    children = c.get(reverse("network:children", args=["A"]))
    assert "李伟" in children.content.decode() and "赵磊" in children.content.decode()
    downline = c.get(reverse("network:downline", args=["A"]), {"depth": 2})
    assert "张敏" in downline.content.decode()


def test_a_rep_sees_no_distributor_and_a_distributor_no_staff_page(company, network):
    assert client_for(company.rep).get(reverse("network:detail", args=["A"])).status_code == 404
    ibo = UserFactory(username="ibo", kind=UserKind.DISTRIBUTOR)
    staff_page = client_for(ibo).get(reverse("network:home"))
    assert staff_page.status_code == 302 and staff_page["Location"] == reverse("portal:home")


def test_statement_page_and_pdf(company, network):
    c = client_for(company.admin)
    page = c.get(reverse("network:statement", args=[network.pk, "A"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "明细合计不符" not in body  # the lines add up
    assert "业绩奖金" in body and "减去 B 李伟" in body  # B's group is subtracted
    pdf = c.get(reverse("network:statement_pdf", args=[network.pk, "A"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content


def test_runs_commit_from_the_web_for_administrators_only(company, network):
    assert client_for(company.manager).get(reverse("network:runs")).status_code == 403
    c = client_for(company.admin)
    assert "2026-10" in c.get(reverse("network:runs")).content.decode()
    assert (
        client_for(company.manager).post(reverse("network:commit", args=[network.pk])).status_code
        == 403
    )
    c.post(reverse("network:commit", args=[network.pk]))
    network.refresh_from_db()
    assert network.status == RunStatus.COMMITTED


def test_sponsor_change_refuses_a_cycle_and_moves_a_team(company, network):
    c = client_for(company.admin)
    page = c.post(reverse("network:sponsor", args=["A"]), {"sponsor": "C"}, follow=True)
    assert "循环" in page.content.decode()
    assert Distributor.objects.get(member_id="A").sponsor_id is None
    c.post(reverse("network:sponsor", args=["C"]), {"sponsor": "D"})
    assert Distributor.objects.get(member_id="C").sponsor.member_id == "D"
    denied = client_for(company.manager).post(
        reverse("network:sponsor", args=["C"]), {"sponsor": "A"}
    )
    assert denied.status_code == 403


def test_health_page(company, network):
    from guanxi.network.models import HealthReport

    c = client_for(company.analyst)
    HealthReport.objects.all().delete()
    empty = c.get(reverse("network:health"), {"period": "2026-10"}).content.decode()
    assert "<svg" not in empty and 'name="period" value="2026-10"' in empty
    c.post(reverse("network:health"), {"period": "2026-10"})  # computed by the worker
    page = c.get(reverse("network:health"), {"period": "2026-10"})
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body
    report = HealthReport.objects.get(period="2026-10").data
    assert [m["active"] for m in report["months"]][-1] == 4  # A, B, C, D bought in October
    assert client_for(company.rep).get(reverse("network:health")).status_code == 403


def test_the_back_office_shows_own_business_and_only_own_statements(company, network):
    commission_commit(actor=None, run=network)
    b = Distributor.objects.get(member_id="B")
    ibo = UserFactory(username="ibo", kind=UserKind.DISTRIBUTOR, party=b.party)
    c = client_for(ibo)
    page = c.get(reverse("network:me"))
    body = page.content.decode()
    assert page.status_code == 200 and "张敏" in body  # B's recruit C
    assert c.get(reverse("network:statement", args=[network.pk, "B"])).status_code == 200
    assert c.get(reverse("network:statement", args=[network.pk, "A"])).status_code == 404
    assert c.get(reverse("network:statement_pdf", args=[network.pk, "A"])).status_code == 404
    preview = commission_run(actor=None, plan_version=network.plan_version, period="2026-11")
    assert c.get(reverse("network:statement", args=[preview.pk, "B"])).status_code == 404
    assert client_for(company.rep).get(reverse("network:me")).status_code == 403
    assert CommissionRun.objects.count() == 2


def test_enrol_a_customer_then_edit_the_distributor(company, network):
    from tests.factories import PartyFactory

    party = PartyFactory(owner=company.rep, name="钱多多")
    c = client_for(company.rep)
    form = {"member_id": "Z1", "sponsor": "NOPE", "join_date": "2026-10-01"}
    page = c.post(reverse("network:enrol", args=[party.pk]), form)
    assert "没有直销员使用这个会员编号" in page.content.decode()
    assert not Distributor.objects.filter(member_id="Z1").exists()
    taken = c.post(
        reverse("network:enrol", args=[party.pk]), {**form, "member_id": "A", "sponsor": ""}
    )
    assert "已被使用" in taken.content.decode()
    done = c.post(reverse("network:enrol", args=[party.pk]), {**form, "sponsor": ""})
    assert done.status_code == 302
    z1 = Distributor.objects.get(member_id="Z1")
    assert z1.party.roles.filter(role="distributor").exists()
    everything = {
        name: "on"
        for name in (
            "attests_adult",
            "attests_not_student",
            "attests_not_teacher",
            "attests_not_medical",
            "attests_not_civil_servant",
            "attests_not_military",
            "attests_not_employee",
            "attests_not_foreigner",
        )
    }
    c.post(
        reverse("network:edit", args=["Z1"]),
        {"status": "terminated", "certificate_no": "ZX-1", "service_region": "上海", **everything},
    )
    z1.refresh_from_db()
    assert z1.status == "terminated" and z1.status_changed_at is not None
    assert z1.eligible and z1.attested_at is not None
    from guanxi.core.models import AuditEvent

    assert (
        AuditEvent.objects.filter(object_type="network.distributor", object_id=str(z1.pk)).count()
        == 2
    )
    assert client_for(company.far_rep).get(reverse("network:edit", args=["Z1"])).status_code == 404


def test_plans_page_saves_versions_and_refuses_a_cn_plan_that_breaks_the_rules(company):
    c = client_for(company.admin)
    bad = c.post(reverse("network:plans"), {"name": "CN", "profile": "CN", "source": PLAN})
    body = bad.content.decode()
    assert "《直销管理条例》第二十四条" in body and "[stairstep]" in body
    assert not CommissionRun.objects.exists()
    from guanxi.network.models import PlanVersion

    assert not PlanVersion.objects.exists()
    ok = c.post(reverse("network:plans"), {"name": "标准", "profile": "", "source": PLAN})
    assert ok.status_code == 302 and PlanVersion.objects.count() == 1
    broken = c.post(
        reverse("network:plans"),
        {"name": "x", "profile": "", "source": "[stairstep]\nschedule = [[5, 0.1], [1, 0.2]]\n"},
    )
    assert "门槛必须递增" in broken.content.decode()
    assert client_for(company.manager).get(reverse("network:plans")).status_code == 403


def test_a_distributor_sees_the_contacts_the_setting_allows(company, network, settings):
    from guanxi.customers.models import ContactPoint

    for member, mobile in (("A", "+8613800000001"), ("C", "+8613800000003")):
        party = Distributor.objects.get(member_id=member).party
        ContactPoint.objects.create(
            party=party, kind="mobile", value=mobile, normalized=mobile, is_primary=True
        )
    b = Distributor.objects.get(member_id="B")
    c = client_for(UserFactory(username="ibo", kind=UserKind.DISTRIBUTOR, party=b.party))
    body = c.get(reverse("network:me")).content.decode()
    assert "+8613800000001" in body and "+8613800000003" in body  # sponsor and recruit
    settings.NETWORK_CONTACT_DEPTH = 0
    body = c.get(reverse("network:me")).content.decode()
    assert "+8613800000001" not in body and "+8613800000003" not in body


def test_the_tree_shows_recruits_a_page_at_a_time(company, network, monkeypatch):
    from guanxi.network import selectors

    monkeypatch.setattr(selectors, "CHILDREN_PAGE", 1)
    c = client_for(company.admin)
    first = c.get(reverse("network:children", args=["A"])).content.decode()
    assert "李伟" in first and "赵磊" not in first and "?after=B" in first
    rest = c.get(reverse("network:children", args=["A"]), {"after": "B"}).content.decode()
    assert "赵磊" in rest and "李伟" not in rest and "?after=" not in rest


def test_search_finds_member_numbers_and_people_apart(company, network):
    c = client_for(company.admin)
    by_number = c.get(reverse("network:home"), {"q": "d"}).content.decode()  # "D", any case
    assert "赵磊" in by_number and "王芳" not in by_number
    by_name = c.get(reverse("network:home"), {"q": "李伟"}).content.decode()
    assert 'href="/network/d/B/"' in by_name


def test_an_administrator_computes_a_period_from_the_web(
    company, network, django_capture_on_commit_callbacks
):
    from guanxi.core.models import Job

    c = client_for(company.admin)
    bad = c.post(
        reverse("network:runs"), {"plan_version": network.plan_version_id, "period": "2026-13"}
    )
    assert "YYYY-MM" in bad.content.decode() and not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = c.post(
            reverse("network:runs"), {"plan_version": network.plan_version_id, "period": "2026-11"}
        )
    job = Job.objects.get()
    assert done.status_code == 302 and job.status == "succeeded"
    run = CommissionRun.objects.get(period__period="2026-11")
    assert job.result["url"] == reverse("network:run", args=[run.pk])
    page = c.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert job.result["url"] in page
    commission_commit(actor=None, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(
            reverse("network:runs"), {"plan_version": network.plan_version_id, "period": "2026-11"}
        )
    failed = Job.objects.order_by("-pk").first()
    assert failed.status == "failed" and "2026-11" in failed.error
