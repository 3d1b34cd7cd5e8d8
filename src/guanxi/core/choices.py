"""Enumerations of the platform: roles, user kinds, audit actions, job states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    SALES_REP = "sales_rep", _("Sales rep")
    SERVICE_AGENT = "service_agent", _("Service agent")
    MARKETER = "marketer", _("Marketer")
    ANALYST = "analyst", _("Analyst")


class UserKind(models.TextChoices):
    """Staff log into the back office; consumers and distributors into the member centre."""

    STAFF = "staff", _("Staff")
    CONSUMER = "consumer", _("Consumer")
    DISTRIBUTOR = "distributor", _("Distributor")


PORTAL_KINDS = (UserKind.CONSUMER, UserKind.DISTRIBUTOR)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    SHARE = "share", _("Shared")
    UNSHARE = "unshare", _("Share revoked")
    TRANSFER = "transfer", _("Ownership transferred")
    IMPORT = "import", _("Imported")
    MERGE = "merge", _("Merged")
    UNMERGE = "unmerge", _("Merge undone")
    CLAIM = "claim", _("Claimed from the pool")
    RELEASE = "release", _("Released to the pool")
    RECYCLE = "recycle", _("Returned to the pool")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
