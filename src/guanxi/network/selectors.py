"""Reads of the network: search, upline and downline, children for the lazy tree."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from guanxi.core.visibility import Action
from guanxi.customers.choices import ContactKind
from guanxi.customers.models import ContactPoint
from guanxi.customers.selectors import search_q
from guanxi.network.models import Distributor

DOWNLINE_LIMIT = 500  # rows a downline list shows at most; narrow by depth or status
UPLINE_LIMIT = 200  # members of an upline path shown (a pathological chain is longer)


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
    """By member number (prefix), name, pinyin or phone; roots first when no query."""
    qs = distributors(user=user)
    text = q.strip()
    if text:
        by_member = Q(member_id__startswith=text) | Q(member_id__startswith=text.upper())
        qs = qs.filter(by_member | Q(party__in=_parties(text)))
    else:
        qs = qs.filter(sponsor__isnull=True)
    if status:
        qs = qs.filter(status=status)
    return qs


def _parties(text: str):
    from guanxi.customers.models import Party

    return Party.objects.filter(search_q(text)).values("pk")


def upline_ids(distributor: Distributor, limit: int | None = None) -> list[int]:
    """Ids of the sponsors above, nearest first (all of them unless `limit`)."""
    bound = limit if limit is not None else 10**9
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


def children(*, user, distributor: Distributor) -> QuerySet:
    return distributors(user=user).filter(sponsor=distributor)


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
    mobiles = dict(
        ContactPoint.objects.filter(party__distributor__in=list(levels), kind=ContactKind.MOBILE)
        .order_by("party_id", "-is_primary", "id")
        .values_list("party__distributor", "value")
        .distinct()
    )
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
