"""Reads of the network: search, upline and downline, children for the lazy tree."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from guanxi.core.visibility import Action
from guanxi.customers.choices import ContactKind
from guanxi.customers.models import ContactPoint, Party
from guanxi.customers.selectors import search_q
from guanxi.network.models import Distributor

DOWNLINE_LIMIT = 500  # rows a downline list shows at most; narrow by depth or status
CHILDREN_PAGE = 50  # recruits the tree shows per click; "more" loads the next ones
SEARCH_LIMIT = 100
UPLINE_LIMIT = 200  # members of an upline path shown (a pathological chain is longer)
UPLINE_DEPTH_MAX = 10_000_000  # the recursion's bound, were a cycle ever to slip in


def distributors(*, user, action: Action = Action.VIEW) -> QuerySet:
    return (
        Distributor.objects.visible_to(user, action)
        .select_related("party", "sponsor", "team")
        .order_by("member_id")
    )


def distributor_for(*, user, member_id: str, action: Action = Action.VIEW) -> Distributor:
    """The visible distributor with this member number, or Distributor.DoesNotExist."""
    return distributors(user=user, action=action).get(member_id=member_id)


def distributor_search(*, user, q: str = "", status: str = "") -> QuerySet:
    """By member number (prefix), name, pinyin or phone; roots first when no query.

    Member numbers and people are looked up apart, each through its own index, and the
    two short id lists joined: one OR across both would read the whole table."""
    qs = distributors(user=user)
    text = q.strip()
    if not text:
        qs = qs.filter(sponsor__isnull=True)
    else:
        bound = SEARCH_LIMIT + 1
        ids = set()
        for prefix in dict.fromkeys([text, text.upper()]):
            ids.update(
                Distributor.objects.filter(_member_prefix(prefix))
                .order_by("member_id")
                .values_list("pk", flat=True)[:bound]
            )
        people = Party.objects.filter(search_q(text), distributor__isnull=False).values_list(
            "pk", flat=True
        )[:bound]
        ids.update(
            Distributor.objects.filter(party_id__in=list(people)).values_list("pk", flat=True)
        )
        qs = qs.filter(pk__in=ids)
    if status:
        qs = qs.filter(status=status)
    return qs


def _member_prefix(prefix: str) -> Q:
    """Member numbers starting with `prefix`, through an index on either database:
    PostgreSQL has a pattern index for LIKE; SQLite's LIKE ignores case and so no index,
    but a range of its binary-ordered unique index gives the same rows."""
    starts = Q(member_id__startswith=prefix)
    if connection.vendor == "sqlite":
        return starts & Q(member_id__gte=prefix, member_id__lt=prefix + "\U0010ffff")
    return starts


def upline_ids(distributor: Distributor, limit: int | None = None) -> list[int]:
    """Ids of the sponsors above, nearest first (all of them unless `limit`)."""
    bound = limit if limit is not None else UPLINE_DEPTH_MAX
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE up(id, sponsor_id, n) AS ("
            " SELECT id, sponsor_id, 0 FROM network_distributor WHERE id = %s"
            " UNION ALL"
            " SELECT d.id, d.sponsor_id, up.n + 1 FROM network_distributor d"
            " JOIN up ON d.id = up.sponsor_id WHERE up.n < %s"
            ") SELECT id FROM up WHERE n > 0 ORDER BY n",
            [distributor.pk, bound],
        )
        return [row[0] for row in cursor.fetchall()]


def upline(*, user, distributor: Distributor) -> tuple[list[Distributor], int]:
    """The path from the top down to the sponsor (the nearest UPLINE_LIMIT), with the
    total number of sponsors above; members the user may not see are left out."""
    ids = upline_ids(distributor)
    shown = ids[:UPLINE_LIMIT]
    found = {d.pk: d for d in distributors(user=user).filter(pk__in=shown)}
    return [found[i] for i in reversed(shown) if i in found], len(ids)


def children(*, user, distributor: Distributor, after: str = "") -> tuple[list, str]:
    """One page of recruits by member number, and the member number to continue after
    ("" when this is the last page)."""
    qs = distributors(user=user).filter(sponsor=distributor)
    if after:
        qs = qs.filter(member_id__gt=after)
    rows = list(qs[: CHILDREN_PAGE + 1])
    more = rows[CHILDREN_PAGE - 1].member_id if len(rows) > CHILDREN_PAGE else ""
    return rows[:CHILDREN_PAGE], more


def downline_levels(distributor: Distributor, depth: int, *, limit: int) -> dict[int, int]:
    """{distributor id: level} of the members down to `depth` levels below (at most
    `limit`, nearest levels first as the recursion finds them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE down(id, level) AS ("
            " SELECT id, 1 FROM network_distributor WHERE sponsor_id = %s"
            " UNION ALL"
            " SELECT d.id, down.level + 1 FROM network_distributor d"
            " JOIN down ON d.sponsor_id = down.id WHERE down.level < %s"
            ") SELECT id, level FROM down LIMIT %s",
            [distributor.pk, depth, limit],
        )
        return dict(cursor.fetchall())


def downline(*, user, distributor: Distributor, depth: int, status: str = "") -> list:
    """Members down to `depth` levels below (at most DOWNLINE_LIMIT), with their level."""
    levels = downline_levels(distributor, depth, limit=DOWNLINE_LIMIT * 4)
    qs = distributors(user=user).filter(pk__in=list(levels))
    if status:
        qs = qs.filter(status=status)
    rows = sorted(qs, key=lambda d: (levels[d.pk], d.member_id))[:DOWNLINE_LIMIT]
    for row in rows:
        row.level = levels[row.pk]
    return rows


@dataclass
class Contact:
    member_id: str
    name: str
    level: int  # 1: a direct recruit; 0: the sponsor
    status: str
    mobile: str
    team_size: int | None
    personal_pv: object


def network_contacts(distributor: Distributor, depth: int) -> list[Contact]:
    """The sponsor and the downline to `depth` levels with their primary mobile: what a
    distributor may see of their own network (the company's setting, not record
    visibility). At most DOWNLINE_LIMIT members."""
    if depth <= 0:
        return []
    levels = downline_levels(distributor, depth, limit=DOWNLINE_LIMIT)
    if distributor.sponsor_id:
        levels[distributor.sponsor_id] = 0
    rows = Distributor.objects.filter(pk__in=list(levels)).select_related("party", "team")
    mobiles: dict[int, str] = {}
    numbers = (
        ContactPoint.objects.filter(party__distributor__in=list(levels), kind=ContactKind.MOBILE)
        .order_by("party_id", "-is_primary", "id")
        .values_list("party__distributor", "value")
    )
    for distributor_id, value in numbers:
        mobiles.setdefault(distributor_id, value)  # the primary one comes first
    found = []
    for d in rows:
        team = getattr(d, "team", None)
        found.append(
            Contact(
                member_id=d.member_id,
                name=d.party.name,
                level=levels[d.pk],
                status=d.get_status_display(),
                mobile=mobiles.get(d.pk, ""),
                team_size=team.team_size if team else None,
                personal_pv=team.personal_pv if team else None,
            )
        )
    return sorted(found, key=lambda c: (c.level, c.member_id))
