"""What contracts plug into elsewhere (imported once by the app config): the approval
handler, the overdue-receivables reminder job, the 360 page's contracts panel, and the
contracts and collections on the customer's timeline."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core import periodic
from guanxi.core.choices import UserKind
from guanxi.customers import panels, timeline
from guanxi.sales.models import Collection, Contract
from guanxi.sales.services import contracts as _contracts  # noqa: F401  (approval handler)


def _receivable_reminders() -> int:
    from guanxi.sales.services.collections import receivable_reminders

    return receivable_reminders()


periodic.register("receivable_reminders", _receivable_reminders, every=datetime.timedelta(hours=6))


def contracts_panel(party, user) -> dict | None:
    """The customer's contracts, and their won deals still without one (two queries:
    the won deals come through visible_to(user, CHANGE), so no separate check)."""
    if user.kind != UserKind.STAFF:
        return None
    from guanxi.sales.selectors_contracts import won_without_contract

    rows = list(Contract.objects.filter(party=party).order_by("-created_at", "-id")[:5])
    won = won_without_contract(user=user, party=party)
    if not rows and not won:
        return None
    return {"party": party, "contracts": rows, "won": won}


panels.register("contracts", "sales/contract_party_panel.html", contracts_panel)


def contract_entries(party, user, before, limit):
    rows = Contract.objects.filter(party=party, activated_at__isnull=False)
    rows = rows.filter(
        timeline.older_than(before, time_field="activated_at", key_prefix="contract")
    )
    return [
        timeline.TimelineEntry(
            at=c.activated_at,
            key=timeline.entry_key("contract", c.pk),
            category="contract",
            title=_("Contract %(number)s signed: ¥%(amount)s")
            % {"number": c.number, "amount": c.amount},
            body=" · ".join(x for x in [c.title, str(c.signed_on or "")] if x),
            actor=str(c.owner),
            detail={"url": reverse("sales:contract", args=[c.pk])},
        )
        for c in rows.select_related("owner").order_by("-activated_at", "-id")[:limit]
    ]


def collection_entries(party, user, before, limit):
    rows = Collection.objects.filter(contract__party=party).select_related(
        "contract", "recorded_by"
    )
    rows = rows.filter(
        timeline.older_than(before, time_field="recorded_at", key_prefix="collection")
    )
    return [
        timeline.TimelineEntry(
            at=c.recorded_at,
            key=timeline.entry_key("collection", c.pk),
            category="collection",
            title=_("Collection ¥%(amount)s on contract %(number)s")
            % {"amount": c.amount, "number": c.contract.number},
            body=" · ".join(
                x
                for x in [
                    c.get_method_display(),
                    str(c.collected_on),
                    _("reversed: %(reason)s") % {"reason": c.reverse_reason}
                    if c.reversed_at
                    else "",
                ]
                if x
            ),
            actor=str(c.recorded_by),
            detail={"url": reverse("sales:contract", args=[c.contract_id])},
        )
        for c in rows.order_by("-recorded_at", "-id")[:limit]
    ]


timeline.register("contract", gettext_lazy("Contracts"), contract_entries)
timeline.register("collection", gettext_lazy("Collections"), collection_entries)
