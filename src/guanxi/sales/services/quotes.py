"""Quotes (报价单): made for a customer, usually from a deal, priced from a price list
of the catalogue (prices snapshotted on the lines), edited while a draft, then through
approval (a discount over the policy's threshold) to sent, accepted or declined.

The arithmetic is sales/engine/quote_totals.py; the state changes after the draft are in
services/quote_flow.py.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.commerce.models import PriceList, Product
from guanxi.commerce.services.pricing import price_list_for, prices_for
from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action, can
from guanxi.sales.choices import QUOTE_EDITABLE, OpportunityState, QuoteEventKind, QuoteState
from guanxi.sales.engine.quote_totals import LineIn, Totals, quote_totals
from guanxi.sales.models import Opportunity, Quote, QuoteEvent, QuoteLine, QuoteSequence

SUBJECT = "sales.quote"
MAX_LINES = 200
MAX_QUANTITY = 1_000_000
MAX_AMOUNT = Decimal("1000000000000")  # the money columns hold 12 digits before the point
TOTAL_FIELDS = [
    "list_total",
    "subtotal",
    "overall_discount",
    "total",
    "tax",
    "net",
    "effective_discount_pct",
]


@dataclass(frozen=True)
class QuoteLineRequest:
    product_id: int
    quantity: int
    discount_pct: Decimal = Decimal(0)


def require_quote_right(actor, party) -> None:
    if not can(actor, Action.CHANGE, party):
        raise PermissionDenied(_("You may not work on quotes of this customer."))


def quote_event(quote: Quote, kind: str, *, actor, at, note: str = "") -> QuoteEvent:
    return QuoteEvent.objects.create(
        quote=quote,
        kind=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note[:500],
    )


def default_valid_until(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now) + datetime.timedelta(days=settings.QUOTE_VALID_DAYS)


def quote_number(*, now: datetime.datetime) -> str:
    """The next number of the year, e.g. BJ2026-000123. The sequence row stays locked
    until the caller's transaction ends, so concurrent quotes queue for it."""
    prefix, year = settings.QUOTE_NUMBER_PREFIX, timezone.localtime(now).year
    QuoteSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = QuoteSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}{year}-{sequence.last:06d}"


def _percent(value, field: str) -> Decimal:
    try:
        percent = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a percentage from 0 to 100.")}) from None
    if not 0 <= percent <= 100:
        raise ValidationError({field: _("Enter a percentage from 0 to 100.")})
    return percent


def _check_lines(lines: list[QuoteLineRequest], price_list: PriceList) -> dict[int, Product]:
    """The products of `lines`, each active and priced on the list; field messages name
    the line (1-based) so a form can show them beside it."""
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    wanted = {ln.product_id for ln in lines}
    products = Product.objects.in_bulk(wanted)
    prices = prices_for(list(products.values()), price_list.kind)
    problems = []
    for i, ln in enumerate(lines, start=1):
        product = products.get(ln.product_id)
        if product is None or not product.is_active:
            problems.append(_("Line %(n)d: choose a product on sale.") % {"n": i})
        elif ln.product_id not in prices:
            problems.append(
                _("Line %(n)d: %(name)s has no price on %(list)s.")
                % {"n": i, "name": product.name, "list": price_list.name}
            )
        if not 1 <= ln.quantity <= MAX_QUANTITY:
            problems.append(_("Line %(n)d: the quantity is a whole number from 1.") % {"n": i})
        try:
            _percent(ln.discount_pct, "lines")
        except ValidationError:
            problems.append(_("Line %(n)d: a discount is from 0 to 100 %%.") % {"n": i})
    if problems:
        raise ValidationError({"lines": problems})
    for product in products.values():
        product.list_price = prices[product.pk]
    return products


def quote_figures(
    *,
    party,
    price_list: PriceList,
    lines: list[QuoteLineRequest],
    prices: dict[int, Decimal],
    discount_pct: Decimal,
    tax_rate: Decimal,
) -> Totals:
    """The totals of `lines` at `prices` (product id → price on `price_list`). The
    effective discount is measured from the customer's own price list, so quoting from a
    cheaper list than theirs counts as a discount."""
    own = price_list_for(party)
    entitled = {} if own == price_list.kind else prices_for([Product(pk=pk) for pk in prices], own)
    return quote_totals(
        [
            LineIn(
                prices[ln.product_id],
                ln.quantity,
                Decimal(ln.discount_pct),
                reference_price=entitled.get(ln.product_id),
            )
            for ln in lines
        ],
        discount_pct=discount_pct,
        tax_rate=tax_rate,
    )


def _write_lines(quote: Quote, lines: list[QuoteLineRequest], products: dict) -> None:
    """Replace the quote's lines (prices snapshotted now) and recompute its totals."""
    totals = quote_figures(
        party=quote.party,
        price_list=quote.price_list,
        lines=lines,
        prices={pk: p.list_price for pk, p in products.items()},
        discount_pct=quote.discount_pct,
        tax_rate=quote.tax_rate,
    )
    if totals.list_total >= MAX_AMOUNT or any(o.list_amount >= MAX_AMOUNT for o in totals.lines):
        raise ValidationError({"lines": _("These amounts are too large for one quote.")})
    quote.lines.all().delete()
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            position=i,
            product=products[ln.product_id],
            sku=products[ln.product_id].sku,
            name=products[ln.product_id].name,
            unit_price=products[ln.product_id].list_price,
            quantity=ln.quantity,
            discount_pct=Decimal(ln.discount_pct).quantize(Decimal("0.01")),
            list_amount=out.list_amount,
            line_total=out.line_total,
            amount=out.amount,
        )
        for i, (ln, out) in enumerate(zip(lines, totals.lines, strict=True))
    )
    quote.list_total, quote.subtotal = totals.list_total, totals.subtotal
    quote.overall_discount, quote.total = totals.overall_discount, totals.total
    quote.tax, quote.net = totals.tax, totals.net
    quote.effective_discount_pct = totals.discount_pct


def _check_header(*, valid_until, now, opportunity, party) -> None:
    if valid_until < timezone.localdate(now):
        raise ValidationError({"valid_until": _("The validity date cannot be in the past.")})
    if opportunity is not None and opportunity.party_id != party.pk:
        raise ValidationError({"opportunity": _("This deal is with another customer.")})


@transaction.atomic
def quote_create(
    *,
    actor,
    party,
    opportunity: Opportunity | None = None,
    price_list: PriceList | None = None,
    lines: list[QuoteLineRequest] = (),
    discount_pct: Decimal = Decimal(0),
    tax_rate: Decimal | None = None,
    valid_until: datetime.date | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Quote:
    """A draft quote; without a price list, the customer's own (distributor, member or
    retail), as for orders."""
    require_quote_right(actor, party)
    now = now or timezone.now()
    if price_list is None:
        price_list = PriceList.objects.filter(kind=price_list_for(party)).first()
        if price_list is None:
            raise ValidationError({"price_list": _("Choose a price list.")})
    valid_until = valid_until or default_valid_until(now)
    _check_header(valid_until=valid_until, now=now, opportunity=opportunity, party=party)
    lines = list(lines)
    products = _check_lines(lines, price_list)
    quote = Quote(
        number="-",
        party=party,
        opportunity=opportunity,
        owner=actor,
        price_list=price_list,
        discount_pct=_percent(discount_pct, "discount_pct"),
        tax_rate=_percent(settings.QUOTE_TAX_RATE if tax_rate is None else tax_rate, "tax_rate"),
        valid_until=valid_until,
        note=note.strip()[:5000],
        created_at=now,
        updated_at=now,
    )
    quote.full_clean(exclude=["number"])
    quote.number = quote_number(now=now)
    quote.save()
    _write_lines(quote, lines, products)
    quote.save(update_fields=TOTAL_FIELDS)
    quote_event(quote, QuoteEventKind.CREATED, actor=actor, at=now)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=quote,
        subject=party,
        changes={"quote": [None, quote.reference], "total": [None, str(quote.total)]},
    )
    return quote


def locked_quote(quote: Quote, *, actor, states) -> Quote:
    """The quote's row, locked for a change: visible to the actor, in one of `states`,
    and with no approval pending."""
    from guanxi.sales.services.approvals import require_unlocked

    quote = Quote.objects.select_for_update().select_related("party").get(pk=quote.pk)
    require_quote_right(actor, quote.party)
    require_unlocked(SUBJECT, quote.pk)
    if quote.state not in states:
        raise ValidationError(
            {
                "state": _("Not possible while the quote is %(state)s.")
                % {"state": quote.get_state_display()}
            }
        )
    return quote


@transaction.atomic
def quote_update(
    *,
    actor,
    quote: Quote,
    lines: list[QuoteLineRequest],
    price_list: PriceList | None = None,
    discount_pct: Decimal | None = None,
    tax_rate: Decimal | None = None,
    valid_until: datetime.date | None = None,
    note: str | None = None,
    now: datetime.datetime | None = None,
) -> Quote:
    """Change a draft (or a quote ready to send, which goes back to draft: its approval
    covered other figures). The lines are replaced and re-priced from the price list."""
    quote = locked_quote(quote, actor=actor, states=QUOTE_EDITABLE)
    now = now or timezone.now()
    fields = ["price_list", "discount_pct", "tax_rate", "valid_until", "note", "state", "total"]
    before = snapshot(quote, fields)
    before["lines"] = _line_summary(quote)
    if price_list is not None:
        quote.price_list = price_list
    if discount_pct is not None:
        quote.discount_pct = _percent(discount_pct, "discount_pct")
    if tax_rate is not None:
        quote.tax_rate = _percent(tax_rate, "tax_rate")
    if valid_until is not None:
        _check_header(valid_until=valid_until, now=now, opportunity=None, party=quote.party)
        quote.valid_until = valid_until
    if note is not None:
        quote.note = note.strip()[:5000]
    lines = list(lines)
    products = _check_lines(lines, quote.price_list)
    _write_lines(quote, lines, products)
    quote.state, quote.updated_at = QuoteState.DRAFT, now
    quote.full_clean()
    quote.save()
    after = snapshot(quote, fields)
    after["lines"] = _line_summary(quote)
    changes = diff(before, after)
    if changes:
        quote_event(quote, QuoteEventKind.CHANGED, actor=actor, at=now)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=quote,
            subject=quote.party,
            changes=changes,
        )
    return quote


def _line_summary(quote: Quote) -> list[str]:
    return [
        f"{ln.sku}×{ln.quantity}@{ln.unit_price}-{ln.discount_pct}%"
        for ln in quote.lines.order_by("position")
    ]


def quote_opportunity_options(*, party, user) -> list[Opportunity]:
    """Open deals of the customer a quote may belong to."""
    return list(
        Opportunity.objects.visible_to(user, Action.CHANGE).filter(
            party=party, state=OpportunityState.OPEN
        )
    )
