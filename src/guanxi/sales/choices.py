"""Enumerations of sales: lead sources and states, how claims end, assignment strategies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LeadSource(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    IMPORT = "import", _("Import")
    CAMPAIGN = "campaign", _("Campaign")
    CALL_IN = "call_in", _("Call-in")
    IBO_REFERRAL = "ibo_referral", _("IBO referral")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("lead status", "New")
    CONTACTED = "contacted", pgettext_lazy("lead status", "Contacted")
    QUALIFIED = "qualified", pgettext_lazy("lead status", "Qualified")
    CONVERTED = "converted", pgettext_lazy("lead status", "Converted")
    DISQUALIFIED = "disqualified", pgettext_lazy("lead status", "Disqualified")


# A lead moving forward along this order is progress (it keeps a claim alive).
LEAD_PROGRESS = [LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED, LeadStatus.CONVERTED]
OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)


class ClaimEnd(models.TextChoices):
    RELEASED = "released", _("Released by the rep")
    NO_FOLLOW_UP = "no_follow_up", _("Returned: no follow-up in time")
    NO_PROGRESS = "no_progress", _("Returned: no progress in time")
    EXPIRED = "expired", _("Returned: protection period over")
    CONVERTED = "converted", _("Won: the customer stays with the rep")
    OWNER_CHANGED = "owner_changed", _("Owner changed by a manager")


RECYCLED = (ClaimEnd.NO_FOLLOW_UP, ClaimEnd.NO_PROGRESS, ClaimEnd.EXPIRED)


class AssignStrategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Fewest held first")


class OpportunityState(models.TextChoices):
    OPEN = "open", pgettext_lazy("opportunity", "Open")
    WON = "won", pgettext_lazy("opportunity", "Won")
    LOST = "lost", pgettext_lazy("opportunity", "Lost")


class ApprovalKind(models.TextChoices):
    DISCOUNT = "discount", _("Discount")
    QUOTE = "quote", _("Quote")
    CONTRACT = "contract", _("Contract")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("approval", "Pending")
    APPROVED = "approved", pgettext_lazy("approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("approval", "Rejected")


class TaskKind(models.TextChoices):
    CALL = "call", pgettext_lazy("task kind", "Call")
    VISIT = "visit", pgettext_lazy("task kind", "Visit")
    WECHAT = "wechat", pgettext_lazy("task kind", "WeChat")
    EMAIL = "email", pgettext_lazy("task kind", "Email")
    OTHER = "other", pgettext_lazy("task kind", "Other")


class TaskPriority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority", "Low")
    NORMAL = "normal", pgettext_lazy("priority", "Normal")
    HIGH = "high", pgettext_lazy("priority", "High")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task", "Open")
    DONE = "done", pgettext_lazy("task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")


class ReportKind(models.TextChoices):
    DAILY = "daily", _("Daily report")
    WEEKLY = "weekly", _("Weekly report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("work report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("work report", "Submitted")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract", "Draft")
    PENDING = "pending", pgettext_lazy("contract", "Pending approval")
    ACTIVE = "active", pgettext_lazy("contract", "Active")
    COMPLETED = "completed", pgettext_lazy("contract", "Completed")
    TERMINATED = "terminated", pgettext_lazy("contract", "Terminated")


# Signed contracts: what revenue targets count and what collections may be recorded on.
SIGNED_CONTRACT_STATUSES = (ContractStatus.ACTIVE, ContractStatus.COMPLETED)


class InstalmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("instalment", "Open")
    PART_PAID = "part_paid", pgettext_lazy("instalment", "Part paid")
    PAID = "paid", pgettext_lazy("instalment", "Paid")


class CollectionMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    WECHAT_PAY = "wechat_pay", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CHEQUE = "cheque", _("Cheque")
    ACCEPTANCE_BILL = "acceptance_bill", _("Bank acceptance bill")
    OTHER = "other", pgettext_lazy("collection method", "Other")


class QuoteState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("quote", "Draft")
    PENDING = "pending", pgettext_lazy("quote", "Pending approval")
    READY = "ready", pgettext_lazy("quote", "Ready to send")
    SENT = "sent", pgettext_lazy("quote", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("quote", "Accepted")
    DECLINED = "declined", pgettext_lazy("quote", "Declined")
    EXPIRED = "expired", pgettext_lazy("quote", "Expired")
    SUPERSEDED = "superseded", pgettext_lazy("quote", "Superseded")


# A quote is edited in place only in these states; a sent one is revised (a new version).
QUOTE_EDITABLE = (QuoteState.DRAFT, QuoteState.READY)
QUOTE_REVISABLE = (QuoteState.SENT, QuoteState.DECLINED, QuoteState.EXPIRED)


class QuoteEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("quote event", "Created")
    CHANGED = "changed", pgettext_lazy("quote event", "Changed")
    SUBMITTED = "submitted", pgettext_lazy("quote event", "Sent for approval")
    APPROVED = "approved", pgettext_lazy("quote event", "Approved")
    REJECTED = "rejected", pgettext_lazy("quote event", "Rejected")
    READY = "ready", pgettext_lazy("quote event", "Ready to send")
    SENT = "sent", pgettext_lazy("quote event", "Sent to the customer")
    ACCEPTED = "accepted", pgettext_lazy("quote event", "Accepted")
    DECLINED = "declined", pgettext_lazy("quote event", "Declined")
    EXPIRED = "expired", pgettext_lazy("quote event", "Expired")
    REVISED = "revised", pgettext_lazy("quote event", "Revised")
