"""What the page shell needs on every page: which menu entries the user's role opens."""

from guanxi.core.choices import Role, UserKind
from guanxi.core.visibility import Action, role_allows

HEALTH_ROLES = (Role.ADMIN, Role.MANAGER, Role.ANALYST)


def may_see_network_health(user) -> bool:
    """The network health page is for managers, administrators and analysts."""
    return user.kind == UserKind.STAFF and (user.is_superuser or user.role in HEALTH_ROLES)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"base_template": "core/base.html"}
    if user.kind != UserKind.STAFF:
        # Consumers and distributors see pages they share with staff (statements, the
        # distributor's back office) inside the portal's own shell.
        return {"base_template": "portal/base.html"}
    staff = user.kind == UserKind.STAFF
    return {
        "base_template": "core/base.html",
        "nav_network": staff,
        "nav_runs": role_allows(user, Action.COMMISSIONS),
        "nav_health": may_see_network_health(user),
        "nav_import": role_allows(user, Action.IMPORT),
        "nav_orders": staff,
        "nav_pool": staff and role_allows(user, Action.CLAIM),
        "nav_leads": staff,
        "nav_fulfilment": staff and role_allows(user, Action.FULFIL),
        "nav_service": staff,
        # Reps see the field conflicts of their own customers there; managers merge.
        "nav_review": role_allows(user, Action.MERGE) or role_allows(user, Action.CHANGE),
    }
