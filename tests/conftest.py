"""Fixtures: a small company (two regions, three teams) with one user per role."""

from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from guanxi.core.choices import Role
from guanxi.core.models import OrgUnit, User
from guanxi.core.services.tokens import api_token_create
from tests.factories import OrgUnitFactory, PartyFactory, UserFactory

# Property tests time each example against a 200 ms deadline by default; on a loaded CI
# machine a slow example fails the run without any bug (customers/test_matching was the
# flaky one). Speed has its own tests and benchmarks, so no deadline; example counts stay.
hypothesis_settings.register_profile("guanxi", deadline=None)
hypothesis_settings.load_profile("guanxi")


@dataclass
class Company:
    hq: OrgUnit
    east: OrgUnit
    team_a: OrgUnit
    team_b: OrgUnit
    south: OrgUnit
    team_c: OrgUnit
    admin: User
    manager: User  # east region
    rep: User  # team A
    teammate: User  # team A
    rep_b: User  # team B (east)
    far_rep: User  # team C (south)
    agent: User  # service agent at HQ
    marketer: User
    analyst: User
    south_agent: User  # service agent in the south region


@pytest.fixture
def company(db) -> Company:
    hq = OrgUnitFactory(name="总公司", code="hq")
    east = OrgUnitFactory(name="华东大区", code="east", parent=hq)
    shanghai = OrgUnitFactory(name="上海分公司", code="sh", parent=east)
    team_a = OrgUnitFactory(name="浦东一组", code="team-a", parent=shanghai)
    team_b = OrgUnitFactory(name="浦西二组", code="team-b", parent=shanghai)
    south = OrgUnitFactory(name="华南大区", code="south", parent=hq)
    team_c = OrgUnitFactory(name="天河组", code="team-c", parent=south)
    return Company(
        hq=hq,
        east=east,
        team_a=team_a,
        team_b=team_b,
        south=south,
        team_c=team_c,
        admin=UserFactory(username="admin", role=Role.ADMIN, org_unit=hq),
        manager=UserFactory(username="manager", role=Role.MANAGER, org_unit=east),
        rep=UserFactory(username="rep", org_unit=team_a),
        teammate=UserFactory(username="teammate", org_unit=team_a),
        rep_b=UserFactory(username="rep_b", org_unit=team_b),
        far_rep=UserFactory(username="far_rep", org_unit=team_c),
        agent=UserFactory(username="agent", role=Role.SERVICE_AGENT, org_unit=hq),
        marketer=UserFactory(username="marketer", role=Role.MARKETER, org_unit=hq),
        analyst=UserFactory(username="analyst", role=Role.ANALYST, org_unit=hq),
        south_agent=UserFactory(username="south_agent", role=Role.SERVICE_AGENT, org_unit=south),
    )


@pytest.fixture
def records(company):
    """Three customers: the rep's own, the rep's teammate's, and one in the other region."""
    return {
        "own": PartyFactory(name="张伟", owner=company.rep),
        "teammate": PartyFactory(name="李娜", owner=company.teammate),
        "other_region": PartyFactory(name="王芳", owner=company.far_rep),
    }


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})
