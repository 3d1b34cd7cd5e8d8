"""Reads of the portal: only ever the logged-in person's own data."""

from django.db.models import QuerySet, Sum

from guanxi.commerce.models import PointsEntry, Product, Subscription
from guanxi.commerce.selectors import portal_orders
from guanxi.commerce.services.pricing import price_list_for, prices_for


def my_orders(user) -> QuerySet:
    """Their own orders, and for an IBO also those they placed for customers."""
    return portal_orders(user=user).select_related("customer").order_by("-placed_at", "-id")


def my_points(user) -> tuple[int, QuerySet]:
    rows = PointsEntry.objects.filter(party_id=user.party_id).select_related("order")
    return rows.aggregate(s=Sum("points"))["s"] or 0, rows.order_by("-occurred_at", "-id")


def my_subscriptions(user) -> QuerySet:
    return (
        Subscription.objects.filter(customer_id=user.party_id)
        .exclude(status="cancelled")
        .select_related("product")
    )


def shop_products(user, *, category: int | None = None) -> list[Product]:
    """Products on sale, each with `.price` on the visitor's own price list."""
    products = list(Product.objects.filter(is_active=True).select_related("category"))
    if category:
        products = [p for p in products if p.category_id == category]
    kind = price_list_for(user.party) if getattr(user, "party_id", None) else "retail"
    prices = prices_for(products, kind)
    for product in products:
        product.price = prices.get(product.pk)
    return [p for p in products if p.price is not None]
