"""The public pool (公海) and claims (报备): take a record, keep it by following up and
making progress, give it back, and the worker's recycling of claims that lapsed.

Taking is one conditional UPDATE (`owner IS NULL`): of two reps claiming at the same
instant exactly one changes the row; the other is told it is gone. A partial unique
index (one active claim per party) guards the same on both databases.
"""

import datetime
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_insert, audit_record
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.core.context import current_origin
from guanxi.core.models import User
from guanxi.customers.models import Party
from guanxi.sales.choices import ClaimEnd
from guanxi.sales.models import Claim, PoolPolicy, RecycleNotice

CLAIMERS = (Role.SALES_REP, Role.MANAGER, Role.ADMIN)
BATCH = 5000
RECYCLE_WORKERS = 2  # PostgreSQL connections recycling at once (one per core here)


def pool_policy() -> PoolPolicy:
    policy, _created = PoolPolicy.objects.get_or_create(pk=1)
    return policy


def _require_claimer(user) -> None:
    if user.kind != UserKind.STAFF or not user.is_active or user.role not in CLAIMERS:
        raise PermissionDenied(_("Only sales staff claim records from the pool."))


def active_claims(user) -> int:
    return Claim.objects.filter(user=user, ended_at__isnull=True).count()


@transaction.atomic
def claim_take(
    *, actor, party: Party, for_user=None, now: datetime.datetime | None = None
) -> Claim:
    """Claim `party` from the pool for `for_user` (default: the actor; a manager may
    assign). Refused when someone holds it, at the cap, or right after losing it."""
    rep = for_user or actor
    _require_claimer(rep)
    assigning = actor is not None and for_user is not None and for_user != actor
    if assigning and not (actor.is_superuser or actor.role in (Role.MANAGER, Role.ADMIN)):
        raise PermissionDenied(_("Only managers assign records to others."))
    now = now or timezone.now()
    policy = pool_policy()
    User.objects.select_for_update().filter(pk=rep.pk).first()  # one claim at a time per rep
    if active_claims(rep) >= policy.max_claims:
        raise ValidationError(
            {
                "party": _("You hold %(n)d records, the most allowed; release some first.")
                % {"n": policy.max_claims}
            }
        )
    cooldown = now - datetime.timedelta(days=policy.reclaim_after_days)
    if Claim.objects.filter(
        party=party,
        user=rep,
        end_reason__in=[
            ClaimEnd.NO_FOLLOW_UP,
            ClaimEnd.NO_PROGRESS,
            ClaimEnd.EXPIRED,
            ClaimEnd.RELEASED,
        ],
        ended_at__gt=cooldown,
    ).exists():
        raise ValidationError(
            {
                "party": _(
                    "You gave this record back recently; you may claim it again after "
                    "%(days)d days."
                )
                % {"days": policy.reclaim_after_days}
            }
        )
    taken = Party.objects.filter(pk=party.pk, owner__isnull=True, merged_into__isnull=True).update(
        owner=rep, updated_at=now
    )
    if not taken:
        raise ValidationError({"party": _("Someone else has just claimed this record.")})
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                party=party,
                user=rep,
                claimed_at=now,
                protected_until=now + datetime.timedelta(days=policy.protection_days),
                assigned_by=actor if assigning else None,
            )
    except IntegrityError as exc:  # an older claim still open: never two at once
        raise ValidationError({"party": _("Someone else has just claimed this record.")}) from exc
    audit_record(
        actor=actor,
        action=AuditAction.CLAIM,
        obj=party,
        changes={"owner": [None, rep.pk], "claim": [None, claim.pk]},
    )
    return claim


@transaction.atomic
def claim_release(*, actor, claim: Claim, now=None) -> Claim:
    """The rep gives a record back to the pool (or a manager takes it back for them)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.ended_at is not None:
        raise ValidationError({"claim": _("This claim has ended already.")})
    if claim.user_id != actor.pk and actor.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(_("Only the rep or a manager releases a claim."))
    _end([claim], ClaimEnd.RELEASED, now or timezone.now(), actor=actor)
    claim.refresh_from_db()
    return claim


def claim_touch(*, party_id: int, user_id: int, follow_up=None, progress=None) -> None:
    """Record a follow-up or progress by the claimant on their active claim."""
    changes = {}
    if follow_up:
        changes["last_follow_up_at"] = follow_up
    if progress:
        changes["last_progress_at"] = progress
    if changes:
        Claim.objects.filter(party_id=party_id, user_id=user_id, ended_at__isnull=True).update(
            **changes
        )


def claim_convert(*, party_id: int, now=None) -> None:
    """A won customer stays with the rep: the claim ends without returning it."""
    claims = list(Claim.objects.filter(party_id=party_id, ended_at__isnull=True))
    if claims:
        Claim.objects.filter(pk__in=[c.pk for c in claims]).update(
            ended_at=now or timezone.now(), end_reason=ClaimEnd.CONVERTED
        )


def _return_to_pool(claims: list[Claim], now) -> set[int]:
    """Clear the owner of each claimed party still owned by its claimant, in one
    statement per batch; the ids of the parties that went back."""
    pairs = [(c.party_id, c.user_id) for c in claims]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE customers_party AS p SET owner_id = NULL, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS c(party_id, user_id) "
                "WHERE p.id = c.party_id AND p.owner_id = c.user_id RETURNING p.id",
                [now, [a for a, _b in pairs], [b for _a, b in pairs]],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.executemany(
            "UPDATE customers_party SET owner_id = NULL, updated_at = %s "
            "WHERE id = %s AND owner_id = %s",
            [(now, a, b) for a, b in pairs],
        )
    return set(
        Party.objects.filter(pk__in=[a for a, _b in pairs], owner__isnull=True).values_list(
            "pk", flat=True
        )
    )


def _end(claims: list[Claim], reason: str, now, *, actor=None) -> list[Claim]:
    """End claims; parties still owned by the claimant go back to the pool. A party a
    manager gave to someone else meanwhile keeps its new owner (ended as owner changed)."""
    if not claims:
        return []
    back = _return_to_pool(claims, now)
    moved = [c for c in claims if c.party_id in back]
    kept = [c.pk for c in claims if c.party_id not in back]
    Claim.objects.filter(pk__in=[c.pk for c in moved]).update(ended_at=now, end_reason=reason)
    Claim.objects.filter(pk__in=kept).update(ended_at=now, end_reason=ClaimEnd.OWNER_CHANGED)
    action = AuditAction.RELEASE if reason == ClaimEnd.RELEASED else AuditAction.RECYCLE
    audit_insert(
        actor=actor,
        action=action,
        object_type="customers.party",
        entries=[(c.party_id, "", {"owner": [c.user_id, None], "reason": reason}) for c in moved],
        at=now,
    )
    return moved


def lapsed(policy: PoolPolicy, now) -> Q:
    """Active claims past one of the pool's limits."""
    follow = now - datetime.timedelta(days=policy.follow_up_days)
    progress = now - datetime.timedelta(days=policy.progress_days)
    return Q(ended_at__isnull=True) & (
        Q(protected_until__lt=now)
        | Q(last_follow_up_at__lt=follow)
        | Q(last_follow_up_at__isnull=True, claimed_at__lt=follow)
        | Q(last_progress_at__lt=progress)
        | Q(last_progress_at__isnull=True, claimed_at__lt=progress)
    )


def _reason(claim: Claim, policy: PoolPolicy, now) -> str:
    if claim.protected_until < now:
        return ClaimEnd.EXPIRED
    follow = claim.last_follow_up_at or claim.claimed_at
    if follow < now - datetime.timedelta(days=policy.follow_up_days):
        return ClaimEnd.NO_FOLLOW_UP
    return ClaimEnd.NO_PROGRESS


def claims_recycle(
    *, now: datetime.datetime | None = None, notify: Callable | None = None, batch: int = BATCH
) -> dict[str, int]:
    """Return every lapsed claim's record to the pool, in committed batches (a killed run
    is rerun safely), and tell each rep what they lost (recycle_notices_send). Returns
    counts per reason.

    On PostgreSQL each batch is one statement (the rows never come into Python) and the
    batches run on RECYCLE_WORKERS connections at once: the time goes into rewriting the
    parties' and claims' index entries, which one connection does on one core."""
    now = now or timezone.now()
    policy = pool_policy()
    # One scan finds the lapsed claims; each batch then re-reads its own under lock.
    due = list(
        Claim.objects.filter(lapsed(policy, now)).order_by("id").values_list("id", flat=True)
    )
    chunks = [due[start : start + batch] for start in range(0, len(due), batch)]
    origin = current_origin()  # worker threads would each make up their own
    if connection.vendor == "postgresql":
        work = lambda ids: _recycle_chunk_sql(ids, policy, now, origin)  # noqa: E731
    else:
        work = lambda ids: _recycle_chunk(ids, policy, now)  # noqa: E731
    if connection.vendor == "postgresql" and len(chunks) > 1 and not connection.in_atomic_block:
        with ThreadPoolExecutor(max_workers=RECYCLE_WORKERS) as pool:
            results = list(pool.map(lambda ids: _own_connection(work, ids), chunks))
    else:
        results = [work(ids) for ids in chunks]
    counts: dict[str, int] = {}
    for chunk_counts in results:
        for key, n in chunk_counts.items():
            counts[key] = counts.get(key, 0) + n
    if notify:
        recycle_notices_send(notify=notify)
    return counts


@transaction.atomic
def recycle_notices_send(*, notify: Callable) -> int:
    """Tell each rep how many records went back since they were last told (this run's
    batches, and those of a run killed before its notices); returns the reps told."""
    pending = list(RecycleNotice.objects.select_for_update(skip_locked=True).order_by("id"))
    lost: dict[int, int] = {}
    for notice in pending:
        lost[notice.user_id] = lost.get(notice.user_id, 0) + notice.count
    RecycleNotice.objects.filter(pk__in=[n.pk for n in pending]).delete()
    for user_id, n in lost.items():
        notify(user_id, n)
    return len(lost)


def _remember(lost: dict[int, int], now) -> None:
    """Inside the batch's transaction: what to tell the reps (see RecycleNotice)."""
    RecycleNotice.objects.bulk_create(
        RecycleNotice(user_id=user_id, count=n, created_at=now) for user_id, n in lost.items()
    )


def _own_connection(work, ids):
    try:
        return work(ids)
    finally:
        connection.close()  # this thread's connection


def _recycle_chunk(ids: list[int], policy: PoolPolicy, now) -> dict[str, int]:
    counts: dict[str, int] = {}
    lost: dict[int, int] = {}
    with transaction.atomic():
        batch = list(
            Claim.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids)
            .filter(lapsed(policy, now))
        )
        by_reason: dict[str, list[Claim]] = {}
        for claim in batch:
            by_reason.setdefault(_reason(claim, policy, now), []).append(claim)
        for reason, claims in by_reason.items():
            for claim in _end(claims, reason, now):
                counts[reason] = counts.get(reason, 0) + 1
                lost[claim.user_id] = lost.get(claim.user_id, 0) + 1
        _remember(lost, now)
    return counts


# The same as _recycle_chunk (lapsed(), _reason(), _end()) in one statement: lock the
# batch's claims still lapsed, clear the owner of parties their claimant still owns, end
# the claims (as "owner changed" where a manager moved the party meanwhile) and write an
# audit event per returned party. Profiled at a million claims, building 300,000 Claim
# objects and audit rows in Python took as long as PostgreSQL's writes, under one GIL.
RECYCLE_SQL = """
WITH due AS (
    SELECT c.id, c.party_id, c.user_id,
           CASE WHEN c.protected_until < %(now)s THEN %(expired)s
                WHEN COALESCE(c.last_follow_up_at, c.claimed_at) < %(follow)s
                THEN %(no_follow_up)s
                ELSE %(no_progress)s END AS reason
    FROM sales_claim c
    WHERE c.id = ANY(%(ids)s) AND c.ended_at IS NULL
      AND (c.protected_until < %(now)s
           OR COALESCE(c.last_follow_up_at, c.claimed_at) < %(follow)s
           OR COALESCE(c.last_progress_at, c.claimed_at) < %(progress)s)
    FOR UPDATE SKIP LOCKED
), back AS (
    UPDATE customers_party p SET owner_id = NULL, updated_at = %(now)s
    FROM due WHERE p.id = due.party_id AND p.owner_id = due.user_id
    RETURNING p.id
), ended AS (
    UPDATE sales_claim c
    SET ended_at = %(now)s,
        end_reason = CASE WHEN back.id IS NULL THEN %(owner_changed)s ELSE due.reason END
    FROM due LEFT JOIN back ON back.id = due.party_id
    WHERE c.id = due.id
    RETURNING c.party_id, c.user_id, c.end_reason
), audit AS (
    INSERT INTO core_auditevent (occurred_at, actor_id, actor_repr, request_id, ip_address,
        action, object_type, object_id, object_repr, subject_type, subject_id, changes)
    SELECT %(now)s, NULL, 'system', %(request_id)s, %(ip)s, %(action)s, 'customers.party',
           ended.party_id::text, '', 'customers.party', ended.party_id::text,
           jsonb_build_object('owner', jsonb_build_array(ended.user_id, NULL),
                              'reason', ended.end_reason)
    FROM ended WHERE ended.end_reason <> %(owner_changed)s
)
SELECT end_reason, user_id, count(*) FROM ended GROUP BY end_reason, user_id
"""


def _recycle_chunk_sql(ids: list[int], policy: PoolPolicy, now, origin) -> dict[str, int]:
    params = {
        "ids": list(ids),
        "now": now,
        "follow": now - datetime.timedelta(days=policy.follow_up_days),
        "progress": now - datetime.timedelta(days=policy.progress_days),
        "request_id": origin.request_id,
        "ip": origin.ip_address,
        "action": AuditAction.RECYCLE,
        **{reason.value: reason.value for reason in ClaimEnd},
        "owner_changed": ClaimEnd.OWNER_CHANGED.value,
    }
    counts: dict[str, int] = {}
    lost: dict[int, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RECYCLE_SQL, params)
        for reason, user_id, n in cursor.fetchall():
            if reason != ClaimEnd.OWNER_CHANGED:
                counts[reason] = counts.get(reason, 0) + n
                lost[user_id] = lost.get(user_id, 0) + n
        _remember(lost, now)
    return counts
