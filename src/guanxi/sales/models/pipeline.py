from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.sales.choices import OpportunityState

MONEY = {"max_digits": 14, "decimal_places": 2}


class Pipeline(models.Model):
    """The stages deals of one business line go through (销售流程), e.g. 家用净水 or 团购."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """One step of a pipeline with the probability of winning from it."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"))
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["pipeline", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "position"], name="stage_position_once")
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    """A qualified potential deal (商机) with a customer of the shared database."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    pipeline = models.ForeignKey(Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT)
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT)
    state = models.CharField(
        _("state"), max_length=10, choices=OpportunityState, default=OpportunityState.OPEN
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, default=0)
    discount_pct = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    products = models.CharField(_("products"), max_length=300, blank=True)
    competitors = models.CharField(_("competitors"), max_length=300, blank=True)
    close_reason = models.CharField(_("won / lost reason"), max_length=200, blank=True)
    lead = models.ForeignKey(
        "sales.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["pipeline", "state", "stage"], name="opportunity_board_idx"),
            models.Index(fields=["owner", "state"], name="opportunity_owner_idx"),
            # The board: a column's largest open deals, and its count and total read from
            # the index alone (the party is there for the visibility join).
            models.Index(
                fields=["pipeline", "stage", "-amount", "id"],
                include=["party"],
                condition=models.Q(state="open"),
                name="opportunity_open_stage_idx",
            ),
            # The list, newest first within a state.
            models.Index(fields=["state", "-created_at", "-id"], name="opportunity_list_idx"),
        ]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def __str__(self) -> str:
        return self.title


class StageChange(models.Model):
    """One move of an opportunity between stages, or its closing: what the funnel's
    conversion rates and times in stage are computed from."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=OpportunityState)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["opportunity", "at", "id"]
        # The funnel reads each deal's changes in order (time in stage) without sorting.
        indexes = [
            models.Index(
                fields=["opportunity", "at", "id"],
                include=["to_stage"],
                name="stagechange_deal_idx",
            )
        ]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage_id} → {self.to_stage_id}"
