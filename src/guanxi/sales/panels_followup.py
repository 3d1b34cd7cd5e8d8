"""The 360 page's follow-up panel: the customer's open tasks and a form to plan one."""

from guanxi.core.choices import UserKind
from guanxi.core.visibility import Action, can
from guanxi.customers import panels
from guanxi.sales.choices import TaskStatus
from guanxi.sales.forms_followup import TaskForm
from guanxi.sales.models import FollowUpTask


def followup_panel(party, user) -> dict | None:
    from guanxi.sales.views_followup import assignees_for

    if user.kind != UserKind.STAFF:
        return None
    return {
        "party": party,
        "tasks": list(
            FollowUpTask.objects.visible_to(user)
            .filter(party=party, status=TaskStatus.OPEN)
            .select_related("assignee")[:10]
        ),
        "may_plan": can(user, Action.LOG, party),
        "form": TaskForm(assignees=assignees_for(user)),
    }


panels.register("followup", "sales/followup_panel.html", followup_panel)
