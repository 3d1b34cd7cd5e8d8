from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.customers.choices import ImportOutcome, ImportStatus


class ImportBatch(models.Model):
    """One file imported into the customer database, from upload to result."""

    source_name = models.CharField(_("source"), max_length=200)
    cost = models.DecimalField(
        _("acquisition cost per new customer (CNY)"), max_digits=12, decimal_places=2, default=0
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    file_format = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus, default=ImportStatus.UPLOADED
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of new customers"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source_name})"


class ImportRecord(models.Model):
    """Which party an imported row became; makes an import idempotent.

    `external_key` is the row's external_id, or a hash of the row when it has none;
    (source_name, external_key) is unique, so a rerun of a file skips what it did.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    source_name = models.CharField(max_length=200)
    external_key = models.CharField(max_length=200)
    external_id = models.CharField(_("external ID"), max_length=200, blank=True)
    row_number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ImportOutcome)
    party = models.ForeignKey(
        "customers.Party",
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_records",
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "external_key"], name="import_record_unique"
            )
        ]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")

    def __str__(self) -> str:
        return f"{self.source_name}:{self.external_key}"
