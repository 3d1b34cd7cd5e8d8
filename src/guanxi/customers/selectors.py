"""Reads of the customer database. Every query starts from `visible_to(user)`."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from guanxi.core.choices import AuditAction
from guanxi.core.models import AuditEvent
from guanxi.core.visibility import Action, owned_q, role_allows
from guanxi.customers import normalize
from guanxi.customers.choices import ContactKind, ImportOutcome, ReviewStatus
from guanxi.customers.models import (
    ContactPoint,
    DuplicateReview,
    FieldConflict,
    Interaction,
    Party,
    PartyRole,
)
from guanxi.customers.services.guards import require

COUNT_CAP = 1000  # lists never count more than this; they show "1000+"
MAX_PAGE = 200


@dataclass
class PartyFilters:
    q: str = ""
    owner_id: int | None = None
    lifecycle_stage: str = ""
    source: str = ""
    role: str = ""
    tag: str = ""


def prefix_q(field: str, prefix: str) -> Q:
    """Index-friendly prefix match on both databases.

    PostgreSQL uses the varchar_pattern_ops index for LIKE 'x%'; SQLite cannot use an
    index for LIKE ... ESCAPE, so the range condition is added for it.
    """
    condition = Q(**{f"{field}__startswith": prefix})
    if connection.vendor == "sqlite":
        condition &= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return condition


def _contact_ids(*conditions: Q, **lookup) -> QuerySet:
    return (
        ContactPoint.objects.filter(*conditions, **lookup)
        .order_by()
        .values_list("party_id", flat=True)
    )


def _party_ids(condition: Q) -> QuerySet:
    return Party.objects.filter(condition).order_by().values_list("pk", flat=True)


MATERIALISE_LIMIT = 2000  # a union matching fewer parties is resolved to a list of ids
WECHAT_MIN = 6  # WeChat IDs have 6 to 20 characters


def search_branches(text: str) -> list[Q | QuerySet]:
    """What the single search box matches, as alternatives: conditions on the party's own
    indexed columns (Q) or querysets of matching party ids (from contact points)."""
    text = text.strip()[:100]
    if not text:
        return []
    if "@" in text:
        return [_contact_ids(kind=ContactKind.EMAIL, normalized=text.lower())]
    if normalize.looks_like_phone(text):
        try:
            e164, _mobile = normalize.normalize_phone(text)
        except normalize.InvalidContact:
            digits = "".join(ch for ch in text if ch.isdigit())
            prefix = "+86" + digits.removeprefix("86").removeprefix("0")
            return [_contact_ids(prefix_q("normalized", prefix))]
        return [_contact_ids(normalized=e164)]
    if normalize.looks_like_pinyin(text):
        key = normalize.pinyin_query(text)
        branches: list[Q | QuerySet] = [
            prefix_q("name_pinyin", key),
            prefix_q("name_initials", key),
        ]
        if len(key) >= WECHAT_MIN:
            branches.append(_contact_ids(kind=ContactKind.WECHAT, normalized=key))
        return branches
    # The name key (no spaces, width-folded, lower-case) finds "张 伟" by "张伟" and back.
    return [prefix_q("name_key", normalize.name_key(text))]


def search_union(branches: list[Q | QuerySet]) -> QuerySet:
    """The alternatives as one UNION of plain index ranges, yielding party ids."""
    first, *rest = [_party_ids(b) if isinstance(b, Q) else b for b in branches]
    return first.union(*rest) if rest else first


def search_q(text: str) -> Q:
    """Filter for the search box.

    One condition on the party's own columns is applied as it is: the planner then reads
    a single index. Several alternatives are combined as a UNION of plain index ranges
    (one OR over several indexes would look up and sort every matching row), and that
    union is looked up first, bounded: most searches match a few parties, and a literal
    id list lets both databases fetch just those rows (PostgreSQL cannot estimate prefix
    ranges and, given a subquery, may walk the whole primary key). A broad union stays a
    subquery, where walking the primary key newest-first finds matches quickly because
    they are dense.
    """
    branches = search_branches(text)
    if not branches:
        return Q()
    if len(branches) == 1 and isinstance(branches[0], Q):
        return branches[0]
    union = search_union(branches)
    ids = list(union[: MATERIALISE_LIMIT + 1])
    return Q(pk__in=ids) if len(ids) <= MATERIALISE_LIMIT else Q(pk__in=union)


def party_queryset(*, user, filters: PartyFilters, action: Action = Action.VIEW) -> QuerySet:
    """Visible parties matching the filters, newest first (merged ones left out)."""
    qs = Party.objects.visible_to(user, action).filter(merged_into__isnull=True)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.lifecycle_stage:
        qs = qs.filter(lifecycle_stage=filters.lifecycle_stage)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.role:
        qs = qs.filter(pk__in=PartyRole.objects.filter(role=filters.role).values("party_id"))
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    return qs.order_by("-id")


def _with_list_data(qs: QuerySet) -> QuerySet:
    phones = ContactPoint.objects.filter(kind__in=[ContactKind.MOBILE, ContactKind.LANDLINE])
    return qs.select_related("owner").prefetch_related(
        Prefetch("contact_points", queryset=phones, to_attr="phones"), "tags"
    )


@dataclass
class PartyPage:
    rows: list[Party]
    next_after: int | None  # pass as after_id for the next page
    count: int | None = None  # matches, up to COUNT_CAP (first page only)
    count_capped: bool = False


def party_page(
    *, user, filters: PartyFilters, after_id: int | None = None, limit: int = 50
) -> PartyPage:
    """A keyset page (by id, newest first). The first page also counts, up to COUNT_CAP."""
    limit = max(1, min(limit, MAX_PAGE))
    # Ids first, rows second: ordering a broad search's matches needs only index entries,
    # not every matching row joined with its owner. On the first page the same id query,
    # read up to the cap, also gives the count, so a search is evaluated once.
    fetch = max(limit + 1, COUNT_CAP + 1) if after_id is None else limit + 1
    branches = search_branches(filters.q)
    if after_id is None and len(branches) > 1 and _search_alone(user, filters):
        # Nothing but the search narrows the list: its own ids, newest first, are the page.
        ids = list(search_union(branches).order_by("-pk")[:fetch])
        merged = set(
            Party.objects.filter(pk__in=ids, merged_into__isnull=False).values_list("pk", flat=True)
        )
        return _page([i for i in ids if i not in merged], limit=limit, counted=True)
    qs = party_queryset(user=user, filters=filters)
    if after_id:
        qs = qs.filter(pk__lt=after_id)
    ids = list(qs.values_list("pk", flat=True)[:fetch])
    return _page(ids, limit=limit, counted=after_id is None)


def _search_alone(user, filters: PartyFilters) -> bool:
    """True when the user sees every party and no filter but the search is set."""
    others = (
        filters.owner_id,
        filters.lifecycle_stage,
        filters.source,
        filters.role,
        filters.tag,
    )
    return not any(others) and owned_q(Party, user, Action.VIEW) == Q()


def _page(ids: list[int], *, limit: int, counted: bool) -> PartyPage:
    rows = list(_with_list_data(Party.objects.filter(pk__in=ids[:limit])).order_by("-id"))
    page = PartyPage(rows=rows, next_after=ids[limit - 1] if len(ids) > limit else None)
    if counted:
        page.count, page.count_capped = min(len(ids), COUNT_CAP), len(ids) > COUNT_CAP
    return page


def resolve_party_id(party_id: int) -> int:
    """The id a party id stands for now: a merged party's survivor, through any chain."""
    seen = set()
    while party_id not in seen:
        seen.add(party_id)
        target = Party.objects.filter(pk=party_id).values_list("merged_into_id", flat=True).first()
        if not target:
            break
        party_id = target
    return party_id


def party_for(*, user, party_id: int, action: Action = Action.VIEW) -> Party:
    """A party the user can see (else Http404), checked for `action` (else PermissionDenied).

    The id of a merged party gives its survivor."""
    visible = Party.objects.visible_to(user)
    # Most ids are not merged: one query finds them; a merged id follows its chain.
    party = visible.filter(pk=party_id, merged_into__isnull=True).first()
    if party is None:
        party = get_object_or_404(visible, pk=resolve_party_id(party_id))
    if action != Action.VIEW:
        require(user, action, party)
    return party


def party_detail(*, user, party_id: int) -> Party:
    """One visible party with what the 360 header needs; raises Party.DoesNotExist."""
    return (
        Party.objects.visible_to(user)
        .select_related("owner__org_unit", "created_by")
        .prefetch_related("contact_points", "tags", "roles", "shares__user")
        .get(pk=party_id)
    )


def follow_ups_due(*, user, today: datetime.date | None = None) -> dict[str, list[Interaction]]:
    """The user's open follow-ups: overdue, due today, and upcoming (next 7 days)."""
    today = today or timezone.localdate()
    base = (
        Interaction.objects.visible_to(user)
        .filter(follow_up_on__isnull=False, follow_up_done_at__isnull=True)
        .filter(Q(actor=user) | Q(party__owner=user))
        .select_related("party", "actor")
        .order_by("follow_up_on", "party__name")
    )
    return {
        "overdue": list(base.filter(follow_up_on__lt=today)[:200]),
        "today": list(base.filter(follow_up_on=today)[:200]),
        "upcoming": list(
            base.filter(follow_up_on__gt=today, follow_up_on__lte=today + datetime.timedelta(7))[
                :200
            ]
        ),
    }


def review_queue(*, user) -> QuerySet:
    """Open duplicate reviews whose every party the user may merge, best first."""
    qs = DuplicateReview.objects.filter(status=ReviewStatus.OPEN)
    if not role_allows(user, Action.MERGE):
        return qs.none()
    if not user.is_admin_role:
        mergeable = Party.objects.visible_to(user, Action.MERGE).values("pk")
        qs = qs.exclude(members__party__in=Party.objects.exclude(pk__in=mergeable))
    return qs.order_by("-score", "id")


def review_parties(*, user, review) -> list[Party]:
    """The parties of one review, side by side; PermissionDenied unless all are mergeable."""
    ids = list(review.members.values_list("party_id", flat=True))
    parties = list(
        Party.objects.visible_to(user, Action.MERGE)
        .filter(pk__in=ids)
        .select_related("owner__org_unit")
        .prefetch_related("contact_points", "tags", "roles")
        .order_by("id")
    )
    if len(parties) != len(ids):
        raise PermissionDenied
    return parties


def open_conflicts(*, user) -> QuerySet:
    return (
        FieldConflict.objects.visible_to(user, Action.CHANGE)
        .filter(status=ReviewStatus.OPEN)
        .select_related("party", "batch")
        .order_by("-id")
    )


def party_history_events(party: Party) -> QuerySet:
    """The party's audit trail, with the event of each import that created it.

    An import writes one event for all the customers it creates (its ImportRecords name
    them), so a customer's History finds it through the customer's import records.
    """
    batch_ids = party.import_records.filter(
        outcome__in=[ImportOutcome.CREATED, ImportOutcome.REVIEW]
    ).values_list("batch_id", flat=True)
    return AuditEvent.objects.filter(
        Q(subject_type="customers.party", subject_id=str(party.pk))
        | Q(
            subject_type="customers.importbatch",
            subject_id__in=[str(pk) for pk in set(batch_ids)],
            action=AuditAction.IMPORT,
        )
    ).select_related("actor")
