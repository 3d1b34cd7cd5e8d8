"""The customers app's own contributions to the 360 timeline: interactions and consent."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.customers import timeline
from guanxi.customers.models import Consent, Interaction


def interaction_entries(party, user, before, limit):
    rows = Interaction.objects.filter(party=party).select_related("actor")
    rows = rows.filter(
        timeline.older_than(before, time_field="occurred_at", key_prefix="interaction")
    )
    return [
        timeline.TimelineEntry(
            at=i.occurred_at,
            key=timeline.entry_key("interaction", i.pk),
            category="interaction",
            title=" · ".join(x for x in [str(i.get_kind_display()), i.subject] if x),
            body=i.body,
            actor=str(i.actor) if i.actor else "",
            detail={
                "kind": i.kind,
                "outcome": i.get_outcome_display() if i.outcome else "",
                "follow_up_on": i.follow_up_on,
            },
        )
        for i in rows.order_by("-occurred_at", "-id")[:limit]
    ]


def consent_entries(party, user, before, limit):
    rows = Consent.objects.filter(party=party).select_related("recorded_by")
    rows = rows.filter(timeline.older_than(before, time_field="recorded_at", key_prefix="consent"))
    return [
        timeline.TimelineEntry(
            at=c.recorded_at,
            key=timeline.entry_key("consent", c.pk),
            category="consent",
            title=_("Marketing consent: %(channel)s %(status)s")
            % {"channel": c.get_channel_display(), "status": c.get_status_display()},
            body=c.note,
            actor=str(c.recorded_by) if c.recorded_by else "",
            detail={"method": c.get_method_display()},
        )
        for c in rows.order_by("-recorded_at", "-id")[:limit]
    ]


timeline.register("interaction", gettext_lazy("Activities"), interaction_entries)
timeline.register("consent", gettext_lazy("Consent"), consent_entries)
