"""Statements: the lines of every component add up to what the run stored."""

import sys
from pathlib import Path

import pytest

from guanxi.network.models import Distributor
from guanxi.network.services.genealogy import team_stats_refresh
from guanxi.network.services.loading import network_import
from guanxi.network.services.plans import plan_save
from guanxi.network.services.runs import commission_run
from guanxi.network.statements import money, statement

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import network_data  # noqa: E402

pytestmark = pytest.mark.django_db
PLANS = Path(__file__).resolve().parents[2] / "src/guanxi/network/plans"


@pytest.mark.parametrize("compression", [True, False])
def test_every_members_lines_add_up_to_the_stored_amounts(tmp_path, compression):
    network_data.generate(tmp_path, members=300, orders=1500, seed=7)
    network_import(actor=None, distributors=tmp_path / "D.csv", orders=tmp_path / "O.csv")
    source = (PLANS / "standard.toml").read_text("utf-8")
    if not compression:
        source = source.replace("compression = true", "compression = false")
    version = plan_save(actor=None, name="standard", source=source)
    run = commission_run(actor=None, plan_version=version, period="2026-10")
    checked = 0
    for distributor in Distributor.objects.all():
        s = statement(run, distributor)
        for section in s.sections:
            assert money(section.exact) == section.paid, (distributor.member_id, section.key)
        assert s.adds_up
        checked += bool(s.result.total)
    assert checked > 100  # most members earn something in this network


def test_team_statistics_count_the_whole_team(tmp_path):
    network_data.generate(tmp_path, members=200, orders=600, seed=3)
    network_import(actor=None, distributors=tmp_path / "D.csv", orders=tmp_path / "O.csv")
    assert team_stats_refresh(period="2026-10") == 200
    roots = Distributor.objects.filter(sponsor__isnull=True).select_related("team")
    assert sum(r.team.team_size for r in roots) == 200
    for d in Distributor.objects.select_related("team").filter(recruits__isnull=False)[:20]:
        kids = Distributor.objects.filter(sponsor=d).select_related("team")
        assert d.team.team_size == 1 + sum(k.team.team_size for k in kids)
        assert d.team.team_pv == d.team.personal_pv + sum(k.team.team_pv for k in kids)
