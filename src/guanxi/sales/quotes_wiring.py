"""What quotes plug into: the approval handler (imported with quote_flow), the 360
page's quotes panel and timeline entries, and the daily expiry job."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.core import periodic
from guanxi.core.choices import UserKind
from guanxi.core.visibility import Action, can
from guanxi.customers import panels, timeline
from guanxi.sales.choices import OpportunityState
from guanxi.sales.models import Opportunity, Quote, QuoteEvent
from guanxi.sales.services import quote_flow


def quote_entries(party, user, before, limit):
    if user.kind != UserKind.STAFF:  # quotes are internal to the company's staff
        return []
    rows = QuoteEvent.objects.filter(quote__party=party).select_related("quote", "actor")
    rows = rows.filter(timeline.older_than(before, time_field="at", key_prefix="quote"))
    return [
        timeline.TimelineEntry(
            at=e.at,
            key=timeline.entry_key("quote", e.pk),
            category="quote",
            title=_("Quote %(number)s: %(event)s")
            % {"number": e.quote.reference, "event": e.get_kind_display()},
            body=" · ".join(x for x in [f"¥{e.quote.total}", e.note] if x),
            actor=str(e.actor) if e.actor else "",
            detail={"url": reverse("sales:quote", args=[e.quote_id])},
        )
        for e in rows.order_by("-at", "-id")[:limit]
    ]


def quotes_panel(party, user) -> dict | None:
    if user.kind != UserKind.STAFF:
        return None
    return {
        "party": party,
        "quotes": list(Quote.objects.filter(party=party).order_by("-created_at", "-id")[:5]),
        "deals": list(Opportunity.objects.filter(party=party, state=OpportunityState.OPEN)[:5]),
        "may_change": can(user, Action.CHANGE, party),
    }


def _expire() -> int:
    return quote_flow.quotes_expire()


timeline.register("quote", gettext_lazy("Quotes"), quote_entries)
panels.register("quotes", "sales/quote_party_panel.html", quotes_panel)
periodic.register("quotes_expire", _expire, every=datetime.timedelta(hours=1))
