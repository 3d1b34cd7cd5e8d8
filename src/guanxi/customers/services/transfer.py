"""Bulk ownership transfer (转移), e.g. when a rep leaves: the customers stay with the company."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_bulk
from guanxi.core.choices import AuditAction, UserKind
from guanxi.core.context import current_origin
from guanxi.core.models import AuditEvent
from guanxi.core.visibility import Action, role_allows, staff_in_scope
from guanxi.customers.models import Party

BATCH = 1000


def transfer_validate(actor, from_user, to_user) -> None:
    """Raise unless `actor` may move `from_user`'s customers to `to_user`."""
    if not role_allows(actor, Action.TRANSFER):
        raise PermissionDenied(_("Only administrators and managers can transfer customers."))
    if to_user.kind != UserKind.STAFF or not to_user.is_active:
        raise ValidationError({"to_user": _("Choose an active staff member.")})
    if to_user.pk == from_user.pk:
        raise ValidationError({"to_user": _("Choose a different person.")})
    in_scope = set(
        staff_in_scope(actor).filter(pk__in=[from_user.pk, to_user.pk]).values_list("pk", flat=True)
    )
    for user, field in ((from_user, "from_user"), (to_user, "to_user")):
        if user.pk not in in_scope:
            raise ValidationError({field: _("This person is outside your department.")})


def parties_transfer(
    *,
    actor,
    from_user,
    to_user,
    party_ids: list[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Move every party (or the given ones) owned by `from_user` to `to_user`.

    Works in committed batches, so a job killed midway can simply be run again: the
    parties already moved no longer belong to `from_user` and are skipped.
    """
    transfer_validate(actor, from_user, to_user)
    base = Party.objects.visible_to(actor, Action.TRANSFER).filter(owner=from_user)
    if party_ids is not None:
        base = base.filter(pk__in=party_ids)
    total = base.count()
    done = 0
    origin = current_origin()
    while True:
        with transaction.atomic():
            # Lock the batch so a concurrent transfer cannot move the same rows and the
            # trail records only moves that happened.
            batch = list(base.select_for_update().order_by("pk").values_list("pk", "name")[:BATCH])
            if not batch:
                break
            ids = [pk for pk, _name in batch]
            Party.objects.filter(pk__in=ids).update(owner=to_user)
            audit_bulk(
                [
                    AuditEvent(
                        actor=actor,
                        actor_repr=str(actor),
                        request_id=origin.request_id,
                        ip_address=origin.ip_address,
                        action=AuditAction.TRANSFER,
                        object_type="customers.party",
                        object_id=str(pk),
                        object_repr=name[:200],
                        subject_type="customers.party",
                        subject_id=str(pk),
                        changes={
                            "owner": [from_user.pk, to_user.pk],
                            "owner_name": [str(from_user), str(to_user)],
                        },
                    )
                    for pk, name in batch
                ]
            )
        done += len(batch)
        if progress:
            progress(done, total)
    return done
