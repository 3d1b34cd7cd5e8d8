"""A WeChat contact (微信) counts as a rep's activity beside calls and visits, and keeps a
pool claim alive the way a call does."""

import datetime

import pytest
from django.utils import timezone, translation

from guanxi.customers.services.interactions import interaction_log
from guanxi.sales import kpis
from guanxi.sales.choices import ClaimEnd
from guanxi.sales.services.pool import claim_take, claims_recycle, pool_policy
from tests.conftest import login
from tests.factories import PartyFactory
from tests.sales.test_followup_team import DAY, at, log

T0 = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 0))
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def contacts(company):
    rep = company.rep
    log(rep, "wechat", at(DAY, 9))
    log(rep, "wechat", at(DAY, 20))
    log(rep, "call", at(DAY, 10))
    log(rep, "note", at(DAY, 11))  # a note is not a contact
    log(rep, "wechat", at(DAY + ONE_DAY, 9))  # the next day
    return rep


def test_kpis_team_day_and_report_facts_count_wechat_contacts_apart(company, contacts):
    rows, total = kpis.rep_kpis(viewer=company.manager, start=DAY, end=DAY)
    row = next(r for r in rows if r.rep == contacts)
    assert (row.calls, row.wechats, row.visits) == (1, 2, 0)
    assert total.wechats == 2
    (day,) = [r for r in kpis.team_day(viewer=company.manager, day=DAY) if r.rep == contacts]
    assert (day.calls, day.wechats) == (1, 2)
    detail = kpis.day_detail(viewer=company.manager, rep=contacts, day=DAY)
    assert sorted(i.kind for i in detail["activities"]) == ["call", "wechat", "wechat"]
    facts = kpis.period_facts(user=contacts, start=DAY, end=DAY + ONE_DAY)
    assert (facts["calls"], facts["wechats"]) == (1, 3)
    rows, _total = kpis.rep_kpis(viewer=company.rep_b, start=DAY, end=DAY)
    assert [r.wechats for r in rows] == [0]  # another rep's contacts are not theirs


def test_the_team_day_and_kpi_pages_show_the_wechat_column(company, contacts):
    # The pages answer in zh-hans, the default language.
    manager = login(company.manager)
    page = manager.get("/sales/team/day/", {"date": DAY.isoformat()}).content.decode()
    assert "<th>微信</th>" in page and 'data-label="微信">2</td>' in page
    custom = {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()}
    kpi = manager.get("/sales/kpis/", custom).content.decode()
    assert "<th>微信</th>" in kpi and 'data-label="微信">2</td>' in kpi


def _policy(**limits):
    policy = pool_policy()
    for key, value in limits.items():
        setattr(policy, key, value)
    policy.save()


def test_the_claimants_wechat_contact_keeps_the_claim_like_a_call(company):
    _policy(follow_up_days=7, progress_days=60)
    party = PartyFactory(owner=None)
    claim = claim_take(actor=company.rep, party=party, now=T0)
    interaction_log(
        actor=company.rep,
        party=party,
        kind="wechat",
        subject="发资料",
        occurred_at=T0 + 6 * ONE_DAY,
    )
    claim.refresh_from_db()
    assert claim.last_follow_up_at == T0 + 6 * ONE_DAY
    assert claims_recycle(now=T0 + 13 * ONE_DAY) == {}  # 7 days after the WeChat contact
    assert claims_recycle(now=T0 + 13 * ONE_DAY + datetime.timedelta(seconds=1)) == {
        ClaimEnd.NO_FOLLOW_UP: 1
    }
