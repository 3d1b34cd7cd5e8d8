"""The public pool and claims: the cap, the cooling-off, release, and recycling at the
exact edges of the follow-up, progress and protection limits (a controllable clock)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from guanxi.core.models import AuditEvent
from guanxi.customers.services.interactions import interaction_log
from guanxi.sales.choices import ClaimEnd
from guanxi.sales.models import Claim
from guanxi.sales.services.pool import claim_release, claim_take, claims_recycle, pool_policy
from tests.factories import PartyFactory

T0 = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 0))
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def pool(db):
    return [PartyFactory(owner=None) for _ in range(3)]


def _policy(**limits):
    policy = pool_policy()
    for key, value in limits.items():
        setattr(policy, key, value)
    policy.save()
    return policy


def test_a_claim_takes_the_record_and_nobody_else_can(company, pool):
    claim = claim_take(actor=company.rep, party=pool[0], now=T0)
    pool[0].refresh_from_db()
    assert pool[0].owner == company.rep and claim.protected_until == T0 + 90 * DAY
    with pytest.raises(ValidationError, match="claimed"):
        claim_take(actor=company.teammate, party=pool[0], now=T0)
    with pytest.raises(PermissionDenied):
        claim_take(actor=company.analyst, party=pool[1], now=T0)
    with pytest.raises(PermissionDenied):
        claim_take(actor=company.rep, party=pool[1], for_user=company.teammate, now=T0)
    assigned = claim_take(actor=company.manager, party=pool[1], for_user=company.teammate, now=T0)
    assert assigned.assigned_by == company.manager
    assert AuditEvent.objects.filter(action="claim", object_id=str(pool[0].pk)).exists()


def test_a_rep_holds_at_most_the_cap(company, pool):
    _policy(max_claims=2)
    claim_take(actor=company.rep, party=pool[0], now=T0)
    claim_take(actor=company.rep, party=pool[1], now=T0)
    with pytest.raises(ValidationError, match="most allowed"):
        claim_take(actor=company.rep, party=pool[2], now=T0)


def test_release_returns_the_record_and_cools_off(company, pool):
    claim = claim_take(actor=company.rep, party=pool[0], now=T0)
    with pytest.raises(PermissionDenied):
        claim_release(actor=company.teammate, claim=claim)
    claim = claim_release(actor=company.rep, claim=claim, now=T0 + DAY)
    pool[0].refresh_from_db()
    assert pool[0].owner is None and claim.end_reason == ClaimEnd.RELEASED
    with pytest.raises(ValidationError, match="recently"):
        claim_take(actor=company.rep, party=pool[0], now=T0 + 2 * DAY)
    assert claim_take(actor=company.rep, party=pool[0], now=T0 + 9 * DAY)
    assert claim_take(actor=company.teammate, party=pool[1], now=T0)


@pytest.mark.parametrize(
    ("limits", "edge", "reason"),
    [
        ({"follow_up_days": 7}, 7 * DAY, ClaimEnd.NO_FOLLOW_UP),
        ({"follow_up_days": 60, "progress_days": 30}, 30 * DAY, ClaimEnd.NO_PROGRESS),
        (
            {"follow_up_days": 60, "progress_days": 60, "protection_days": 20},
            20 * DAY,
            ClaimEnd.EXPIRED,
        ),
    ],
)
def test_a_lapsed_claim_goes_back_one_second_after_its_limit(company, pool, limits, edge, reason):
    _policy(**limits)
    claim_take(actor=company.rep, party=pool[0], now=T0)
    assert claims_recycle(now=T0 + edge) == {}  # on the limit itself the claim holds
    told = []
    assert claims_recycle(now=T0 + edge + SECOND, notify=lambda u, n: told.append((u, n))) == {
        reason: 1
    }
    pool[0].refresh_from_db()
    assert pool[0].owner is None and told == [(company.rep.pk, 1)]
    assert Claim.objects.get().end_reason == reason
    assert AuditEvent.objects.filter(action="recycle", object_id=str(pool[0].pk)).exists()
    assert claims_recycle(now=T0 + edge + 2 * SECOND) == {}  # a rerun changes nothing


def test_the_claimants_follow_up_keeps_the_claim_and_anothers_does_not(company, pool):
    _policy(follow_up_days=7, progress_days=60)
    claim_take(actor=company.rep, party=pool[0], now=T0)
    interaction_log(
        actor=company.manager,
        party=pool[0],
        kind="call",
        subject="经理抽查",
        occurred_at=T0 + 5 * DAY,
    )
    interaction_log(
        actor=company.rep, party=pool[0], kind="call", subject="回访", occurred_at=T0 + 6 * DAY
    )
    assert claims_recycle(now=T0 + 13 * DAY) == {}  # 7 days after the rep's own call
    assert claims_recycle(now=T0 + 13 * DAY + SECOND) == {ClaimEnd.NO_FOLLOW_UP: 1}


def test_a_record_given_to_someone_else_keeps_its_new_owner(company, pool):
    from guanxi.customers.models import Party

    _policy(follow_up_days=7)
    claim_take(actor=company.rep, party=pool[0], now=T0)
    Party.objects.filter(pk=pool[0].pk).update(owner=company.rep_b)  # a manager reassigned it
    assert claims_recycle(now=T0 + 8 * DAY) == {}
    pool[0].refresh_from_db()
    assert pool[0].owner == company.rep_b
    assert Claim.objects.get().end_reason == ClaimEnd.OWNER_CHANGED
