from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.sales.choices import AssignStrategy, LeadSource, LeadStatus


class Lead(models.Model):
    """An unqualified prospect (线索) about a party of the shared database: where it came
    from, how far it got, and who owned the party when it arrived."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    source = models.CharField(_("source"), max_length=20, choices=LeadSource)
    response_code = models.CharField(_("campaign / response code"), max_length=40, blank=True)
    referred_by = models.ForeignKey(
        "network.Distributor",
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LeadStatus, default=LeadStatus.NEW
    )
    interest = models.CharField(_("interested in"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    existing_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner on arrival"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The customer was someone's already when the lead came in."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("arrived"))
    status_changed_at = models.DateTimeField(_("status since"), null=True, blank=True)
    # 0–100 from the lead scoring model (its factors are in LeadScore); here so that the
    # list sorts by it without a join.
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="lead_status_idx"),
            # Only scored leads take part in the by-score order (and in this index).
            models.Index(
                fields=["-score", "-id"],
                name="lead_score_idx",
                condition=models.Q(score__isnull=False),
            ),
        ]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return f"{self.party} · {self.get_source_display()}"


class AssignmentRule(models.Model):
    """Who gets new leads from the pool: the first active rule (by position) whose
    provinces and sources match hands the lead to a rep of its team, round robin or to
    whoever holds fewest, skipping reps at the cap."""

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    provinces = models.CharField(
        _("provinces"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. 上海市,江苏省; empty matches every province."),
    )
    sources = models.CharField(
        _("sources"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated lead sources; empty matches every source."),
    )
    team = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    strategy = models.CharField(
        _("strategy"), max_length=20, choices=AssignStrategy, default=AssignStrategy.ROUND_ROBIN
    )
    load_cap = models.PositiveIntegerField(
        _("load cap"),
        null=True,
        blank=True,
        help_text=_("Skip reps already holding this many claims (the pool's cap applies too)."),
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self) -> str:
        return self.name

    def province_list(self) -> list[str]:
        return [p.strip() for p in self.provinces.replace("，", ",").split(",") if p.strip()]

    def source_list(self) -> list[str]:
        return [s.strip() for s in self.sources.split(",") if s.strip()]
