"""Reads of targets: what each rep and department achieved in a month against its target
(业绩达成). What counts (docs/sales.md, "Targets"):

* revenue: contracts signed in the month (`signed_on`) and in force or completed, at
  their amount, credited to the contract's rep;
* collections: money received in the month (`collected_on`), not reversed, credited to
  the contract's rep;
* new customers: customers whose first ever won deal closed in the month, credited to
  that deal's rep.

A department's actual is the sum over everyone in its subtree. Attainment is actual ÷
target as a percentage rounded half-up to 0.1; no target (or 0) has no attainment.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum

from guanxi.core.choices import Role, UserKind
from guanxi.core.models import OrgUnit, User
from guanxi.core.visibility import org_units_in_scope, staff_in_scope
from guanxi.sales.choices import SIGNED_CONTRACT_STATUSES, OpportunityState
from guanxi.sales.models import Collection, Contract, Opportunity, SalesTarget

METRICS = ("revenue", "collections", "new_customers")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def percent(actual, target) -> Decimal | None:
    """Attainment in percent, half-up to 0.1; None without a target."""
    if not target:
        return None
    value = Decimal(actual) * 100 / Decimal(target)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One rep's or department's month: target (or None), actuals, attainment."""

    label: str
    user: User | None = None
    org_unit: OrgUnit | None = None
    target: SalesTarget | None = None
    actual: dict = field(default_factory=lambda: dict.fromkeys(METRICS, 0))

    def attainment(self, metric: str) -> Decimal | None:
        return percent(self.actual[metric], getattr(self.target, metric, None))

    @property
    def cells(self) -> list[tuple[str, object, object, Decimal | None]]:
        return [
            (m, getattr(self.target, m, None), self.actual[m], self.attainment(m)) for m in METRICS
        ]


def actuals(*, user_ids: list[int], month: datetime.date) -> dict[int, dict]:
    """Each user's revenue, collections and new customers in the month."""
    first = month_start(month)
    after = next_month(first)
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(first, datetime.time(), zone)
    end = datetime.datetime.combine(after, datetime.time(), zone)
    out = {pk: dict.fromkeys(METRICS, 0) for pk in user_ids}
    revenue = (
        Contract.objects.filter(
            owner_id__in=user_ids,
            status__in=SIGNED_CONTRACT_STATUSES,
            signed_on__gte=first,
            signed_on__lt=after,
        )
        .values("owner_id")
        .annotate(total=Sum("amount"))
    )
    for row in revenue:
        out[row["owner_id"]]["revenue"] = row["total"]
    collected = (
        Collection.objects.filter(
            contract__owner_id__in=user_ids,
            reversed_at__isnull=True,
            collected_on__gte=first,
            collected_on__lt=after,
        )
        .values("contract__owner_id")
        .annotate(total=Sum("amount"))
    )
    for row in collected:
        out[row["contract__owner_id"]]["collections"] = row["total"]
    earlier = Opportunity.objects.filter(
        party=OuterRef("party"), state=OpportunityState.WON, closed_at__lt=start
    )
    won = (
        Opportunity.objects.filter(
            owner_id__in=user_ids,
            state=OpportunityState.WON,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .exclude(Exists(earlier))
        .values("owner_id")
        .annotate(n=Count("party", distinct=True))
    )
    for row in won:
        out[row["owner_id"]]["new_customers"] = row["n"]
    return out


def _people(viewer) -> list[User]:
    """Whose attainment the viewer sees: themselves (a rep); the reps of their subtree
    (a manager); every rep (an administrator)."""
    if viewer.role == Role.SALES_REP and not viewer.is_admin_role:
        return [viewer]
    qs = staff_in_scope(viewer).filter(kind=UserKind.STAFF, is_active=True)
    return list(qs.filter(Q(role=Role.SALES_REP) | Q(pk=viewer.pk)).select_related("org_unit"))


def attainment_board(*, viewer, month: datetime.date) -> dict:
    """The dashboard: department rows (those in scope with a target, and the viewer's
    own department) and rep rows, each with target, actual and attainment."""
    first = month_start(month)
    people = _people(viewer)
    if viewer.role == Role.SALES_REP and not viewer.is_admin_role:
        units: list[OrgUnit] = []
    else:
        with_target = SalesTarget.objects.filter(month=first, org_unit__isnull=False)
        units = list(
            org_units_in_scope(viewer).filter(
                Q(pk__in=with_target.values("org_unit")) | Q(pk=viewer.org_unit_id)
            )
        )
    wanted = Q(pk__in=[p.pk for p in people])
    for unit in units:
        wanted |= Q(org_unit__path__startswith=unit.path)
    members = User.objects.filter(wanted)
    paths = dict(members.values_list("pk", "org_unit__path"))
    done = actuals(user_ids=list(paths), month=first)
    targets = SalesTarget.objects.filter(month=first)
    by_user = {t.user_id: t for t in targets.filter(user_id__in=[p.pk for p in people])}
    by_unit = {t.org_unit_id: t for t in targets.filter(org_unit__in=units)}
    team_rows = []
    for unit in units:
        row = Row(label=unit.name, org_unit=unit, target=by_unit.get(unit.pk))
        for pk, path in paths.items():
            if path and path.startswith(unit.path):
                for metric in METRICS:
                    row.actual[metric] += done[pk][metric]
        team_rows.append(row)
    rep_rows = [
        Row(label=str(p), user=p, target=by_user.get(p.pk), actual=done[p.pk]) for p in people
    ]
    rep_rows.sort(key=lambda r: (r.target is None, r.label))
    return {"month": first, "teams": team_rows, "reps": rep_rows}
