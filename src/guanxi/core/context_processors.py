"""What the page shell needs on every page: which menu entries the user's role opens."""

from guanxi.core.visibility import Action, role_allows


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_import": role_allows(user, Action.IMPORT),
        # Reps see the field conflicts of their own customers there; managers merge.
        "nav_review": role_allows(user, Action.MERGE) or role_allows(user, Action.CHANGE),
    }
