from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanxi.core.visibility import VisibleQuerySet
from guanxi.sales.choices import QuoteEventKind, QuoteState

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


class QuoteSequence(models.Model):
    """The last quote number given out per prefix and year; its row is locked while a
    number is taken, so two quotes never get the same one."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["prefix", "year"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="quote_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last}"


class Quote(models.Model):
    """A priced offer to a customer (报价单), one version of it: a sent quote is not
    edited but revised into the next version, which keeps the number."""

    visibility_via = "party"

    number = models.CharField(_("quote number"), max_length=24)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("revision of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    party = models.ForeignKey(
        "customers.Party",
        verbose_name=pgettext_lazy("buyer", "Customer"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    opportunity = models.ForeignKey(
        "sales.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    price_list = models.ForeignKey(
        "commerce.PriceList", verbose_name=_("price list"), on_delete=models.PROTECT
    )
    state = models.CharField(
        _("state"), max_length=12, choices=QuoteState, default=QuoteState.DRAFT
    )
    discount_pct = models.DecimalField(_("overall discount (%)"), **PERCENT, default=0)
    tax_rate = models.DecimalField(_("VAT rate (%)"), **PERCENT, default=13)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("terms and notes"), blank=True)
    # Totals, kept by the services from the lines (sales/engine/quote_totals.py).
    list_total = models.DecimalField(_("at list prices"), **MONEY, default=0)
    subtotal = models.DecimalField(_("after line discounts"), **MONEY, default=0)
    overall_discount = models.DecimalField(_("overall discount"), **MONEY, default=0)
    total = models.DecimalField(_("total (tax included)"), **MONEY, default=0)
    tax = models.DecimalField(_("VAT"), **MONEY, default=0)
    net = models.DecimalField(_("net of VAT"), **MONEY, default=0)
    effective_discount_pct = models.DecimalField(
        _("effective discount (%)"), max_digits=6, decimal_places=2, default=0
    )
    approval_comment = models.CharField(_("approver's comment"), max_length=500, blank=True)
    decline_reason = models.CharField(_("reason declined"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("accepted / declined"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="quote_number_once")
        ]
        indexes = [
            models.Index(fields=["state", "valid_until"], name="quote_state_idx"),
            models.Index(fields=["owner", "state"], name="quote_owner_idx"),
        ]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number as printed: BJ2026-000123, then BJ2026-000123-V2 for a revision."""
        return self.number if self.version == 1 else f"{self.number}-V{self.version}"

    @property
    def is_expired(self) -> bool:
        """Past its validity date while still open, whether or not the hourly job has
        marked it yet (accepting checks the date itself)."""
        from django.utils import timezone

        if self.state == QuoteState.EXPIRED:
            return True
        open_ = self.state in (QuoteState.READY, QuoteState.SENT)
        return open_ and self.valid_until < timezone.localdate()


class QuoteLine(models.Model):
    """A product on a quote at the price snapshotted from the quote's price list."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    product = models.ForeignKey(
        "commerce.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    discount_pct = models.DecimalField(_("line discount (%)"), **PERCENT, default=0)
    list_amount = models.DecimalField(_("at list price"), **MONEY)
    line_total = models.DecimalField(_("line total"), **MONEY)
    amount = models.DecimalField(_("amount after overall discount"), **MONEY)

    class Meta:
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="quote_line_once")
        ]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class QuoteEvent(models.Model):
    """A milestone of a quote (created, sent, approved, accepted…) for the customer's
    timeline; the field-level detail is in the audit trail."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=QuoteEventKind)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("quote event")
        verbose_name_plural = _("quote events")

    def __str__(self) -> str:
        return f"{self.quote_id} {self.kind}"
