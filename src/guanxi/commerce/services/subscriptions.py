"""Auto-reorder (自动复购): set up, pause, resume, skip, cancel, and the worker's run."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.choices import Fulfilment, SalesChannel, SubscriptionStatus
from guanxi.commerce.models import Order, Product, Subscription
from guanxi.commerce.services.access import own_distributor, require_order_right
from guanxi.commerce.services.orders import LineRequest, ShipTo, order_place
from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction, UserKind
from guanxi.customers.models import ContactPoint

log = logging.getLogger(__name__)
FIELDS = ["quantity", "every_weeks", "next_run_on", "status"]


def _channel_for(actor) -> str:
    return {UserKind.CONSUMER: SalesChannel.PORTAL, UserKind.DISTRIBUTOR: SalesChannel.IBO}.get(
        actor.kind, SalesChannel.CALL_CENTRE
    )


@transaction.atomic
def subscription_create(
    *,
    actor,
    customer,
    product: Product,
    quantity: int,
    every_weeks: int,
    first_on: datetime.date | None = None,
    fulfilment: str = Fulfilment.COURIER,
) -> Subscription:
    require_order_right(actor, customer, channel=_channel_for(actor))
    if not product.is_active:
        raise ValidationError({"product": _("This product is not on sale.")})
    # A member setting up their own must give an address first; staff and IBOs cannot
    # always, so a run without one pauses the auto-reorder and tells the customer.
    has_address = ContactPoint.objects.filter(party=customer, kind="address").exists()
    if fulfilment == Fulfilment.COURIER and not has_address and actor.party_id == customer.pk:
        raise ValidationError(
            {"fulfilment": _("Add a delivery address to the customer first (under Me).")}
        )
    today = timezone.localdate()
    first_on = first_on or today + datetime.timedelta(weeks=every_weeks)
    if first_on < today:
        raise ValidationError({"next_run_on": _("The first order cannot be in the past.")})
    seller = own_distributor(actor) if actor.kind == UserKind.DISTRIBUTOR else None
    subscription = Subscription(
        customer=customer,
        product=product,
        quantity=quantity,
        every_weeks=every_weeks,
        next_run_on=first_on,
        fulfilment=fulfilment,
        seller=seller if seller and seller.party_id != customer.pk else None,
        created_by=actor,
    )
    subscription.full_clean(exclude=["customer", "product", "seller", "created_by"])
    subscription.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=subscription,
        subject=customer,
        changes={k: [None, v] for k, v in snapshot(subscription, FIELDS).items()},
    )
    return subscription


def _require_manage(actor, subscription: Subscription) -> None:
    require_order_right(actor, subscription.customer, channel=_channel_for(actor))
    if actor.kind == UserKind.DISTRIBUTOR and subscription.customer_id != actor.party_id:
        distributor = own_distributor(actor)
        if distributor is None or subscription.seller_id != distributor.pk:
            raise PermissionDenied(_("You may not change this auto-reorder."))


@transaction.atomic
def subscription_change(*, actor, subscription: Subscription, action: str) -> Subscription:
    """pause, resume, skip (the next order), or cancel."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _require_manage(actor, subscription)
    before = snapshot(subscription, FIELDS)
    status = subscription.status
    if status == SubscriptionStatus.CANCELLED:
        raise ValidationError({"status": _("This auto-reorder is cancelled.")})
    today = timezone.localdate()
    if action == "pause" and status == SubscriptionStatus.ACTIVE:
        subscription.status = SubscriptionStatus.PAUSED
    elif action == "resume" and status == SubscriptionStatus.PAUSED:
        subscription.status = SubscriptionStatus.ACTIVE
        while subscription.next_run_on < today:
            subscription.next_run_on += datetime.timedelta(weeks=subscription.every_weeks)
    elif action == "skip" and status == SubscriptionStatus.ACTIVE:
        subscription.next_run_on += datetime.timedelta(weeks=subscription.every_weeks)
    elif action == "cancel":
        subscription.status = SubscriptionStatus.CANCELLED
    else:
        raise ValidationError({"status": _("That change is not possible now.")})
    subscription.save(update_fields=["status", "next_run_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=subscription,
        subject=subscription.customer,
        changes=diff(before, snapshot(subscription, FIELDS)),
    )
    return subscription


def _ship_to(customer) -> ShipTo:
    points = ContactPoint.objects.filter(party=customer).order_by("-is_primary", "id")
    mobile = points.filter(kind="mobile").first()
    address = points.filter(kind="address").first()
    return ShipTo(
        name=customer.name,
        phone=mobile.value if mobile else "",
        province=getattr(address, "province", "") if address else "",
        address=address.display_value if address else "",
    )


def subscriptions_run(*, today: datetime.date | None = None) -> int:
    """Place the orders of every active auto-reorder due by `today`; each in its own
    transaction and unique per (subscription, due date), so a rerun places none twice."""
    today = today or timezone.localdate()
    placed = 0
    due = Subscription.objects.filter(status=SubscriptionStatus.ACTIVE, next_run_on__lte=today)
    for sub_id in due.values_list("pk", flat=True).iterator():
        try:
            placed += _run_one(sub_id, today)
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            log.warning("auto-reorder %s not placed: %s", sub_id, exc)
            _pause_failed(sub_id, exc)
    return placed


def _pause_failed(sub_id: int, exc: Exception) -> None:
    """An auto-reorder that cannot be placed (no address, product gone, no price) is
    paused and the customer told, instead of failing every hour unseen."""
    from guanxi.commerce.services.notices import tell_customer

    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=sub_id)
        if sub.status != SubscriptionStatus.ACTIVE:
            return
        sub.status = SubscriptionStatus.PAUSED
        sub.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=sub,
            subject=sub.customer,
            changes={
                "status": [SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED],
                "reason": " ".join(getattr(exc, "messages", [str(exc)]))[:300],
            },
        )
        tell_customer(
            party_id=sub.customer_id,
            source_ref=f"reorder-paused:{sub.pk}:{sub.next_run_on}",
            subject_text=_("Your auto-reorder is paused"),
            body_text=_(
                "We could not place your auto-reorder of %(product)s. It is paused; "
                "check your delivery address and resume it under Me."
            )
            % {"product": sub.product.name},
        )


@transaction.atomic
def _run_one(sub_id: int, today: datetime.date) -> int:
    sub = (
        Subscription.objects.select_for_update()
        .select_related("customer", "product")
        .get(pk=sub_id)
    )
    if sub.status != SubscriptionStatus.ACTIVE or sub.next_run_on > today:
        return 0
    placed = 0
    if not Order.objects.filter(subscription=sub, subscription_run_on=sub.next_run_on).exists():
        system = _system_actor(sub)
        order_place(
            actor=system,
            customer=sub.customer,
            channel=SalesChannel.SUBSCRIPTION,
            lines=[LineRequest(sub.product_id, sub.quantity)],
            fulfilment=sub.fulfilment,
            ship_to=_ship_to(sub.customer) if sub.fulfilment == Fulfilment.COURIER else ShipTo(),
            seller=sub.seller,
            subscription=sub,
            subscription_run_on=sub.next_run_on,
        )
        placed = 1
    while sub.next_run_on <= today:
        sub.next_run_on += datetime.timedelta(weeks=sub.every_weeks)
    sub.save(update_fields=["next_run_on", "updated_at"])
    return placed


def _system_actor(sub: Subscription):
    """The worker orders as the customer's own login if there is one, else as the
    subscription's creator (staff who set it up)."""
    portal = getattr(sub.customer, "portal_user", None)
    return portal if portal is not None else sub.created_by
