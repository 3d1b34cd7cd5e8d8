"""Prices and money arithmetic: CNY, half-up to 0.01 (docs/decisions.md)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef

from guanxi.commerce.choices import PriceListKind
from guanxi.commerce.models import PriceListItem, Product
from guanxi.core.models import User
from guanxi.customers.choices import PartyRoleKind
from guanxi.customers.models import Party, PartyRole

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def price_list_for(customer) -> str:
    """The list a customer buys from unless staff choose: distributors buy at the
    distributor price, registered portal members at the member price, others retail."""
    distributor, member = (
        Party.objects.filter(pk=customer.pk)
        .annotate(
            is_distributor=Exists(
                PartyRole.objects.filter(party=OuterRef("pk"), role=PartyRoleKind.DISTRIBUTOR)
            ),
            is_member=Exists(User.objects.filter(party=OuterRef("pk"))),
        )
        .values_list("is_distributor", "is_member")
        .get()
    )
    if distributor:
        return PriceListKind.DISTRIBUTOR
    return PriceListKind.MEMBER if member else PriceListKind.RETAIL


def prices_for(products: list[Product], kind: str) -> dict[int, Decimal]:
    """product id → price on list `kind` (products missing from the list are absent)."""
    rows = PriceListItem.objects.filter(
        price_list__kind=kind, product__in=[p.pk for p in products]
    ).values_list("product_id", "price")
    return dict(rows)
