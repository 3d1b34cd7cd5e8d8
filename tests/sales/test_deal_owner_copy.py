"""The deal's copy of its customer's owner (Opportunity.party_owner), kept by database
triggers: it follows every way an owner changes, and visibility decided on it is the
same as visibility decided through the customer."""

from decimal import Decimal

from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from guanxi.core.visibility import Action, owned_q
from guanxi.customers.models import Party, PartyShare
from guanxi.customers.services.merge import parties_merge
from guanxi.customers.services.transfer import parties_transfer
from guanxi.sales.models import Opportunity
from guanxi.sales.services.opportunities import pipeline_default
from guanxi.sales.services.pool import claim_release, claim_take
from tests.factories import PartyFactory
from tests.sales.test_salesperf import FIXTURE, T0, deals


def copies() -> dict[int, tuple[int | None, int | None]]:
    """deal id → (its copy, its customer's owner), read from the database."""
    rows = Opportunity.objects.values_list("pk", "party_owner_id", "party__owner_id")
    return {pk: (copy, owner) for pk, copy, owner in rows}


def assert_in_step():
    assert all(copy == owner for copy, owner in copies().values()), copies()


def test_a_new_deal_takes_its_customers_owner(company):
    deal = deals(company.rep, [100])[0]
    assert Opportunity.objects.get(pk=deal.pk).party_owner_id == company.rep.pk


def test_the_copy_follows_claims_releases_and_transfers(company):
    party = PartyFactory(owner=None)
    pipeline = pipeline_default()
    deal = Opportunity.objects.create(
        party=party,
        title="净水器",
        owner=company.rep,
        pipeline=pipeline,
        stage=pipeline.stages.first(),
        created_at=T0,
        stage_entered_at=T0,
    )
    assert Opportunity.objects.get(pk=deal.pk).party_owner_id is None
    claim = claim_take(actor=company.rep, party=party, now=T0)
    assert Opportunity.objects.get(pk=deal.pk).party_owner_id == company.rep.pk
    claim_release(actor=company.rep, claim=claim, now=T0)
    assert Opportunity.objects.get(pk=deal.pk).party_owner_id is None
    Party.objects.filter(pk=party.pk).update(owner=company.teammate)
    parties_transfer(actor=company.admin, from_user=company.teammate, to_user=company.rep_b)
    assert Opportunity.objects.get(pk=deal.pk).party_owner_id == company.rep_b.pk


def test_a_stale_deal_saved_from_memory_keeps_the_current_owner(company):
    deal = deals(company.rep, [100])[0]
    stale = Opportunity.objects.get(pk=deal.pk)  # read while the rep owns the customer
    Party.objects.filter(pk=deal.party_id).update(owner=company.teammate)
    stale.amount = Decimal(200)
    stale.save()  # writes every column, party_owner_id included
    assert Opportunity.objects.get(pk=deal.pk).party_owner_id == company.teammate.pk


def test_a_merge_moves_the_deal_to_the_survivors_owner(company):
    survivor = PartyFactory(name="张伟", owner=company.rep)
    merged = deals(company.teammate, [300])[0]
    parties_merge(actor=company.admin, survivor_id=survivor.pk, merged_ids=[merged.party_id])
    assert Opportunity.objects.get(pk=merged.pk).party_owner_id == company.rep.pk


def test_the_triggers_exist_after_every_migration(db):
    """A later migration that rebuilds either table on SQLite drops its triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {name for (name,) in cursor.fetchall()}
    expected = (
        {"sales_deal_party_owner_insert", "sales_deal_party_owner_update"}
        if connection.vendor == "sqlite"
        else {"sales_deal_party_owner"}
    )
    assert expected | {"sales_party_owner_to_deals"} <= names


@settings(max_examples=25, suppress_health_check=FIXTURE, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["owner", "pool", "move", "share"]),
            st.integers(0, 5),  # which deal
            st.integers(0, 4),  # which user / which other customer
        ),
        max_size=12,
    )
)
def test_after_any_changes_the_copy_and_visibility_match_the_customer(company, steps):
    users = [company.rep, company.teammate, company.rep_b, company.far_rep, company.manager]
    made = deals(company.rep, [10, 20, 40]) + deals(company.far_rep, [30])
    made += deals(company.rep_b, [50, 60])
    Party.objects.filter(pk=made[2].party_id).update(owner=None)  # one in the pool
    spare = [PartyFactory(owner=u) for u in users]
    for what, i, j in steps:
        deal = Opportunity.objects.get(pk=made[i].pk)
        if what == "owner":
            Party.objects.filter(pk=deal.party_id).update(owner=users[j])
        elif what == "pool":
            Party.objects.filter(pk=deal.party_id).update(owner=None)
        elif what == "move":  # as a merge does: the deal now belongs to another customer
            Opportunity.objects.filter(pk=deal.pk).update(party=spare[j])
        else:
            PartyShare.objects.get_or_create(party_id=deal.party_id, user=users[j])
    assert_in_step()
    viewers = [*users, company.admin, company.analyst, company.agent]
    for user in viewers:
        for action in (Action.VIEW, Action.CHANGE):
            through_customer = Opportunity.objects.filter(
                owned_q(Party, user, action, prefix="party__")
            )
            on_the_deal = Opportunity.objects.visible_to(user, action)
            assert set(on_the_deal.values_list("pk", flat=True)) == set(
                through_customer.values_list("pk", flat=True)
            ), (user.username, action)
    Opportunity.objects.all().delete()
    PartyShare.objects.all().delete()
