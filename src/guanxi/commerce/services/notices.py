"""Notices to customers through the outbox: payment reminders (催帐) for overdue
orders, and new-product announcements to the subscribers who consented."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from guanxi.commerce.choices import OrderEventKind, OrderStatus
from guanxi.commerce.models import Order, ProductAnnouncement, ProductNewsSubscription
from guanxi.commerce.services.access import require_role
from guanxi.commerce.services.events import order_event
from guanxi.core.notify import EMAIL, SMS, notify
from guanxi.core.visibility import Action
from guanxi.customers.choices import Channel, ConsentStatus, ContactKind
from guanxi.customers.models import Consent, ContactPoint

CONTACT_KIND = {EMAIL: ContactKind.EMAIL, SMS: ContactKind.MOBILE}


def _recipient(party_id: int, channel: str) -> str:
    point = (
        ContactPoint.objects.filter(party_id=party_id, kind=CONTACT_KIND[channel])
        .order_by("-is_primary", "id")
        .first()
    )
    return point.value if point else ""


def payment_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind customers of unpaid orders past their due date, by SMS or else email, at
    most GUANXI_PAYMENT_REMINDERS_MAX times and every GUANXI_PAYMENT_REMINDER_EVERY_DAYS."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    quiet_since = now - datetime.timedelta(days=settings.PAYMENT_REMINDER_EVERY_DAYS)
    due = Order.objects.filter(
        status=OrderStatus.RECEIVED,
        payment_due_on__lt=today,
        reminders_sent__lt=settings.PAYMENT_REMINDERS_MAX,
    ).filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=quiet_since))
    sent = 0
    for order_id in due.values_list("pk", flat=True).iterator():
        sent += _remind(order_id, now)
    return sent


@transaction.atomic
def _remind(order_id: int, now) -> int:
    order = Order.objects.select_for_update().get(pk=order_id)
    quiet_since = now - datetime.timedelta(days=settings.PAYMENT_REMINDER_EVERY_DAYS)
    still_due = (
        order.status == OrderStatus.RECEIVED
        and order.reminders_sent < settings.PAYMENT_REMINDERS_MAX
        and (order.last_reminded_at is None or order.last_reminded_at <= quiet_since)
    )
    if not still_due:  # another run reminded it meanwhile
        return 0
    number = order.reminders_sent + 1
    with override(settings.LANGUAGE_CODE):
        body = _(
            "Order %(number)s: %(due)s CNY is still unpaid (due %(day)s). "
            "Please pay or call us if you no longer want it."
        ) % {"number": order.number, "due": order.balance_due, "day": order.payment_due_on}
        subject = _("Payment reminder for order %(number)s") % {"number": order.number}
    for channel in (SMS, EMAIL):
        recipient = _recipient(order.customer_id, channel)
        if recipient:
            notify(
                channel=channel,
                recipient=recipient,
                body=body,
                subject=subject,
                purpose="payment_reminder",
                party_id=order.customer_id,
                source_ref=f"remind:{order.pk}:{number}",
            )
            break
    Order.objects.filter(pk=order.pk).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
    )
    order_event(order, OrderEventKind.REMINDED, at=now, note=f"#{number}")
    return 1


def announcement_create(*, actor, product, title: str, body: str) -> ProductAnnouncement:
    require_role(actor, Action.CATALOGUE)
    return ProductAnnouncement.objects.create(
        product=product, title=title.strip()[:200], body=body.strip(), created_by=actor
    )


def _consented(party_ids: list[int], channel: str) -> set[int]:
    """Parties whose latest consent on `channel` is granted (PIPL: news is marketing)."""
    latest = {}
    for party_id, status in (
        Consent.objects.filter(party_id__in=party_ids, channel=channel)
        .order_by("party_id", "recorded_at", "id")
        .values_list("party_id", "status")
    ):
        latest[party_id] = status
    return {p for p, s in latest.items() if s == ConsentStatus.GRANTED}


def announcement_send(*, announcement_id: int) -> int:
    """Send one announcement to every subscriber on each channel they chose and consented
    to; rerunnable (one outbox row per announcement, party and channel)."""
    announcement = ProductAnnouncement.objects.get(pk=announcement_id)
    sent = 0
    for channel, consent_channel in ((SMS, Channel.SMS), (EMAIL, Channel.EMAIL)):
        party_ids = list(
            ProductNewsSubscription.objects.filter(
                channel=consent_channel, subscribed=True
            ).values_list("party_id", flat=True)
        )
        for start in range(0, len(party_ids), 1000):
            chunk = party_ids[start : start + 1000]
            for party_id in sorted(_consented(chunk, consent_channel)):
                recipient = _recipient(party_id, channel)
                if recipient and notify(
                    channel=channel,
                    recipient=recipient,
                    subject=announcement.title,
                    body=f"{announcement.title}\n{announcement.body}",
                    purpose="product_news",
                    party_id=party_id,
                    source_ref=f"news:{announcement.pk}:{party_id}:{channel}",
                ):
                    sent += 1
    ProductAnnouncement.objects.filter(pk=announcement.pk).update(
        sent_at=timezone.now(), recipients=F("recipients") + sent
    )
    return sent


def tell_customer(*, party_id: int, source_ref: str, subject_text: str, body_text: str) -> bool:
    """A service message to a customer: SMS to their mobile, else email. False if the
    customer has neither."""
    for channel in (SMS, EMAIL):
        recipient = _recipient(party_id, channel)
        if recipient:
            notify(
                channel=channel,
                recipient=recipient,
                body=body_text,
                subject=subject_text,
                purpose="service_notice",
                party_id=party_id,
                source_ref=source_ref,
            )
            return True
    return False
