"""The review queue: possible duplicates and field conflicts waiting for a person."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.visibility import Action, can
from guanxi.customers.choices import ReviewStatus
from guanxi.customers.models import FieldConflict
from guanxi.customers.services.parties import party_update


@transaction.atomic
def conflict_resolve(*, actor, conflict: FieldConflict, take_incoming: bool) -> None:
    """Take the imported value (an audited edit) or keep the current one."""
    conflict = FieldConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ReviewStatus.OPEN:
        raise ValidationError(_("This conflict was resolved already."))
    if not can(actor, Action.CHANGE, conflict.party):
        raise PermissionDenied(_("You may not edit this customer."))
    if take_incoming:
        party_update(actor=actor, party=conflict.party, **{conflict.field: conflict.incoming_value})
    conflict.status = ReviewStatus.ACCEPTED if take_incoming else ReviewStatus.KEPT
    conflict.resolved_by, conflict.resolved_at = actor, timezone.now()
    conflict.save(update_fields=["status", "resolved_by", "resolved_at"])
