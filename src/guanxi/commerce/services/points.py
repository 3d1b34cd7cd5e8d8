"""The loyalty points ledger (积分): earning, redemption (积分换产品), reversal, expiry.

Entries are append-only and signed; a party's balance is their sum. Every movement that
takes points away locks the party row first (SELECT … FOR UPDATE on PostgreSQL; SQLite
writes one transaction at a time), so concurrent redemptions never overdraw.
"""

import calendar
import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.choices import EarningRuleKind, PointsKind
from guanxi.commerce.models import EarningRule, Order, OrderLine, PointsEntry
from guanxi.customers.models import Party


def points_balance(party_id: int) -> int:
    return PointsEntry.objects.filter(party_id=party_id).aggregate(s=Sum("points"))["s"] or 0


def lock_party(party_id: int) -> Party:
    return Party.objects.select_for_update().get(pk=party_id)


def expiry_date(day: datetime.date, months: int | None = None) -> datetime.date:
    """The last day of the month `months` after `day` (points earned in May 2026 with
    24 months' validity expire after 31 May 2028)."""
    months = settings.POINTS_VALID_MONTHS if months is None else months
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def _entry(*, party_id, kind, points, source_ref, now, **extra) -> PointsEntry:
    return PointsEntry.objects.create(
        party_id=party_id,
        kind=kind,
        points=points,
        source_ref=source_ref,
        occurred_at=now,
        **extra,
    )


def _rules_on(day: datetime.date):
    return EarningRule.objects.filter(is_active=True).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
    )


def allocate(total: int, weights: list[Decimal]) -> list[int]:
    """Split `total` points over lines in proportion to `weights` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [Decimal(total) * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def points_earn_for_order(order: Order, *, now: datetime.datetime) -> int:
    """Credit the points a settled order earns by the active rules; returns the total."""
    if order.is_redemption:
        return 0
    lines = list(order.lines.all())
    day = timezone.localdate(now)
    earned = [0] * len(lines)
    bonuses = []
    for rule in _rules_on(day):
        if rule.kind == EarningRuleKind.PER_AMOUNT and rule.per_amount:
            total = int(order.subtotal // rule.per_amount) * rule.points
            shares = allocate(total, [ln.amount for ln in lines])
            earned = [a + b for a, b in zip(earned, shares, strict=True)]
        elif rule.kind == EarningRuleKind.PER_PRODUCT and rule.product_id:
            for i, line in enumerate(lines):
                if line.product_id == rule.product_id:
                    earned[i] += line.quantity * rule.points
        elif rule.kind == EarningRuleKind.CAMPAIGN_BONUS and rule.response_code:
            bonuses += [rule] if order.response_code == rule.response_code else []
    base = sum(earned)
    for rule in bonuses:
        shares = allocate(rule.points, [ln.amount for ln in lines])
        earned = [a + b for a, b in zip(earned, shares, strict=True)]
    changed = []
    for line, points in zip(lines, earned, strict=True):
        if points:
            line.points_earned = points
            changed.append(line)
    OrderLine.objects.bulk_update(changed, ["points_earned"])
    expires = expiry_date(day)
    if base:
        _entry(
            party_id=order.customer_id,
            kind=PointsKind.EARN,
            points=base,
            now=now,
            source_ref=f"earn:{order.number}",
            order=order,
            expires_on=expires,
        )
    for rule in bonuses:
        _entry(
            party_id=order.customer_id,
            kind=PointsKind.BONUS,
            points=rule.points,
            now=now,
            source_ref=f"bonus:{order.number}:{rule.pk}",
            order=order,
            rule=rule,
            expires_on=expires,
        )
    return sum(earned)


def points_take(
    *, party_id: int, points: int, kind: str, source_ref: str, now, clamp: bool = False, **extra
) -> tuple[int, int]:
    """Debit `points` (positive) from a party whose row the caller has locked. Refused if
    the balance is short, unless `clamp`: then take what is there. Returns (taken, short)."""
    balance = points_balance(party_id)
    taken = min(points, max(balance, 0)) if clamp else points
    if taken > balance:
        raise ValidationError(
            {"points": _("Not enough points: %(balance)d available.") % {"balance": balance}}
        )
    if taken:
        _entry(party_id=party_id, kind=kind, points=-taken, source_ref=source_ref, now=now, **extra)
    return taken, points - taken


@transaction.atomic
def points_adjust(*, actor, party: Party, points: int, note: str) -> PointsEntry:
    """A manual correction by staff with the fulfilment right (a goodwill credit, say)."""
    from guanxi.commerce.services.access import require_role
    from guanxi.core.visibility import Action, can

    require_role(actor, Action.FULFIL)
    if not can(actor, Action.VIEW, party):
        raise ValidationError({"party": _("Unknown customer.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the points are adjusted.")})
    if points == 0 or abs(points) > 10_000_000:
        raise ValidationError({"points": _("Enter a non-zero number of points.")})
    lock_party(party.pk)
    ref = f"adjust:{uuid.uuid4().hex}"
    now = timezone.now()
    if points < 0:
        points_take(
            party_id=party.pk,
            points=-points,
            kind=PointsKind.ADJUST,
            source_ref=ref,
            now=now,
            note=note.strip()[:300],
            actor=actor,
        )
        return PointsEntry.objects.get(source_ref=ref)
    return _entry(
        party_id=party.pk,
        kind=PointsKind.ADJUST,
        points=points,
        source_ref=ref,
        now=now,
        note=note.strip()[:300],
        actor=actor,
        expires_on=expiry_date(timezone.localdate(now)),
    )


def _expiring(party_id: int, today: datetime.date) -> int:
    """Points of lots past their expiry still unspent. A return takes its points back
    from its own order's lot; everything else spent (redemptions, earlier expiry,
    negative adjustments) comes out of the oldest lots first."""
    rows = PointsEntry.objects.filter(party_id=party_id)
    lots = rows.filter(points__gt=0, expires_on__lt=today)
    lot_total = lots.aggregate(s=Sum("points"))["s"] or 0
    taken_back = (
        rows.filter(
            kind=PointsKind.REVERSE,
            points__lt=0,
            order_id__in=lots.exclude(order=None).values("order_id"),
        ).aggregate(s=Sum("points"))["s"]
        or 0
    )
    spent = rows.filter(points__lt=0).exclude(kind=PointsKind.REVERSE).aggregate(s=Sum("points"))
    return lot_total + taken_back + (spent["s"] or 0)


def points_expire(*, today: datetime.date | None = None) -> int:
    """Expire, first in first out, the points whose validity ended before `today`. Every
    credit has an expiry, so spending in order of time is spending in order of expiry.
    Each party is its own transaction, so a killed run is rerun safely. Returns parties
    touched."""
    today = today or timezone.localdate()
    due_parties = (
        PointsEntry.objects.filter(points__gt=0, expires_on__lt=today)
        .values_list("party_id", flat=True)
        .distinct()
    )
    touched = 0
    for party_id in due_parties.iterator():
        with transaction.atomic():
            lock_party(party_id)
            due = _expiring(party_id, today)
            if due > 0:
                now = timezone.now()
                points_take(
                    party_id=party_id,
                    points=due,
                    kind=PointsKind.EXPIRE,
                    now=now,
                    source_ref=f"expire:{party_id}:{today.isoformat()}",
                    clamp=True,
                )
                touched += 1
    return touched
