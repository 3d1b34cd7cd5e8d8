"""Enumerations of the service centre: request channels and states, question categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestChannel(models.TextChoices):
    """How a service request reached the company."""

    PORTAL = "portal", _("Customer portal")
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class QuestionCategory(models.TextChoices):
    """Sections of the question bank (标准问题库)."""

    ORDERING = "ordering", _("Ordering")
    DELIVERY = "delivery", _("Delivery")
    RETURNS = "returns", _("Returns and refunds")
    POINTS = "points", _("Loyalty points")
    MEMBERSHIP = "membership", _("Membership")
    DISTRIBUTORS = "distributors", _("Distributors")
    INVOICES = "invoices", _("Invoices")
    PRODUCTS = "products", _("Products")
    OTHER = "other", _("Other")
