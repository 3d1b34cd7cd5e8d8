"""Marketing consent: every decision is a new row; the latest per channel is in force."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers.choices import Channel, ConsentMethod, ConsentStatus
from guanxi.customers.models import Consent, Party
from guanxi.customers.services.guards import require


@transaction.atomic
def consent_record(
    *,
    actor,
    party: Party,
    channel: str,
    status: str,
    method: str,
    note: str = "",
    recorded_at=None,
) -> Consent:
    require(actor, Action.LOG, party)
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if status not in ConsentStatus.values:
        errors["status"] = _("Choose granted or withdrawn.")
    if method not in ConsentMethod.values:
        errors["method"] = _("Say how the consent was given or withdrawn.")
    if errors:
        raise ValidationError(errors)
    previous = Consent.objects.filter(party=party, channel=channel).first()
    consent = Consent.objects.create(
        party=party,
        channel=channel,
        status=status,
        method=method,
        note=note[:300],
        recorded_at=recorded_at or timezone.now(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=consent,
        subject=party,
        changes={
            f"consent.{channel}": [previous.status if previous else None, status],
            "method": [None, method],
        },
    )
    return consent


def consents_in_force(party: Party) -> dict[str, Consent]:
    """The latest decision per channel."""
    latest: dict[str, Consent] = {}
    for consent in party.consents.all():  # newest first by Meta.ordering
        latest.setdefault(consent.channel, consent)
    return latest
