"""What the service centre adds to the customer's 360 timeline: each service request,
with its answer once there is one."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanxi.customers import timeline
from guanxi.service.models import ServiceRequest


def _body(r: ServiceRequest) -> str:
    if not r.answer:
        return r.body
    return f"{r.body}\n\n{_('Answer')}: {r.answer}"


def service_request_entries(party, user, before, limit):
    rows = ServiceRequest.objects.filter(party=party).select_related("created_by")
    rows = rows.filter(timeline.older_than(before, time_field="created_at", key_prefix="service"))
    return [
        timeline.TimelineEntry(
            at=r.created_at,
            key=timeline.entry_key("service", r.pk),
            category="service",
            title=_("Service request (%(status)s): %(subject)s")
            % {"status": r.get_status_display(), "subject": r.subject},
            body=_body(r),
            actor=str(r.created_by) if r.created_by else "",
            detail={
                "method": r.get_channel_display(),
                "url": reverse("service:request", args=[r.pk]),
            },
        )
        for r in rows.order_by("-created_at", "-id")[:limit]
    ]


timeline.register("service", gettext_lazy("Service requests"), service_request_entries)
