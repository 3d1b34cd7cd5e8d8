"""The catalogue: products with their volume (PV/BV) and their prices per price list."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.commerce.models import PriceList, PriceListItem, Product
from guanxi.commerce.services.access import require_role
from guanxi.commerce.services.pricing import money
from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action

FIELDS = [
    "sku",
    "name",
    "category",
    "summary",
    "description",
    "pv",
    "bv",
    "warranty_months",
    "launch_date",
    "redemption_points",
    "is_active",
]


def _prices_snapshot(product: Product) -> dict[str, str]:
    rows = product.prices.values_list("price_list__kind", "price")
    return {f"price:{kind}": str(price) for kind, price in rows}


def _set_prices(product: Product, prices: dict[str, Decimal | None]) -> None:
    """Set a product's price on each list given; None takes it off that list."""
    lists = {pl.kind: pl for pl in PriceList.objects.filter(kind__in=list(prices))}
    unknown = sorted(set(prices) - set(lists))
    if unknown:
        raise ValidationError({"prices": _("Unknown price list.")})
    for kind, price in prices.items():
        if price is None:
            PriceListItem.objects.filter(price_list=lists[kind], product=product).delete()
            continue
        if money(price) < 0:
            raise ValidationError({"prices": _("A price cannot be negative.")})
        PriceListItem.objects.update_or_create(
            price_list=lists[kind], product=product, defaults={"price": money(price)}
        )


@transaction.atomic
def product_create(*, actor, prices: dict[str, Decimal | None] | None = None, **fields) -> Product:
    """Add a product to the catalogue (users with the catalogue right)."""
    require_role(actor, Action.CATALOGUE)
    product = Product(**{k: v for k, v in fields.items() if k in FIELDS})
    product.full_clean()
    product.save()
    _set_prices(product, prices or {})
    changes = {k: [None, v] for k, v in snapshot(product, FIELDS).items()}
    changes.update({k: [None, v] for k, v in _prices_snapshot(product).items()})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=product, changes=changes)
    return product


@transaction.atomic
def product_update(
    *, actor, product: Product, prices: dict[str, Decimal | None] | None = None, **fields
) -> Product:
    """Change a product's fields and prices; only what is given changes."""
    require_role(actor, Action.CATALOGUE)
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = {**snapshot(product, FIELDS), **_prices_snapshot(product)}
    for name, value in fields.items():
        if name in FIELDS:
            setattr(product, name, value)
    product.full_clean()
    product.save()
    _set_prices(product, prices or {})
    changes = diff(before, {**snapshot(product, FIELDS), **_prices_snapshot(product)})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=product, changes=changes)
    return product
