"""What the page shell needs on every page: the staff menu for the user's role."""

from guanxi.core.choices import UserKind
from guanxi.core.menu import lazy_menu, may_see_network_health
from guanxi.core.visibility import Action, role_allows


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"base_template": "core/base.html"}
    if user.kind != UserKind.STAFF:
        # Consumers and distributors see pages they share with staff (statements, the
        # distributor's back office) inside the portal's own shell.
        return {"base_template": "portal/base.html"}
    return {
        "base_template": "core/base.html",
        "nav_groups": lazy_menu(request),
        # The network home page offers these as buttons too.
        "nav_runs": role_allows(user, Action.COMMISSIONS),
        "nav_health": may_see_network_health(user),
    }
