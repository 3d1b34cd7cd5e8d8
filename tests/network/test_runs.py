"""Commission runs on the database: import, preview, commit, adjustments, immutability."""

import csv
import datetime
import io
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from guanxi.customers.choices import PartyRoleKind
from guanxi.network.choices import PeriodStatus, RunStatus
from guanxi.network.models import (
    CommissionPeriod,
    CommissionResult,
    Distributor,
    RankAchievement,
    VolumeEntry,
)
from guanxi.network.services.ledger import volume_post
from guanxi.network.services.loading import network_import
from guanxi.network.services.plans import plan_save
from guanxi.network.services.runs import commission_commit, commission_run
from guanxi.network.whatif import load_plan, run_files
from tests.network.test_engine import networks, plan_sources
from tests.network.test_files import DISTRIBUTORS, ORDERS, PLAN

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import network_data  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    (tmp_path / "D.csv").write_text(DISTRIBUTORS, encoding="utf-8")
    (tmp_path / "O.csv").write_text(ORDERS, encoding="utf-8")
    network_import(actor=None, distributors=tmp_path / "D.csv", orders=tmp_path / "O.csv")
    return tmp_path


@pytest.fixture
def version():
    return plan_save(actor=None, name="标准", source=PLAN)


def results(run) -> dict[str, CommissionResult]:
    rows = CommissionResult.objects.filter(run=run).select_related("distributor")
    return {r.distributor.member_id: r for r in rows}


def test_import_creates_customers_in_the_distributor_role_and_reruns_safely(loaded):
    assert Distributor.objects.count() == 4
    c = Distributor.objects.select_related("party", "sponsor").get(member_id="C")
    assert c.party.name == "张敏"
    assert c.sponsor.member_id == "B"
    assert c.status == "inactive"
    assert c.party.roles.filter(role=PartyRoleKind.DISTRIBUTOR).exists()
    assert VolumeEntry.objects.count() == 7
    assert VolumeEntry.objects.get(source_ref="import:7").kind == "return"
    assert Distributor.objects.get(member_id="A").team.team_size == 4  # built by the import
    again = network_import(actor=None, distributors=loaded / "D.csv", orders=loaded / "O.csv")
    assert again["members_added"] == 0 and again["orders_added"] == 0
    assert VolumeEntry.objects.count() == 7


def test_a_database_run_stores_what_the_file_run_computes(loaded, version):
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    by_file = run_files(
        plan=_plan(),
        period="2026-10",
        distributors=loaded / "D.csv",
        orders=loaded / "O.csv",
    )
    stored = results(run)
    for i, member in enumerate(by_file.network.member_ids.to_list()):
        row = stored[member]
        assert row.total == Decimal(int(by_file.payout.total[i])) / 100
        assert row.group_pv == Decimal(int(by_file.payout.group_pv[i])) / 100
        assert row.rate == Decimal(int(by_file.payout.rate[i])) / 10000
    assert run.status == RunStatus.PREVIEW
    assert run.payout == sum(r.total for r in stored.values())


def _plan():
    from guanxi.network.engine.plan import parse_plan

    return parse_plan(PLAN)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_file_and_database_runs_agree_exactly_on_generated_networks(tmp_path, seed):
    network_data.generate(tmp_path, members=400, orders=2000, seed=seed)
    network_import(actor=None, distributors=tmp_path / "D.csv", orders=tmp_path / "O.csv")
    plan_path = Path(__file__).resolve().parents[2] / "src/guanxi/network/plans/standard.toml"
    version = plan_save(actor=None, name="standard", source=plan_path.read_text("utf-8"))
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    by_file = run_files(
        plan=load_plan(plan_path),
        period="2026-10",
        distributors=tmp_path / "D.csv",
        orders=tmp_path / "O.csv",
    )
    stored = results(run)
    totals = np.array([int(stored[m].total * 100) for m in by_file.network.member_ids])
    assert (totals == by_file.payout.total).all()
    unilevel = np.array([int(stored[m].unilevel_bonus * 100) for m in by_file.network.member_ids])
    assert (unilevel == by_file.payout.unilevel_bonus).all()


def test_commit_closes_the_period_for_good(loaded, version):
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    commission_commit(actor=None, run=run)
    period = CommissionPeriod.objects.get(period="2026-10")
    assert period.status == PeriodStatus.CLOSED
    assert (
        RankAchievement.objects.filter(period="2026-10").count()
        == CommissionResult.objects.filter(run=run, rate__gt=0).count()
    )
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        commission_run(actor=None, plan_version=version, period="2026-10")
    # Not even raw SQL changes a committed result, a closed period or the ledger.
    for sql in (
        "UPDATE network_commissionresult SET total = 0",
        "DELETE FROM network_commissionresult",
        "UPDATE network_commissionrun SET payout = 0",
        "UPDATE network_commissionperiod SET status = 'open'",
        "UPDATE network_volumeentry SET pv = 0",
        "DELETE FROM network_volumeentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert results(run)["A"].total == run.results.get(distributor__member_id="A").total


def test_a_return_after_close_is_an_adjustment_in_the_next_period(loaded, version):
    october = commission_run(actor=None, plan_version=version, period="2026-10")
    commission_commit(actor=None, run=october)
    before = {m: r.total for m, r in results(october).items()}
    b = Distributor.objects.get(member_id="B")
    entry = volume_post(
        distributor=b,
        date=datetime.date(2026, 10, 20),
        pv=Decimal("-400"),
        bv=Decimal("-300"),
        amount=Decimal("-800"),
        source_ref="return:42",
    )
    assert (entry.period, entry.booked_period) == ("2026-10", "2026-11")
    november = commission_run(actor=None, plan_version=version, period="2026-11")
    lines = {a.distributor.member_id: a for a in november.adjustment_lines.all()}
    assert set(lines) <= {"A", "B", "C", "D"} and lines["B"].amount < 0
    assert all(line.for_period == "2026-10" for line in lines.values())
    # what October would have paid with the return, less what it paid
    again = _october_with_return(loaded)
    for member, line in lines.items():
        assert line.amount == again[member] - before[member]
    assert results(november)["B"].adjustment == lines["B"].amount
    assert {m: r.total for m, r in results(october).items()} == before  # unchanged


def _october_with_return(folder) -> dict[str, Decimal]:
    orders = (folder / "O.csv").read_text("utf-8") + "42,B,2026-10-20,-400,-300,-800\n"
    (folder / "O2.csv").write_text(orders, encoding="utf-8")
    result = run_files(
        plan=_plan(), period="2026-10", distributors=folder / "D.csv", orders=folder / "O2.csv"
    )
    return {
        m: Decimal(int(result.payout.total[i])) / 100
        for i, m in enumerate(result.network.member_ids.to_list())
    }


def test_commit_refuses_a_preview_that_missed_new_volume(loaded, version):
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    volume_post(
        distributor=Distributor.objects.get(member_id="D"),
        date=datetime.date(2026, 10, 30),
        pv=Decimal("50"),
        bv=Decimal("50"),
        amount=Decimal("100"),
        source_ref="order:late",
    )
    with translation.override("en"), pytest.raises(ValidationError, match="run the period again"):
        commission_commit(actor=None, run=run)


def test_a_cn_plan_that_breaks_the_rules_is_not_saved(loaded):
    with translation.override("en"), pytest.raises(ValidationError, match=r"Art\. 24"):
        plan_save(actor=None, name="违规", source=PLAN, profile="CN")
    from guanxi.network.models import PlanVersion

    assert not PlanVersion.objects.filter(plan__name="违规").exists()


def test_a_cn_profile_period_over_the_cap_is_not_committed(loaded):
    """Defence in depth: a plan marked CN after it was saved still cannot pay over 30%."""
    version = plan_save(actor=None, name="后改", source=PLAN)
    version.plan.profile = "CN"
    version.plan.save()
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    assert run.profile == "CN"
    version.plan.profile = ""  # clearing the profile after the run does not lift the cap
    version.plan.save()
    with translation.override("en"), pytest.raises(ValidationError, match="more than 30%"):
        commission_commit(actor=None, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.PREVIEW


def test_a_cn_plan_within_the_cap_commits(loaded):
    source = (
        Path(__file__).resolve().parents[2] / "src/guanxi/network/plans/china.toml"
    ).read_text("utf-8")
    version = plan_save(actor=None, name="china", source=source, profile="CN")
    run = commission_commit(
        actor=None, run=commission_run(actor=None, plan_version=version, period="2026-10")
    )
    assert run.status == RunStatus.COMMITTED
    for row in results(run).values():
        assert row.total <= row.amount * Decimal("0.3") or row.total == 0


def test_only_administrators_run_commissions(loaded, version, company):
    with pytest.raises(PermissionDenied):
        commission_run(actor=company.manager, plan_version=version, period="2026-10")
    run = commission_run(actor=company.admin, plan_version=version, period="2026-10")
    assert run.created_by == company.admin


def test_plan_versions_are_kept_and_reused(version):
    again = plan_save(actor=None, name="标准", source=PLAN)
    assert again.pk == version.pk
    changed = plan_save(actor=None, name="标准", source=PLAN.replace("0.02", "0.03"))
    assert changed.number == 2
    with pytest.raises(ValidationError) as caught:
        plan_save(actor=None, name="标准", source="[stairstep]\nschedule = []\n")
    assert "source" in caught.value.message_dict


def test_cli_runs_previews_and_commits_on_the_database(loaded):
    (loaded / "plan.toml").write_text(PLAN, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "commissions", "run", "--plan", str(loaded / "plan.toml"), "--period", "2026-10", stdout=out
    )
    assert '"status": "preview"' in out.getvalue()
    out = io.StringIO()
    call_command("commissions", "commit", "--period", "2026-10", stdout=out)
    assert '"status": "committed"' in out.getvalue()
    with translation.override("en"), pytest.raises(CommandError, match="closed"):
        call_command(
            "commissions", "run", "--plan", str(loaded / "plan.toml"), "--period", "2026-10"
        )


def test_cli_check_lists_violations_with_articles(loaded, tmp_path):
    plans = Path(__file__).resolve().parents[2] / "src/guanxi/network/plans"
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="violation"):
        call_command(
            "commissions", "check", "--plan", str(plans / "standard.toml"), "--profile", "CN",
            "--no-data", stdout=out,
        )  # fmt: skip
    text = out.getvalue()
    assert "Direct Selling Regulations Art. 24 — [stairstep]" in text
    assert "Regulations on Prohibiting Pyramid Selling Art. 7 — [unilevel]" in text
    fee = tmp_path / "fee.toml"
    fee.write_text(
        (plans / "china.toml").read_text("utf-8") + "\n[entry_fee]\namount = 1980\n", "utf-8"
    )
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command(
            "commissions", "check", "--plan", str(fee), "--profile", "CN", "--no-data", stdout=out
        )
    assert "entry_fee: an entry fee" in out.getvalue()
    out = io.StringIO()
    call_command(
        "commissions", "check", "--plan", str(plans / "china.toml"), "--profile", "CN",
        "--no-data", stdout=out,
    )  # fmt: skip
    assert "未违反 CN 合规规则" in out.getvalue()
    # the imported members attest nothing and hold no certificate
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command(
            "commissions", "check", "--plan", str(plans / "china.toml"), "--profile", "CN",
            stdout=out,
        )  # fmt: skip
    assert "Art. 15 — A: eligibility attestations are missing" in out.getvalue()
    assert "Art. 18 — A: no direct-seller certificate" in out.getvalue()


def test_results_csv_from_the_cli_matches_the_contract(loaded):
    (loaded / "plan.toml").write_text(PLAN, encoding="utf-8")
    call_command(
        "commissions", "run", "--plan", str(loaded / "plan.toml"), "--period", "2026-10",
        "--distributors", str(loaded / "D.csv"), "--orders", str(loaded / "O.csv"),
        "--out", str(loaded / "R.csv"), stdout=io.StringIO(),
    )  # fmt: skip
    with open(loaded / "R.csv", encoding="utf-8") as f:
        assert next(csv.reader(f))[0] == "member_id"


_example = iter(range(10**6))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), plan_sources())
def test_file_and_database_runs_agree_exactly_on_random_networks(tmp_path_factory, network, source):
    """Each example is its own tree (own member and order ids) in the same database."""
    parent, pv, bv, amount = network
    prefix = f"H{next(_example)}-"
    folder = tmp_path_factory.mktemp("net")
    ids = [f"{prefix}{i}" for i in range(len(parent))]
    lines = ["member_id,sponsor_id,name,join_date,status"]
    lines += [
        f"{m},{ids[p] if p >= 0 else ''},会员{i},2025-01-01,active"
        for i, (m, p) in enumerate(zip(ids, parent, strict=True))
    ]
    (folder / "D.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["order_id,member_id,date,pv,bv,amount"]
    rows += [
        f"{prefix}o{i},{m},2026-10-05,{pv[i] / 100:.2f},{bv[i] / 100:.2f},{amount[i] / 100:.2f}"
        for i, m in enumerate(ids)
    ]
    (folder / "O.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    network_import(actor=None, distributors=folder / "D.csv", orders=folder / "O.csv")
    version = plan_save(actor=None, name=f"{prefix}plan", source=source)
    plan_ = _plan_from(source)
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    by_file = run_files(
        plan=plan_, period="2026-10", distributors=folder / "D.csv", orders=folder / "O.csv"
    )
    stored = {
        r.distributor.member_id: r
        for r in CommissionResult.objects.filter(
            run=run, distributor__member_id__startswith=prefix
        ).select_related("distributor")
    }
    for i, member in enumerate(ids):
        assert stored[member].total == Decimal(int(by_file.payout.total[i])) / 100
        assert stored[member].group_pv == Decimal(int(by_file.payout.group_pv[i])) / 100


def _plan_from(source: str):
    from guanxi.network.engine.plan import parse_plan

    return parse_plan(source)
