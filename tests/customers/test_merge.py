"""Merging duplicates, the duplicate scan and its review queue, and undoing a merge."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from guanxi.core.models import AuditEvent
from guanxi.customers import selectors
from guanxi.customers.choices import ReviewStatus
from guanxi.customers.models import (
    Consent,
    ContactPoint,
    DistinctPair,
    DuplicateReview,
    Interaction,
    Merge,
    Party,
    PartyRole,
    PartyShare,
)
from guanxi.customers.selectors import PartyFilters, party_queryset
from guanxi.customers.services import consent_record, interaction_log, party_create, party_share
from guanxi.customers.services.contacts import ContactSpec
from guanxi.customers.services.dedup import dedup_scan
from guanxi.customers.services.merge import mark_distinct, merge_undo, parties_merge

pytestmark = pytest.mark.django_db


def make(actor, name, *, mobile=None, email=None, **fields):
    specs = []
    if mobile:
        specs.append(ContactSpec(kind="mobile", value=mobile))
    if email:
        specs.append(ContactSpec(kind="email", value=email))
    return party_create(
        actor=actor, name=name, contact_points=specs, allow_duplicate=True, **fields
    )


@pytest.fixture
def pair(company):
    """Two records of one customer, as a careless import would leave them."""
    a = make(
        company.manager,
        "张伟",
        mobile="13800138000",
        roles=["consumer"],
        tags=["VIP"],
        owner=company.rep,
    )
    b = make(
        company.manager,
        "張偉",
        mobile="13800138000",
        email="zw@qq.com",
        birthday=datetime.date(1985, 3, 2),
        roles=["consumer", "distributor"],
        tags=["老客户"],
        owner=company.rep,
    )
    interaction_log(actor=company.rep, party=b, kind="call", subject="回访")
    consent_record(
        actor=company.rep, party=b, channel="sms", status="granted", method="phone_recording"
    )
    party_share(actor=company.rep, party=a, user=company.teammate)
    party_share(actor=company.rep, party=b, user=company.teammate)
    return a, b


def test_merge_moves_everything_and_resolves_old_ids(company, pair):
    a, b = pair
    merge = parties_merge(
        actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk], choices={"name": a.pk}
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    assert a.birthday == datetime.date(1985, 3, 2)  # the survivor's blank is filled
    assert a.name == "张伟"
    # Related records moved; exact repeats (mobile, role, share) dropped, not doubled.
    assert sorted(ContactPoint.objects.filter(party=a).values_list("kind", flat=True)) == [
        "email",
        "mobile",
    ]
    assert sorted(PartyRole.objects.filter(party=a).values_list("role", flat=True)) == [
        "consumer",
        "distributor",
    ]
    assert PartyShare.objects.filter(party=a).count() == 1
    assert Interaction.objects.filter(party=a).count() == 1
    assert Consent.objects.filter(party=a).count() == 1
    assert sorted(a.tags.values_list("name", flat=True)) == ["VIP", "老客户"]
    assert not ContactPoint.objects.filter(party=b).exists()
    # The merged id still answers, with the survivor.
    assert selectors.party_for(user=company.rep, party_id=b.pk).pk == a.pk
    visible = party_queryset(user=company.rep, filters=PartyFilters())
    assert list(visible.values_list("pk", flat=True)) == [a.pk]
    assert AuditEvent.objects.filter(action="merge", subject_id=str(a.pk)).exists()
    assert AuditEvent.objects.filter(action="merge", subject_id=str(b.pk)).exists()
    assert merge.merged_ids == [b.pk]


def test_field_by_field_choice(company, pair):
    a, b = pair
    parties_merge(
        actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk], choices={"name": b.pk}
    )
    a.refresh_from_db()
    assert a.name == "張偉" and a.name_pinyin == "zhangwei"
    with pytest.raises(ValidationError):
        parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])


def test_undo_restores_both_records(company, pair):
    a, b = pair
    before_a = sorted(ContactPoint.objects.filter(party=a).values_list("kind", "value"))
    before_b = sorted(ContactPoint.objects.filter(party=b).values_list("kind", "value"))
    merge = parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    with pytest.raises(PermissionDenied):
        merge_undo(actor=company.manager, merge=merge)
    merge_undo(actor=company.admin, merge=merge)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into_id is None and a.birthday is None
    assert sorted(ContactPoint.objects.filter(party=a).values_list("kind", "value")) == before_a
    assert sorted(ContactPoint.objects.filter(party=b).values_list("kind", "value")) == before_b
    assert sorted(PartyRole.objects.filter(party=b).values_list("role", flat=True)) == [
        "consumer",
        "distributor",
    ]
    assert PartyShare.objects.filter(party=b).count() == 1
    assert Interaction.objects.filter(party=b).count() == 1
    assert sorted(a.tags.values_list("name", flat=True)) == ["VIP"]
    assert AuditEvent.objects.filter(action="unmerge").count() == 2
    with pytest.raises(ValidationError):
        merge_undo(actor=company.admin, merge=merge)


def test_undo_only_within_thirty_days(company, pair):
    a, b = pair
    merge = parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    later = timezone.now() + datetime.timedelta(days=31)
    with pytest.raises(ValidationError, match="30"):
        merge_undo(actor=company.admin, merge=merge, now=later)


def test_merge_needs_the_right_on_every_record(company, pair):
    a, b = pair
    far = make(company.admin, "张伟", mobile="13800138000", owner=company.far_rep)
    with pytest.raises(PermissionDenied):
        parties_merge(actor=company.rep, survivor_id=a.pk, merged_ids=[b.pk])
    with pytest.raises(PermissionDenied):  # the east manager cannot reach the south
        parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[far.pk])
    assert not Merge.objects.exists()


def test_dedup_scan_clusters_and_reports(company, pair, tmp_path):
    a, b = pair
    make(company.manager, "李娜", mobile="13700137000")
    report = io.StringIO()
    result = dedup_scan(report_file=report)
    assert result == {"parties": 3, "clusters": 1, "in_clusters": 2}
    rows = list(csv.DictReader(io.StringIO(report.getvalue())))
    assert [r["party_id"] for r in rows] == [str(a.pk), str(b.pk)]
    review = DuplicateReview.objects.get(status=ReviewStatus.OPEN)
    assert {r["cluster_id"] for r in rows} == {str(review.pk)}
    assert rows[0]["reason"] == "mobile+name"  # 張偉 is 张伟 once simplified
    # A rerun replaces the open queue rather than adding to it.
    dedup_scan()
    assert DuplicateReview.objects.filter(status=ReviewStatus.OPEN).count() == 1


def test_not_the_same_is_remembered(company, pair):
    a, b = pair
    dedup_scan()
    review = DuplicateReview.objects.get()
    mark_distinct(actor=company.manager, review=review)
    assert DistinctPair.objects.filter(low=a, high=b).exists()
    dedup_scan()
    assert not DuplicateReview.objects.filter(status=ReviewStatus.OPEN).exists()


def test_merge_closes_the_review(company, pair):
    a, b = pair
    dedup_scan()
    parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    assert DuplicateReview.objects.get().status == ReviewStatus.MERGED
    assert dedup_scan()["clusters"] == 0


def test_dedup_command_writes_the_report(company, pair, tmp_path, capsys):
    out = tmp_path / "dups.csv"
    call_command("customers", "dedup", "--report", str(out))
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["cluster_id", "party_id", "external_id", "score", "reason"]
    assert len(rows) == 3
    assert "1 clusters" in capsys.readouterr().out


def test_dedup_report_names_the_import_rows(company, tmp_path):
    from guanxi.customers.services.imports import import_file

    path = tmp_path / "old-system.csv"
    path.write_text(
        "external_id,name,mobile\nOLD1,张伟,13800138000\nOLD2,張偉,13800138000\nOLD3,李娜,137\n",
        encoding="utf-8",
    )
    import_file(actor=None, path=path, match=False)
    assert Party.objects.count() == 2
    report = io.StringIO()
    dedup_scan(report_file=report)
    rows = list(csv.DictReader(io.StringIO(report.getvalue())))
    assert [r["external_id"] for r in rows] == ["OLD1", "OLD2"]


def test_undo_out_of_order_is_refused(company, pair):
    a, b = pair
    c = make(company.manager, "张伟", mobile="13800138000", owner=company.rep)
    first = parties_merge(actor=company.manager, survivor_id=b.pk, merged_ids=[a.pk])
    parties_merge(actor=company.manager, survivor_id=c.pk, merged_ids=[b.pk])
    with pytest.raises(ValidationError, match="后来的合并"):  # undo the later merge first
        merge_undo(actor=company.admin, merge=first)


def test_undo_keeps_edits_made_after_the_merge(company, pair):
    from guanxi.customers.services import party_update

    a, b = pair
    merge = parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    party_update(actor=company.manager, party=Party.objects.get(pk=a.pk), notes="想下单")
    merge_undo(actor=company.admin, merge=merge)
    a.refresh_from_db()
    assert a.notes == "想下单"  # edited after the merge: kept
    assert a.birthday is None  # filled by the merge: put back
    event = AuditEvent.objects.filter(action="unmerge", subject_id=str(a.pk)).get()
    assert event.changes["birthday"] == ["1985-03-02", None]


def test_two_portal_logins_cannot_be_merged(company, pair):
    from tests.factories import UserFactory

    a, b = pair
    UserFactory(username="p1", kind="consumer", party=a)
    UserFactory(username="p2", kind="consumer", party=b)
    with pytest.raises(ValidationError):
        parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    assert not Merge.objects.exists()


def test_a_survivor_cannot_be_deleted(company, pair):
    from guanxi.customers.services import party_delete

    a, b = pair
    parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    with pytest.raises(ValidationError):
        party_delete(actor=company.admin, party=Party.objects.get(pk=a.pk))


def test_a_partial_merge_moves_open_reviews_to_the_survivor(company, pair):
    a, b = pair
    c = make(company.manager, "張偉", mobile="13800138000", owner=company.rep)
    review = DuplicateReview.objects.create(origin="dedup", score=0.99, reason="mobile")
    for party in (b, c):
        review.members.create(party=party, score=0.99, reason="mobile")
    parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    assert set(review.members.values_list("party_id", flat=True)) == {a.pk, c.pk}
    parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[c.pk])
    review.refresh_from_db()
    assert review.status == ReviewStatus.MERGED


def test_a_decided_review_cannot_be_marked_distinct(company, pair):
    a, b = pair
    dedup_scan()
    review = DuplicateReview.objects.get()
    parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    with pytest.raises(ValidationError):
        mark_distinct(actor=company.manager, review=review)
    assert not DistinctPair.objects.exists()


def test_merged_records_leave_every_search(company, pair):
    a, b = pair
    parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    for user in (company.admin, company.rep):
        for q in ("zhangwei", "张伟", "13800138000", "zw"):
            page = selectors.party_page(user=user, filters=PartyFilters(q=q))
            assert [p.pk for p in page.rows] == [a.pk], (user, q)


def test_not_the_same_follows_a_merge_and_its_undo(company, pair):
    a, b = pair
    x = make(company.manager, "张伟", mobile="13800138000", owner=company.rep)
    DistinctPair.objects.create(low=b, high=x)  # someone said b is not x
    merge = parties_merge(actor=company.manager, survivor_id=a.pk, merged_ids=[b.pk])
    assert list(DistinctPair.objects.values_list("low_id", "high_id")) == [(a.pk, x.pk)]
    assert dedup_scan()["clusters"] == 0  # a and x share a mobile, but were told apart
    merge_undo(actor=company.admin, merge=merge)
    assert list(DistinctPair.objects.values_list("low_id", "high_id")) == [(b.pk, x.pk)]
