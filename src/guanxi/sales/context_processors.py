"""The menu's count of approvals waiting for the logged-in staff member."""

from guanxi.core.choices import UserKind
from guanxi.sales.selectors import approval_inbox


def approvals(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.kind != UserKind.STAFF:
        return {}
    return {"nav_approvals": approval_inbox(user=user).count()}
