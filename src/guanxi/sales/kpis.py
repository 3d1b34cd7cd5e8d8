"""Reads for follow-up discipline: a manager's day of their team (团队日视图), rep KPIs
over a period, and the facts a work report is pre-filled with.

Every count starts from `visible_to(viewer)` and is grouped by rep in the database, so
a team's page costs the same few queries for 3 reps or 300 (tests/sales count them).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from guanxi.core.choices import Role, UserKind
from guanxi.core.models import User
from guanxi.core.visibility import staff_in_scope
from guanxi.customers.choices import InteractionKind
from guanxi.customers.models import Interaction
from guanxi.sales.choices import LeadStatus, OpportunityState, ReportKind, TaskStatus
from guanxi.sales.kpi_math import coverage, previous_period, rate
from guanxi.sales.models import Claim, FollowUpTask, Lead, Opportunity, WorkReport

ACTIVITY_KEYS = ("calls", "visits", "claims", "converted", "disqualified", "won", "lost")


def is_manager(user) -> bool:
    return user.is_admin_role or (user.kind == UserKind.STAFF and user.role == Role.MANAGER)


def team_reps(*, viewer) -> QuerySet:
    """The sales staff a viewer looks at: a manager's or administrator's subtree (the
    visibility layer's staff_in_scope), otherwise only the viewer."""
    if not is_manager(viewer):
        return User.objects.filter(pk=viewer.pk)
    return (
        staff_in_scope(viewer)
        .filter(kind=UserKind.STAFF, is_active=True, role__in=[Role.SALES_REP, Role.MANAGER])
        .select_related("org_unit")
        .order_by("org_unit__path", "username")
    )


def day_span(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """[first instant of `start`, first instant after `end`) in the business time zone."""
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return since, until


def activity_counts(*, viewer, rep_ids: list[int], since, until) -> dict[int, dict]:
    """Per rep, in [since, until): calls and visits logged, claims taken, leads converted
    or disqualified on their customers, deals won (with the amount) and lost."""
    out: dict[int, dict] = defaultdict(lambda: dict.fromkeys(ACTIVITY_KEYS, 0) | {"revenue": 0})
    logged = (
        Interaction.objects.visible_to(viewer)
        .filter(actor__in=rep_ids, occurred_at__gte=since, occurred_at__lt=until)
        .filter(kind__in=[InteractionKind.CALL, InteractionKind.VISIT])
        .values("actor", "kind")
        .annotate(n=Count("id"))
    )
    for row in logged:
        out[row["actor"]]["calls" if row["kind"] == InteractionKind.CALL else "visits"] = row["n"]
    claims = (
        Claim.objects.visible_to(viewer)
        .filter(user__in=rep_ids, claimed_at__gte=since, claimed_at__lt=until)
        .values("user")
        .annotate(n=Count("id"))
    )
    for row in claims:
        out[row["user"]]["claims"] = row["n"]
    leads = (
        Lead.objects.visible_to(viewer)
        .filter(party__owner__in=rep_ids, status_changed_at__gte=since, status_changed_at__lt=until)
        .filter(status__in=[LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED])
        .values("party__owner", "status")
        .annotate(n=Count("id"))
    )
    for row in leads:
        key = "converted" if row["status"] == LeadStatus.CONVERTED else "disqualified"
        out[row["party__owner"]][key] = row["n"]
    closed = (
        Opportunity.objects.visible_to(viewer)
        .filter(owner__in=rep_ids, closed_at__gte=since, closed_at__lt=until)
        .exclude(state=OpportunityState.OPEN)
        .values("owner", "state")
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    for row in closed:
        out[row["owner"]][row["state"]] = row["n"]
        if row["state"] == OpportunityState.WON:
            out[row["owner"]]["revenue"] = row["amount"] or Decimal(0)
    return out


def task_counts(*, viewer, rep_ids: list[int], since, until, now) -> dict[int, dict]:
    """Per assignee: tasks due in the span, done in it, and overdue (open, due before the
    span's end or now, whichever is earlier)."""
    cutoff = min(now, until)
    rows = (
        FollowUpTask.objects.visible_to(viewer)
        .filter(assignee__in=rep_ids)
        .filter(
            Q(due_at__gte=since, due_at__lt=until)
            | Q(closed_at__gte=since, closed_at__lt=until)
            | Q(status=TaskStatus.OPEN, due_at__lt=cutoff)
        )
        .values("assignee")
        .annotate(
            due=Count("id", filter=Q(due_at__gte=since, due_at__lt=until)),
            done=Count(
                "id", filter=Q(status=TaskStatus.DONE, closed_at__gte=since, closed_at__lt=until)
            ),
            overdue=Count("id", filter=Q(status=TaskStatus.OPEN, due_at__lt=cutoff)),
        )
    )
    return {row["assignee"]: row for row in rows}


@dataclass
class DayRow:
    rep: User
    due: int = 0
    done: int = 0
    overdue: int = 0
    calls: int = 0
    visits: int = 0
    claims: int = 0
    converted: int = 0
    won: int = 0
    report: str = ""  # the daily report's status, "" when none was written


def team_day(*, viewer, day: datetime.date, now=None) -> list[DayRow]:
    """One row per rep of the viewer's team for `day`."""
    now = now or timezone.now()
    reps = list(team_reps(viewer=viewer))
    ids = [r.pk for r in reps]
    since, until = day_span(day, day)
    tasks = task_counts(viewer=viewer, rep_ids=ids, since=since, until=until, now=now)
    activity = activity_counts(viewer=viewer, rep_ids=ids, since=since, until=until)
    reports = dict(
        WorkReport.objects.visible_to(viewer)
        .filter(author__in=ids, kind=ReportKind.DAILY, period_start=day)
        .values_list("author", "status")
    )
    rows = []
    for rep in reps:
        t, a = tasks.get(rep.pk, {}), activity.get(rep.pk, {})
        rows.append(
            DayRow(
                rep=rep,
                due=t.get("due", 0),
                done=t.get("done", 0),
                overdue=t.get("overdue", 0),
                calls=a.get("calls", 0),
                visits=a.get("visits", 0),
                claims=a.get("claims", 0),
                converted=a.get("converted", 0),
                won=a.get("won", 0),
                report=reports.get(rep.pk, ""),
            )
        )
    return rows


def day_detail(*, viewer, rep: User, day: datetime.date, now=None) -> dict:
    """The drill-down of one rep's day: the records behind each count of the row."""
    now = now or timezone.now()
    since, until = day_span(day, day)
    tasks = FollowUpTask.objects.visible_to(viewer).filter(assignee=rep).select_related("party")
    return {
        "due": tasks.filter(due_at__gte=since, due_at__lt=until),
        "done": tasks.filter(status=TaskStatus.DONE, closed_at__gte=since, closed_at__lt=until),
        "overdue": tasks.filter(status=TaskStatus.OPEN, due_at__lt=min(now, until)),
        "activities": Interaction.objects.visible_to(viewer)
        .filter(actor=rep, occurred_at__gte=since, occurred_at__lt=until)
        .filter(kind__in=[InteractionKind.CALL, InteractionKind.VISIT])
        .select_related("party")
        .order_by("occurred_at"),
        "claims": Claim.objects.visible_to(viewer)
        .filter(user=rep, claimed_at__gte=since, claimed_at__lt=until)
        .select_related("party"),
        "converted": Lead.objects.visible_to(viewer)
        .filter(party__owner=rep, status=LeadStatus.CONVERTED)
        .filter(status_changed_at__gte=since, status_changed_at__lt=until)
        .select_related("party"),
    }


def period_facts(*, user, start: datetime.date, end: datetime.date) -> dict:
    """What a work report is pre-filled with: the author's own numbers of the period."""
    since, until = day_span(start, end)
    a = activity_counts(viewer=user, rep_ids=[user.pk], since=since, until=until)[user.pk]
    t = task_counts(
        viewer=user, rep_ids=[user.pk], since=since, until=until, now=timezone.now()
    ).get(user.pk, {})
    return {
        "calls": a["calls"],
        "visits": a["visits"],
        "claims": a["claims"],
        "converted": a["converted"],
        "won": a["won"],
        "revenue": str(a["revenue"]),
        "tasks_done": t.get("done", 0),
        "tasks_overdue": t.get("overdue", 0),
    }


@dataclass
class KpiRow:
    rep: User | None  # None: the team's total
    calls: int = 0
    visits: int = 0
    claims: int = 0
    converted: int = 0
    disqualified: int = 0
    won: int = 0
    lost: int = 0
    revenue: Decimal = Decimal(0)
    pipeline: Decimal = Decimal(0)
    base: Decimal = Decimal(0)
    extra: dict = field(default_factory=dict)

    @property
    def win_rate(self) -> Decimal | None:
        return rate(self.won, self.won + self.lost)

    @property
    def lead_rate(self) -> Decimal | None:
        return rate(self.converted, self.converted + self.disqualified)

    @property
    def coverage(self) -> Decimal | None:
        return coverage(self.pipeline, self.base)


def weighted_pipeline(*, viewer, rep_ids: list[int]) -> dict[int, Decimal]:
    """Open deals' amount × their stage's probability, per owner, as of now."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    rows = (
        Opportunity.objects.visible_to(viewer)
        .filter(owner__in=rep_ids, state=OpportunityState.OPEN)
        .values_list("owner", "amount", "stage__probability")
    )
    for owner, amount, probability in rows:
        out[owner] += amount * probability / 100
    return out


def coverage_bases(
    *, viewer, rep_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    """What each rep's pipeline must cover. Until sales targets exist this is the won
    revenue of the previous period of the same length; switching to targets means
    returning (target − won so far) here and nothing else."""
    before = previous_period(start, end)
    since, until = day_span(*before)
    rows = (
        Opportunity.objects.visible_to(viewer)
        .filter(owner__in=rep_ids, state=OpportunityState.WON)
        .filter(closed_at__gte=since, closed_at__lt=until)
        .values("owner")
        .annotate(amount=Sum("amount"))
    )
    return {row["owner"]: row["amount"] or Decimal(0) for row in rows}


def rep_kpis(*, viewer, start: datetime.date, end: datetime.date) -> tuple[list[KpiRow], KpiRow]:
    """Per rep of the viewer's team (only the viewer for a rep): the KPIs of [start, end]
    and the team's total."""
    reps = list(team_reps(viewer=viewer))
    ids = [r.pk for r in reps]
    since, until = day_span(start, end)
    activity = activity_counts(viewer=viewer, rep_ids=ids, since=since, until=until)
    pipeline = weighted_pipeline(viewer=viewer, rep_ids=ids)
    bases = coverage_bases(viewer=viewer, rep_ids=ids, start=start, end=end)
    rows, total = [], KpiRow(rep=None)
    for rep in reps:
        a = activity.get(rep.pk) or dict.fromkeys(ACTIVITY_KEYS, 0) | {"revenue": 0}
        row = KpiRow(
            rep=rep,
            **{k: a[k] for k in ACTIVITY_KEYS},
            revenue=Decimal(a["revenue"]),
            pipeline=pipeline.get(rep.pk, Decimal(0)),
            base=bases.get(rep.pk, Decimal(0)),
        )
        rows.append(row)
        for name in (*ACTIVITY_KEYS, "revenue", "pipeline", "base"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return rows, total
