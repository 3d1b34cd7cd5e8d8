"""Who may buy for whom: staff by visibility, consumers for themselves, IBOs for
themselves and for the customers they sell to."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from guanxi.commerce.choices import SalesChannel
from guanxi.core.choices import UserKind
from guanxi.core.visibility import Action, can, role_allows


def own_distributor(actor):
    """The distributor record of a distributor login, or None."""
    from guanxi.network.models import Distributor

    if actor.kind != UserKind.DISTRIBUTOR or not actor.party_id:
        return None
    return Distributor.objects.filter(party_id=actor.party_id).first()


def require_order_right(actor, customer, *, channel: str) -> None:
    """Raise PermissionDenied unless `actor` may place an order for `customer`."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("You do not have permission to do this."))
    if actor.kind == UserKind.STAFF:
        allowed = can(actor, Action.ORDER, customer)
    elif actor.kind == UserKind.DISTRIBUTOR:
        allowed = customer.pk == actor.party_id or (
            channel in (SalesChannel.IBO, SalesChannel.SUBSCRIPTION)
            and _is_ibo_customer(actor, customer)
        )
    else:
        allowed = customer.pk == actor.party_id and channel in (
            SalesChannel.PORTAL,
            SalesChannel.REDEMPTION,
            SalesChannel.SUBSCRIPTION,
        )
    if not allowed:
        raise PermissionDenied(_("You may not place orders for this customer."))


def _is_ibo_customer(actor, customer) -> bool:
    from guanxi.commerce.selectors import portal_customers

    return portal_customers(user=actor).filter(pk=customer.pk).exists()


def require_role(actor, action: Action) -> None:
    if not role_allows(actor, action) or actor.kind != UserKind.STAFF:
        raise PermissionDenied(_("You do not have permission to do this."))
