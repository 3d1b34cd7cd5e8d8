"""The menu's count of approvals waiting for the logged-in staff member."""

from guanxi.core.choices import UserKind
from guanxi.sales.selectors import approval_inbox


def approvals(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.kind != UserKind.STAFF:
        return {}
    return {"nav_approvals": approval_inbox(user=user).count()}


def follow_ups(request) -> dict:
    """The menu's count of the user's follow-up tasks overdue or due today."""
    from guanxi.sales.selectors_followup import due_by_tonight

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.kind != UserKind.STAFF:
        return {}
    from guanxi.sales.kpis import is_manager

    return {"nav_tasks": due_by_tonight(user=user), "nav_team_day": is_manager(user)}
