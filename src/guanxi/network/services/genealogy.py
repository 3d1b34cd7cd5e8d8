"""Changing the sponsor tree, and the team statistics the genealogy pages read."""

import numpy as np
import polars as pl
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.bulk import copy_frame, db_datetime
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers.services.guards import require
from guanxi.network.choices import DistributorStatus
from guanxi.network.engine.plan import CENTS
from guanxi.network.engine.tree import subtree_sums
from guanxi.network.models import Distributor, TeamStat
from guanxi.network.periods import period_of
from guanxi.network.selectors import upline_ids
from guanxi.network.store import load_tree, load_volumes

TREE_LOCK = 0x4E4554  # advisory lock key for changes of the sponsor tree ("NET")


@transaction.atomic
def sponsor_change(*, actor, distributor: Distributor, sponsor: Distributor | None) -> Distributor:
    """Move a distributor (with their whole team) under another sponsor. Admins only."""
    require(actor, Action.SPONSOR)
    if connection.vendor == "postgresql":  # one tree change at a time: two crossing moves
        with connection.cursor() as cursor:  # could each pass the cycle check alone
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK])
    distributor = Distributor.objects.select_for_update().get(pk=distributor.pk)
    if sponsor is not None and (
        sponsor.pk == distributor.pk or distributor.pk in upline_ids(sponsor)
    ):
        raise ValidationError(
            {
                "sponsor": _("%(sponsor)s is in the team of %(member)s: that would be a cycle.")
                % {"sponsor": sponsor.member_id, "member": distributor.member_id}
            }
        )
    before = distributor.sponsor.member_id if distributor.sponsor_id else None
    distributor.sponsor = sponsor
    distributor.save(update_fields=["sponsor", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=distributor,
        subject=distributor.party,
        changes={"sponsor": [before, sponsor.member_id if sponsor else None]},
    )
    transaction.on_commit(queue_team_stats)
    return distributor


def queue_team_stats() -> None:
    """Rebuild the team statistics in the worker (after a change of the tree)."""
    from guanxi.network.tasks import team_stats_task

    team_stats_task.enqueue()


def team_stats_refresh(*, period: str | None = None) -> int:
    """Rebuild every distributor's team statistics; returns how many."""
    period = period or period_of(timezone.localdate())
    tree = load_tree()
    n = tree.ids.shape[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM network_distributor ORDER BY id")
        active = np.array(
            [row[0] == DistributorStatus.ACTIVE for row in cursor.fetchall()], dtype=np.int64
        )
    pv = load_volumes(tree, period=period, booked=None)[0]
    frame = pl.DataFrame(
        {
            "distributor_id": tree.ids,
            "depth": tree.levels.depth,
            "team_size": subtree_sums(tree.levels, np.ones(n, dtype=np.int64)),
            "team_active": subtree_sums(tree.levels, active),
            "team_pv": subtree_sums(tree.levels, pv) / CENTS,
            "personal_pv": pv / CENTS,
            "period": [period] * n,
            "computed_at": [str(db_datetime(timezone.now()))] * n,
        }
    )
    with transaction.atomic():
        TeamStat.objects.all().delete()
        copy_frame(TeamStat._meta.db_table, frame)
    return n
