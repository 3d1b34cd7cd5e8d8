"""Commission runs on the database: preview a period, then commit it (结算), for good.

A run computes every distributor from the ledger entries booked in its period. Entries
that arrived after an earlier period was closed are booked here too: the run pays what
they change in that period's payout as adjustment lines, and the closed period stays
exactly as it was committed.
"""

import time
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.bulk import insert_rows
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers.services.guards import require
from guanxi.network.choices import PeriodStatus, RunStatus
from guanxi.network.engine.errors import InputError
from guanxi.network.engine.files import period_bounds
from guanxi.network.engine.payout import compute
from guanxi.network.engine.plan import CENTS
from guanxi.network.models import (
    CommissionAdjustment,
    CommissionPeriod,
    CommissionRun,
    PlanVersion,
    VolumeEntry,
)
from guanxi.network.services.plans import plan_parse
from guanxi.network.store import (
    Tree,
    distributors_with_volume,
    load_tree,
    load_volumes,
    save_results,
    tree_of_run,
)


def _check_period(period: str) -> None:
    try:
        period_bounds(period)
    except InputError as exc:
        raise ValidationError({"period": exc.translated(_)}) from exc


def commission_run(*, actor, plan_version: PlanVersion, period: str) -> CommissionRun:
    """A preview run of `period` with `plan_version`, its results stored."""
    if actor is not None:
        require(actor, Action.COMMISSIONS)
    _check_period(period)
    # The period's row exists, committed, before anything locks it: postings lock it FOR
    # SHARE and a commit FOR UPDATE, so no entry can be booked into a period as it closes.
    CommissionPeriod.objects.get_or_create(period=period)
    return _run(actor, plan_version, period)


@transaction.atomic
def _run(actor, plan_version: PlanVersion, period: str) -> CommissionRun:
    started = time.perf_counter()
    row = CommissionPeriod.objects.select_for_update().get(period=period)
    if row.status == PeriodStatus.CLOSED:
        raise ValidationError({"period": _("Period %(period)s is closed.") % {"period": period}})
    plan = plan_parse(plan_version.source)
    seen = VolumeEntry.objects.filter(booked_period=period).count()
    tree = load_tree()
    pv, bv, amount = load_volumes(tree, period=period, booked=[period])
    payout = compute(plan, tree.parent, pv, bv, amount, tree=tree.levels)
    adjustment, lines = _adjustments(tree, period)
    number = (row.runs.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    run = CommissionRun.objects.create(
        period=row,
        number=number,
        plan_version=plan_version,
        members=tree.ids.shape[0],
        paid_members=int(np.count_nonzero(payout.total + adjustment)),
        bv=Decimal(int(bv.sum())) / CENTS,
        payout=Decimal(int(payout.total.sum() + adjustment.sum())) / CENTS,
        adjustments=Decimal(int(adjustment.sum())) / CENTS,
        entries_seen=seen,
        profile=plan_version.plan.profile,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    save_results(run.pk, tree, payout, adjustment)
    insert_rows(
        CommissionAdjustment._meta.db_table,
        ["run_id", "distributor_id", "for_period", "amount"],
        [(run.pk, d, p, Decimal(a) / CENTS) for d, p, a in lines],
    )
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["seconds"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=run,
        changes={"plan_version": [None, plan_version.pk], "payout": [None, str(run.payout)]},
    )
    return run


def _adjustments(tree: Tree, period: str) -> tuple[np.ndarray, list[tuple[int, str, int]]]:
    """Per distributor, what entries of closed periods booked into `period` change in
    those periods' payouts: each recomputed with its committed plan and on the tree it
    paid on, with and without them."""
    n = tree.ids.shape[0]
    total = np.zeros(n, dtype=np.int64)
    lines = []
    late = (
        VolumeEntry.objects.filter(booked_period=period)
        .exclude(period=period)
        .values_list("period", flat=True)
        .distinct()
    )
    for closed in sorted(late):
        committed = CommissionRun.objects.filter(
            period__period=closed, status=RunStatus.COMMITTED
        ).first()
        if committed is None:  # a period closed by hand without a run pays no adjustment
            continue
        plan = plan_parse(committed.plan_version.source)
        earlier = list(
            VolumeEntry.objects.filter(period=closed, booked_period__lt=period)
            .values_list("booked_period", flat=True)
            .distinct()
        )
        now = [*earlier, period]
        then = tree_of_run(committed.pk, distributors_with_volume(period=closed, booked=now))
        before = compute(
            plan, then.parent, *load_volumes(then, period=closed, booked=earlier), tree=then.levels
        )
        after = compute(
            plan, then.parent, *load_volumes(then, period=closed, booked=now), tree=then.levels
        )
        change = after.total - before.total
        moved = np.flatnonzero(change)
        total[tree.index_of(then.ids[moved])] += change[moved]
        lines.extend((int(then.ids[i]), closed, int(change[i])) for i in moved)
    return total, lines


@transaction.atomic
def commission_commit(*, actor, run: CommissionRun) -> CommissionRun:
    """Commit a preview run: its period closes and can never be run or changed again."""
    if actor is not None:
        require(actor, Action.COMMISSIONS)
    row = CommissionPeriod.objects.select_for_update().get(pk=run.period_id)
    run.refresh_from_db()
    if row.status == PeriodStatus.CLOSED:
        raise ValidationError(_("Period %(period)s is closed already.") % {"period": row.period})
    if run.status != RunStatus.PREVIEW:
        raise ValidationError(_("Only a preview run can be committed."))
    if VolumeEntry.objects.filter(booked_period=row.period).count() != run.entries_seen:
        raise ValidationError(
            _("New volume was posted to %(period)s after this run; run the period again.")
            % {"period": row.period}
        )
    from guanxi.network.compliance import cap_violations

    violations = cap_violations(run)
    if violations:
        raise ValidationError(violations)
    now = timezone.now()
    run.status = RunStatus.COMMITTED
    run.committed_at = now
    run.save(update_fields=["status", "committed_at"])
    row.status = PeriodStatus.CLOSED
    row.closed_at = now
    row.save(update_fields=["status", "closed_at"])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO network_rankachievement (distributor_id, period, rate, run_id) "
            "SELECT distributor_id, %s, rate, run_id FROM network_commissionresult "
            "WHERE run_id = %s AND rate > 0",
            [row.period, run.pk],
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=run,
        changes={"status": [RunStatus.PREVIEW, RunStatus.COMMITTED]},
    )
    transaction.on_commit(lambda: _queue_health(row.period))
    return run


def _queue_health(period: str) -> None:
    """The health report of the closed month (ranks and activity) is computed again."""
    from guanxi.network.tasks import health_report_task

    health_report_task.enqueue(period=period)


def rate_label(rate: Decimal) -> str:
    """A stair-step rate as people say it: 0.2100 → 21%."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"
