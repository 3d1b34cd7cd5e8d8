"""What commerce adds to the customer's 360 timeline: order milestones and every
movement of loyalty points, each explained."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.commerce.models import OrderEvent, PointsEntry
from guanxi.customers import timeline


def order_entries(party, user, before, limit):
    rows = OrderEvent.objects.filter(customer=party).select_related("order", "actor")
    rows = rows.filter(timeline.older_than(before, time_field="at", key_prefix="order"))
    return [
        timeline.TimelineEntry(
            at=e.at,
            key=timeline.entry_key("order", e.pk),
            category="order",
            title=_("Order %(number)s: %(event)s")
            % {"number": e.order.number, "event": e.get_kind_display()},
            body=" · ".join(
                x
                for x in [
                    e.order.get_channel_display(),
                    f"¥{e.order.total}" if e.order.total else "",
                    e.note,
                ]
                if x
            ),
            actor=str(e.actor) if e.actor else "",
            detail={"url": reverse("commerce:order", args=[e.order_id])},
        )
        for e in rows.order_by("-at", "-id")[:limit]
    ]


def points_entries(party, user, before, limit):
    rows = PointsEntry.objects.filter(party=party).select_related("order")
    rows = rows.filter(timeline.older_than(before, time_field="occurred_at", key_prefix="points"))
    return [
        timeline.TimelineEntry(
            at=p.occurred_at,
            key=timeline.entry_key("points", p.pk),
            category="points",
            title=_("Points %(points)+d: %(kind)s")
            % {"points": p.points, "kind": p.get_kind_display()},
            body=" · ".join(x for x in [p.order.number if p.order else "", p.note] if x),
            detail={"expires_on": p.expires_on},
        )
        for p in rows.order_by("-occurred_at", "-id")[:limit]
    ]


timeline.register("order", gettext_lazy("Orders"), order_entries)
timeline.register("points", gettext_lazy("Points"), points_entries)
