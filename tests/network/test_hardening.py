"""Defects a review found: each test reproduces one and checks it stays fixed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guanxi.network.engine.errors import InputError, PlanError
from guanxi.network.engine.plan import parse_plan
from guanxi.network.models import CommissionAdjustment, Distributor
from guanxi.network.services.genealogy import sponsor_change
from guanxi.network.services.ledger import volume_post
from guanxi.network.services.loading import network_import
from guanxi.network.services.plans import plan_save
from guanxi.network.services.runs import commission_commit, commission_run
from guanxi.network.statements import statement
from tests.sales.quotes_support import pdf_text

pytestmark = pytest.mark.django_db

# A pays 10% unilevel on C's BV; C sits under B, B under A.
PLAN = "[unilevel]\nlevels = [0.10, 0.10]\nmin_pv = 0\ncompression = false\n"
MEMBERS = (
    "member_id,sponsor_id,name,join_date,status\n"
    "A,,甲,,active\nB,A,乙,,active\nC,B,丙,,active\nD,A,丁,,active\n"
)
ORDERS = "order_id,member_id,date,pv,bv,amount\n1,C,2026-10-05,100,100,200\n"


@pytest.fixture
def october(tmp_path):
    (tmp_path / "D.csv").write_text(MEMBERS, encoding="utf-8")
    (tmp_path / "O.csv").write_text(ORDERS, encoding="utf-8")
    network_import(actor=None, distributors=tmp_path / "D.csv", orders=tmp_path / "O.csv")
    version = plan_save(actor=None, name="p", source=PLAN)
    return commission_commit(
        actor=None, run=commission_run(actor=None, plan_version=version, period="2026-10")
    )


def test_adjustments_and_statements_use_the_tree_the_period_paid_on(october, company):
    # C moves under D after October closed; then a return of C's October order arrives.
    c, d = Distributor.objects.get(member_id="C"), Distributor.objects.get(member_id="D")
    sponsor_change(actor=company.admin, distributor=c, sponsor=d)
    volume_post(
        distributor=c,
        date=datetime.date(2026, 10, 20),
        pv=Decimal("-100"),
        bv=Decimal("-100"),
        amount=Decimal("-200"),
        source_ref="late-return",
    )
    november = commission_run(actor=None, plan_version=october.plan_version, period="2026-11")
    lines = {
        a.distributor.member_id: a.amount for a in CommissionAdjustment.objects.filter(run=november)
    }
    assert lines == {"B": Decimal("-10.00"), "A": Decimal("-10.00")}  # who was paid on it
    b_statement = statement(october, Distributor.objects.get(member_id="B"))
    assert [line.member.member_id for line in b_statement.sections[0].lines] == ["C"]
    assert b_statement.adds_up


def test_a_statement_whose_lines_do_not_add_up_says_so(october):
    s = statement(october, Distributor.objects.get(member_id="B"))
    s.sections[0].lines[0].amount += Decimal("1")
    assert not s.adds_up


def test_names_are_not_markup_in_the_pdf(october, company):
    b = Distributor.objects.get(member_id="C").party
    b.name = "丙 & <img src='/etc/passwd'/>"
    b.save()
    client = Client()
    client.force_login(company.admin)
    pdf = client.get(reverse("network:statement_pdf", args=[october.pk, "B"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "C 丙 & <img src='/etc/passwd'/>" in pdf_text(pdf.content)


def test_bad_addresses_answer_404_or_fall_back_never_500(october, company, tmp_path):
    client = Client()
    client.force_login(company.admin)
    assert client.get(reverse("network:health"), {"period": "2024-13"}).status_code == 200
    (tmp_path / "E.csv").write_text(MEMBERS + "E,A,戊,,active\n", encoding="utf-8")
    network_import(actor=None, distributors=tmp_path / "E.csv")  # E joined after October
    assert client.get(reverse("network:statement", args=[october.pk, "E"])).status_code == 404


def test_member_numbers_stay_safe_in_addresses(tmp_path, company):
    (tmp_path / "D.csv").write_text(MEMBERS + "a/b,A,斜杠,,active\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(InputError, match="row 6: member_id a/b"):
        network_import(actor=None, distributors=tmp_path / "D.csv")
    from guanxi.network.services.distributors import distributor_enrol
    from tests.factories import PartyFactory

    with pytest.raises(ValidationError) as caught:
        distributor_enrol(
            actor=company.admin,
            party=PartyFactory(),
            member_id="x/y",
            sponsor=None,
            join_date=datetime.date(2026, 1, 1),
        )
    assert "member_id" in caught.value.message_dict


def test_an_imported_cycle_writes_nothing(tmp_path):
    (tmp_path / "D.csv").write_text(
        "member_id,sponsor_id,name,join_date,status\nA,B,甲,,active\nB,A,乙,,active\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="loops back"):
        network_import(actor=None, distributors=tmp_path / "D.csv")
    assert not Distributor.objects.exists()


def test_plans_with_numbers_beyond_64_bits_are_refused():
    with pytest.raises(PlanError, match="larger than"):
        parse_plan("[stairstep]\nschedule = [[0, 0.1], [1e30, 0.2]]\n")


def test_posting_the_same_source_twice_returns_the_first(october):
    c = Distributor.objects.get(member_id="C")
    kwargs = {
        "distributor": c,
        "date": datetime.date(2026, 11, 2),
        "pv": Decimal("1"),
        "bv": Decimal("1"),
        "amount": Decimal("2"),
        "source_ref": "order:7",
    }
    assert volume_post(**kwargs).pk == volume_post(**kwargs).pk


def test_a_statement_hides_the_names_staff_may_not_see(october, company):
    c = Distributor.objects.get(member_id="C").party
    c.owner = company.far_rep  # a customer of the south region
    c.save()
    client = Client()
    client.force_login(company.manager)  # east region: B is in the pool, C is not theirs
    page = client.get(reverse("network:statement", args=[october.pk, "B"])).content.decode()
    assert "丙" not in page
    client.force_login(company.admin)
    assert "丙" in client.get(reverse("network:statement", args=[october.pk, "B"])).content.decode()


def test_the_distributors_own_name_is_printed_literally_in_the_statement_pdf(october, company):
    from guanxi.network.pdf import statement_pdf

    b = Distributor.objects.get(member_id="B")
    b.party.name = "<b>王&小</b>"
    b.party.save()
    text = pdf_text(statement_pdf(statement(october, b)))
    assert "B <b>王&小</b>" in text
    client = Client()
    client.force_login(company.admin)
    pdf = client.get(reverse("network:statement_pdf", args=[october.pk, "B"]))
    assert pdf.status_code == 200 and "<b>王&小</b>" in pdf_text(pdf.content)
