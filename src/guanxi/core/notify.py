"""Sending a notice to a customer by email or SMS, through the outbox.

`notify()` records an `OutboundMessage` (unique on `source_ref`, so a job rerun after a
kill sends nothing twice) and hands it to the channel's backend after commit: email
through Django's mail backend (EMAIL_BACKEND), SMS through GUANXI_SMS_BACKEND — a dotted
path to a callable ``send(recipient, body)``; the default only records the message, for
a company to plug in its SMS gateway (docs/configuration.md).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from guanxi.core.models import OutboundMessage

log = logging.getLogger(__name__)
EMAIL = "email"
SMS = "sms"


def record_only(recipient: str, body: str) -> None:
    """The default SMS backend: the outbox row is the whole delivery."""


def _deliver(message_id: int) -> None:
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        if message.channel == EMAIL:
            send_mail(message.subject, message.body, None, [message.recipient])
        else:
            import_string(settings.GUANXI_SMS_BACKEND)(message.recipient, message.body)
    except Exception as exc:  # a gateway failure is recorded, not raised into the job
        log.warning("sending %s failed: %s", message_id, exc)
        OutboundMessage.objects.filter(pk=message_id).update(error=str(exc)[:500])
        return
    OutboundMessage.objects.filter(pk=message_id).update(sent_at=timezone.now())


def notify(
    *,
    channel: str,
    recipient: str,
    body: str,
    purpose: str,
    source_ref: str,
    subject: str = "",
    party_id: int | None = None,
) -> OutboundMessage | None:
    """Queue one message; None when `source_ref` was already sent."""
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                channel=channel,
                party_id=party_id,
                recipient=recipient,
                subject=subject[:200],
                body=body,
                purpose=purpose,
                source_ref=source_ref,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _deliver(message.pk))
    return message
