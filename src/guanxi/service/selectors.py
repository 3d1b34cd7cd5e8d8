"""Reads of the service centre; every list starts from visible_to()."""

from django.db.models import QuerySet

from guanxi.service.choices import RequestStatus
from guanxi.service.models import Question, ServiceRequest


def service_request_list(*, user, status: str = RequestStatus.OPEN) -> QuerySet:
    """Requests the user may see in one status ("" for all): open ones oldest first
    (the longest waiting on top), the others newest first."""
    qs = ServiceRequest.objects.visible_to(user).select_related("party", "order")
    if status:
        qs = qs.filter(status=status)
    if status == RequestStatus.OPEN:
        return qs.order_by("created_at", "id")
    return qs.order_by("-created_at", "-id")


def question_bank() -> QuerySet:
    """Every question, published or not, in the order customers see them."""
    return Question.objects.order_by("position", "id")
