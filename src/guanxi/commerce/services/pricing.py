"""Prices and money arithmetic: CNY, half-up to 0.01 (docs/decisions.md)."""

from decimal import ROUND_HALF_UP, Decimal

from guanxi.commerce.choices import PriceListKind
from guanxi.commerce.models import PriceListItem, Product
from guanxi.customers.choices import PartyRoleKind

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def price_list_for(customer) -> str:
    """The list a customer buys from unless staff choose: distributors buy at the
    distributor price, registered portal members at the member price, others retail."""
    roles = set(customer.roles.values_list("role", flat=True))
    if PartyRoleKind.DISTRIBUTOR in roles:
        return PriceListKind.DISTRIBUTOR
    if hasattr(customer, "portal_user") and customer.portal_user is not None:
        return PriceListKind.MEMBER
    return PriceListKind.RETAIL


def prices_for(products: list[Product], kind: str) -> dict[int, Decimal]:
    """product id → price on list `kind` (products missing from the list are absent)."""
    rows = PriceListItem.objects.filter(
        price_list__kind=kind, product__in=[p.pk for p in products]
    ).values_list("product_id", "price")
    return dict(rows)
