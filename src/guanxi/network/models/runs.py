from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.network.choices import ComplianceProfile, PeriodStatus, RunStatus

MONEY = {"max_digits": 16, "decimal_places": 2, "default": 0}


class CompensationPlan(models.Model):
    """A named compensation plan (奖金制度); its rules live in versions."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    profile = models.CharField(
        _("compliance profile"), max_length=10, choices=ComplianceProfile, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("compensation plan")
        verbose_name_plural = _("compensation plans")

    def __str__(self) -> str:
        return self.name


class PlanVersion(models.Model):
    """One saved text of a plan (TOML); never edited, a change is a new version."""

    plan = models.ForeignKey(CompensationPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("plan (TOML)"))
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class CommissionPeriod(models.Model):
    """A calendar month of commissions; committing a run closes it for good (结算)."""

    period = models.CharField(_("period"), max_length=7, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("commission period")
        verbose_name_plural = _("commission periods")

    def __str__(self) -> str:
        return self.period


class CommissionRun(models.Model):
    """One computation of a period with one plan version: a preview, or the committed one."""

    period = models.ForeignKey(CommissionPeriod, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField(_("run"))
    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus, default=RunStatus.PREVIEW
    )
    members = models.PositiveIntegerField(_("distributors"), default=0)
    paid_members = models.PositiveIntegerField(_("paid"), default=0)
    bv = models.DecimalField("BV", **MONEY)
    payout = models.DecimalField(_("payout"), **MONEY)
    adjustments = models.DecimalField(_("adjustments"), **MONEY)
    seconds = models.FloatField(_("seconds"), default=0)
    profile = models.CharField(
        _("compliance profile"), max_length=10, choices=ComplianceProfile, blank=True
    )  # the plan's, as it was when the run was computed
    entries_seen = models.PositiveIntegerField(default=0)  # ledger entries booked here then
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)

    class Meta:
        ordering = ["-period__period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="run_number_unique"),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status=RunStatus.COMMITTED),
                name="one_committed_run_per_period",
            ),
        ]
        verbose_name = _("commission run")
        verbose_name_plural = _("commission runs")

    def __str__(self) -> str:
        return f"{self.period} #{self.number}"

    @property
    def payout_ratio(self):
        return self.payout / self.bv if self.bv > 0 else None


class CommissionResult(models.Model):
    """One distributor's amounts in one run, as RESULTS.csv has them, plus adjustments."""

    run = models.ForeignKey(CommissionRun, on_delete=models.CASCADE, related_name="results")
    distributor = models.ForeignKey(
        "network.Distributor", on_delete=models.PROTECT, related_name="results"
    )
    # The sponsor's distributor id when the run was computed: the tree the run paid on,
    # which statements and later adjustments use even after sponsors change.
    sponsor_at_run = models.BigIntegerField(null=True, blank=True)
    personal_pv = models.DecimalField(_("personal PV"), **MONEY)
    personal_bv = models.DecimalField(_("personal BV"), **MONEY)
    amount = models.DecimalField(_("own net sales"), **MONEY)
    group_pv = models.DecimalField(_("group PV"), **MONEY)
    group_bv = models.DecimalField(_("group BV"), **MONEY)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, default=0)
    broken_away = models.BooleanField(_("broken away"), default=False)
    performance_bonus = models.DecimalField(_("performance bonus"), **MONEY)
    leadership_bonus = models.DecimalField(_("leadership bonus"), **MONEY)
    unilevel_bonus = models.DecimalField(_("unilevel bonus"), **MONEY)
    personal_sales_bonus = models.DecimalField(_("personal sales bonus"), **MONEY)
    adjustment = models.DecimalField(_("adjustment"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)

    class Meta:
        ordering = ["run", "distributor"]
        constraints = [
            models.UniqueConstraint(fields=["run", "distributor"], name="result_member_unique")
        ]
        indexes = [
            models.Index(fields=["distributor", "run"], name="result_member_idx"),
            models.Index(fields=["run", "sponsor_at_run"], name="result_tree_idx"),
        ]
        verbose_name = _("commission result")
        verbose_name_plural = _("commission results")

    def __str__(self) -> str:
        return f"{self.run} {self.distributor_id}: {self.total}"


class CommissionAdjustment(models.Model):
    """A correction paid in a run for a closed period: volume that arrived after close."""

    run = models.ForeignKey(
        CommissionRun, on_delete=models.CASCADE, related_name="adjustment_lines"
    )
    distributor = models.ForeignKey(
        "network.Distributor", on_delete=models.PROTECT, related_name="adjustments"
    )
    for_period = models.CharField(_("for period"), max_length=7)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["run", "distributor", "for_period"]
        verbose_name = _("commission adjustment")
        verbose_name_plural = _("commission adjustments")

    def __str__(self) -> str:
        return f"{self.run} {self.distributor_id} {self.for_period}: {self.amount}"


class HealthReport(models.Model):
    """The network health figures of a month, computed in the worker (a million members
    take seconds to count), read by the health page."""

    period = models.CharField(_("period"), max_length=7, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["-period"]
        verbose_name = _("network health report")
        verbose_name_plural = _("network health reports")

    def __str__(self) -> str:
        return self.period
