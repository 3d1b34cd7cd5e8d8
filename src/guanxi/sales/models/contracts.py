from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.sales.choices import CollectionMethod, ContractStatus, InstalmentStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


def private_storage():
    """Contract files: outside MEDIA_ROOT, never linked publicly; a view checks who reads."""
    return storages["private"]


class Contract(models.Model):
    """A contract (合同) signed with a customer, from a won deal (later also a quote): its
    amount is what the receivables plan must add up to."""

    visibility_via = "party"

    number = models.CharField(_("number"), max_length=30, unique=True)
    party = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    opportunity = models.ForeignKey(
        "sales.Opportunity",
        verbose_name=_("deal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(
        _("amount (CNY)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY", editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus, default=ContractStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    collected = models.DecimalField(_("collected (CNY)"), **MONEY, default=0)
    end_reason = models.CharField(_("reason for termination"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(collected__gte=0) & Q(collected__lte=models.F("amount")),
                name="contract_collected_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "signed_on"], name="contract_owner_idx"),
            models.Index(fields=["status", "signed_on"], name="contract_signed_idx"),
        ]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def outstanding(self):
        return self.amount - self.collected


class Instalment(models.Model):
    """One due payment of a contract's receivables plan (回款计划); `paid` is what the
    reconciliation allocated to it from the contract's collections."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    paid = models.DecimalField(_("paid (CNY)"), **MONEY, default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "position"], name="instalment_position_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(paid__gte=0) & Q(paid__lte=models.F("amount")),
                name="instalment_paid_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="instalment_due_idx")]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")

    def __str__(self) -> str:
        return f"{self.contract_id}#{self.position}"

    @property
    def outstanding(self):
        return self.amount - self.paid

    @property
    def status(self) -> str:
        if self.paid >= self.amount:
            return InstalmentStatus.PAID
        return InstalmentStatus.PART_PAID if self.paid > 0 else InstalmentStatus.OPEN

    def get_status_display(self) -> str:
        return InstalmentStatus(self.status).label


class Collection(models.Model):
    """Money received against a contract (回款). Never deleted: a mistake is reversed
    with a reason, and the plan is reconciled again."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="collections")
    collected_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    method = models.CharField(_("method"), max_length=20, choices=CollectionMethod)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverse_reason = models.CharField(_("reason for reversal"), max_length=300, blank=True)

    class Meta:
        ordering = ["-collected_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="collection_positive")
        ]
        indexes = [
            models.Index(fields=["collected_on"], name="collection_day_idx"),
        ]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return f"{self.contract_id} ¥{self.amount} {self.collected_on}"


class ContractAttachment(models.Model):
    """A file kept with a contract (the signed scan, an annex); read through a view
    that checks the contract's visibility, never through a public URL."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="contracts/%Y/%m/", storage=private_storage)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["contract", "-uploaded_at", "-id"]
        verbose_name = _("contract attachment")
        verbose_name_plural = _("contract attachments")

    def __str__(self) -> str:
        return self.name
