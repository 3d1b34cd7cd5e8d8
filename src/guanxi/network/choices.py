"""Enumerations of the direct-selling network."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DistributorStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("distributor status", "Active")
    INACTIVE = "inactive", pgettext_lazy("distributor status", "Inactive")
    TERMINATED = "terminated", pgettext_lazy("distributor status", "Terminated")


class VolumeKind(models.TextChoices):
    SALE = "sale", _("Sale")
    RETURN = "return", _("Return")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RunStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    COMMITTED = "committed", _("Committed")


class ComplianceProfile(models.TextChoices):
    NONE = "", _("None")
    CN = "CN", _("Mainland China (直销管理条例)")
