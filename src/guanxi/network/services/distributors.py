"""Enrolling a customer as a distributor, and keeping their record (audited)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers.choices import PartyRoleKind
from guanxi.customers.models import Party, PartyRole
from guanxi.customers.services.guards import require
from guanxi.network.models import ATTESTATIONS, Distributor
from guanxi.network.services.genealogy import queue_team_stats

EDITABLE = ["status", "certificate_no", "service_region", *(n for n, _label in ATTESTATIONS)]


@transaction.atomic
def distributor_enrol(
    *,
    actor,
    party: Party,
    member_id: str,
    sponsor: Distributor | None,
    join_date: datetime.date,
    **fields,
) -> Distributor:
    """Make a customer a distributor (the role, a member number, a sponsor)."""
    require(actor, Action.CHANGE, party)
    member_id = member_id.strip()
    if Distributor.objects.filter(party=party).exists():
        raise ValidationError({"party": _("This customer is a distributor already.")})
    if Distributor.objects.filter(member_id=member_id).exists():
        raise ValidationError({"member_id": _("This member number is taken.")})
    distributor = Distributor(
        party=party, member_id=member_id, sponsor=sponsor, join_date=join_date, **fields
    )
    _attested(distributor, None)
    distributor.full_clean(exclude=["party", "sponsor"])
    try:
        with transaction.atomic():
            distributor.save()
    except IntegrityError as exc:  # the same number taken at the same moment
        raise ValidationError({"member_id": _("This member number is taken.")}) from exc
    PartyRole.objects.get_or_create(party=party, role=PartyRoleKind.DISTRIBUTOR)
    transaction.on_commit(queue_team_stats)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=distributor,
        subject=party,
        changes=diff({}, snapshot(distributor, ["member_id", "sponsor", "join_date", *EDITABLE])),
    )
    return distributor


@transaction.atomic
def distributor_update(*, actor, distributor: Distributor, **changes) -> Distributor:
    """Change status, certificate, region or attestations; the sponsor has its own service."""
    require(actor, Action.CHANGE, distributor.party)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %(f)s") % {"f": unknown})
    distributor = Distributor.objects.select_for_update().get(pk=distributor.pk)
    before = snapshot(distributor, EDITABLE)
    for name, value in changes.items():
        setattr(distributor, name, value)
    if changes.get("status", distributor.status) != before["status"]:
        distributor.status_changed_at = timezone.localdate()
    _attested(distributor, before)
    distributor.full_clean(exclude=["party", "sponsor"])
    distributor.save()
    changed = diff(before, snapshot(distributor, EDITABLE))
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=distributor,
            subject=distributor.party,
            changes=changed,
        )
    return distributor


def _attested(distributor: Distributor, before: dict | None) -> None:
    """Note when the attestations were given (or given again)."""
    now_all = all(getattr(distributor, name) for name, _label in ATTESTATIONS)
    was_all = before is not None and all(before[name] for name, _label in ATTESTATIONS)
    if now_all and not was_all:
        distributor.attested_at = timezone.now()
    elif not now_all:
        distributor.attested_at = None
