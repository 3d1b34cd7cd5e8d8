"""Quote arithmetic, without Django: list prices × quantities, per-line and overall
discounts, VAT out of tax-inclusive prices. Money is integer cents inside, so every
rounding is one explicit half-up step and the totals always add up:

* a line's total is its list amount less its own discount, rounded half-up to a cent;
* the overall discount is rounded once on the sum of line totals, then shared out over
  the lines in proportion (largest remainder), so Σ line amounts = the quote's total;
* prices are tax-inclusive (Chinese B2C list prices are): tax = total × r / (1 + r),
  rounded half-up, and net = total − tax, so net + tax = total exactly;
* the effective discount is measured from each line's reference price (the customer's
  own list price; the quoted list price when none is given), never below 0: quoting a
  retail customer from the distributor list counts as a discount.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineIn:
    unit_price: Decimal  # tax-inclusive, from the price list
    quantity: int
    discount_pct: Decimal = Decimal(0)
    reference_price: Decimal | None = None  # what the customer would pay undiscounted


@dataclass(frozen=True)
class LineOut:
    list_amount: Decimal  # unit price × quantity
    line_total: Decimal  # after the line's own discount
    amount: Decimal  # after its share of the overall discount; these sum to the total


@dataclass(frozen=True)
class Totals:
    lines: list[LineOut]
    list_total: Decimal  # before any discount
    subtotal: Decimal  # Σ line totals
    overall_discount: Decimal  # money taken off the subtotal
    total: Decimal  # what the customer pays, tax included
    tax: Decimal
    net: Decimal
    discount_pct: Decimal  # effective: (reference − total) / reference, 2 places, ≥ 0


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(cents: int) -> Decimal:
    return (Decimal(cents) / HUNDRED).quantize(Decimal("0.01"))


def _share(amount: int, weights: list[int]) -> list[int]:
    """`amount` cents split in proportion to `weights`, largest remainder first."""
    whole = sum(weights)
    if whole == 0 or amount == 0:
        return [0] * len(weights)
    exact = [amount * w for w in weights]
    shares = [e // whole for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] % whole), i))
    for i in order[: amount - sum(shares)]:
        shares[i] += 1
    return shares


def quote_totals(
    lines: list[LineIn], *, discount_pct: Decimal = Decimal(0), tax_rate: Decimal = Decimal(13)
) -> Totals:
    """The quote's figures; percentages as numbers of percent (13 means 13 %)."""
    list_cents = [_cents(ln.unit_price * HUNDRED * ln.quantity) for ln in lines]
    line_cents = [
        _cents(c * (HUNDRED - ln.discount_pct) / HUNDRED)
        for c, ln in zip(list_cents, lines, strict=True)
    ]
    subtotal = sum(line_cents)
    overall = _cents(subtotal * Decimal(discount_pct) / HUNDRED)
    shares = _share(overall, line_cents)
    total = subtotal - overall
    tax = _cents(total * Decimal(tax_rate) / (HUNDRED + Decimal(tax_rate)))
    list_total = sum(list_cents)
    reference = sum(
        _cents(
            HUNDRED
            * ln.quantity
            * (ln.unit_price if ln.reference_price is None else ln.reference_price)
        )
        for ln in lines
    )
    effective = Decimal("0.00")
    if reference > total:
        effective = (Decimal(reference - total) * HUNDRED / reference).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return Totals(
        lines=[
            LineOut(_money(lc), _money(t), _money(t - s))
            for lc, t, s in zip(list_cents, line_cents, shares, strict=True)
        ],
        list_total=_money(list_total),
        subtotal=_money(subtotal),
        overall_discount=_money(overall),
        total=_money(total),
        tax=_money(tax),
        net=_money(total - tax),
        discount_pct=effective,
    )
