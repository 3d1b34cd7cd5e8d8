"""The counts the staff menu shows beside sales entries (core.menu names them)."""

from guanxi.sales.selectors import approval_inbox


def approvals_waiting(user) -> int:
    """Approvals waiting for the user's decision."""
    return approval_inbox(user=user).count()


def tasks_due(user) -> int:
    """The user's follow-up tasks overdue or due today."""
    from guanxi.sales.selectors_followup import due_by_tonight

    return due_by_tonight(user=user)
