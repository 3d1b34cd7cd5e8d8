"""The 360 page's orders and points panel."""

from guanxi.commerce.models import Order, Subscription
from guanxi.commerce.services.points import points_balance
from guanxi.core.choices import UserKind
from guanxi.core.visibility import Action, can, role_allows
from guanxi.customers import panels


def orders_panel(party, user) -> dict | None:
    if user.kind != UserKind.STAFF:
        return None
    return {
        "party": party,
        "points": points_balance(party.pk),
        "orders": list(Order.objects.filter(customer=party).order_by("-placed_at", "-id")[:5]),
        "subscriptions": list(
            Subscription.objects.filter(
                customer=party, status__in=["active", "paused"]
            ).select_related("product")[:5]
        ),
        "may_order": role_allows(user, Action.ORDER) and can(user, Action.ORDER, party),
        "may_adjust": role_allows(user, Action.FULFIL),
    }


panels.register("orders", "commerce/_party_panel.html", orders_panel)
