"""Logging interactions and closing follow-ups."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers.models import Interaction, Party
from guanxi.customers.services.guards import require

FIELDS = ["kind", "subject", "body", "outcome", "occurred_at", "follow_up_on"]
# Other apps that care when someone follows up a customer (the sales pool keeps claims
# alive by it) register a callable taking the saved interaction.
_after_log: list[Callable[[Interaction], None]] = []


def register_after_log(hook: Callable[[Interaction], None]) -> None:
    _after_log.append(hook)


@transaction.atomic
def interaction_log(
    *,
    actor,
    party: Party,
    kind: str,
    subject: str = "",
    body: str = "",
    outcome: str = "",
    occurred_at: datetime.datetime | None = None,
    follow_up_on: datetime.date | None = None,
) -> Interaction:
    """Log a contact with the party; it closes the actor's earlier open follow-ups on it."""
    require(actor, Action.LOG, party)
    now = timezone.now()
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)  # read in the business time zone
    interaction = Interaction(
        party=party,
        kind=kind,
        subject=subject.strip(),
        body=body.strip(),
        outcome=outcome,
        occurred_at=occurred_at or now,
        actor=actor,
        follow_up_on=follow_up_on,
    )
    interaction.full_clean(exclude=["party", "actor"])
    if interaction.occurred_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("An activity cannot be in the future.")})
    if follow_up_on and follow_up_on < timezone.localdate(interaction.occurred_at):
        raise ValidationError(
            {"follow_up_on": _("The next follow-up cannot be before the activity.")}
        )
    interaction.save()
    earlier = Interaction.objects.filter(
        party=party,
        actor=actor,
        follow_up_on__isnull=False,
        follow_up_done_at__isnull=True,
        occurred_at__lte=interaction.occurred_at,
    ).exclude(pk=interaction.pk)
    for done in earlier:
        _close_follow_up(actor=actor, interaction=done, at=now)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=interaction,
        subject=party,
        changes=diff({}, snapshot(interaction, FIELDS)),
    )
    for hook in _after_log:
        hook(interaction)
    return interaction


@transaction.atomic
def follow_up_done(*, actor, interaction: Interaction) -> Interaction:
    require(actor, Action.LOG, interaction.party)
    if interaction.follow_up_done_at is None:
        _close_follow_up(actor=actor, interaction=interaction, at=timezone.now())
    return interaction


def _close_follow_up(*, actor, interaction: Interaction, at) -> None:
    interaction.follow_up_done_at = at
    interaction.save(update_fields=["follow_up_done_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=interaction,
        subject=interaction.party,
        changes={"follow_up_done_at": [None, at.isoformat()]},
    )
