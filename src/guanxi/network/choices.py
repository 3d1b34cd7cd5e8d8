"""Enumerations of the direct-selling network."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DistributorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    TERMINATED = "terminated", _("Terminated")


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
