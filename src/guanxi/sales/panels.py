"""The 360 page's sales panel: the claim on the customer, their leads and deals."""

from guanxi.core.choices import UserKind
from guanxi.core.visibility import Action, can
from guanxi.customers import panels
from guanxi.sales.models import Claim, Lead, Opportunity


def sales_panel(party, user) -> dict | None:
    if user.kind != UserKind.STAFF:
        return None
    return {
        "party": party,
        "claim": Claim.objects.filter(party=party, ended_at__isnull=True)
        .select_related("user")
        .first(),
        "leads": list(Lead.objects.filter(party=party).order_by("-created_at")[:3]),
        "deals": list(
            Opportunity.objects.filter(party=party)
            .select_related("stage")
            .order_by("-created_at")[:5]
        ),
        "may_change": can(user, Action.CHANGE, party),
    }


panels.register("sales", "sales/_party_panel.html", sales_panel)
