from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringModel(models.Model):
    """One trained version of the lead scoring model: the engine's parameters, what it
    learnt from, and how it ranked the newest decided leads it did not train on."""

    trained_at = models.DateTimeField(_("trained"))
    algorithm = models.CharField(_("algorithm"), max_length=20, default="logistic")
    parameters = models.JSONField(_("parameters"))
    won_count = models.PositiveIntegerField(_("won leads"))
    lost_count = models.PositiveIntegerField(_("lost leads"))
    holdout_auc = models.FloatField(
        _("AUC on held-out leads"),
        null=True,
        blank=True,
        help_text=_("Trained on the older 80% of decided leads, tested on the newest 20%."),
    )
    baseline_auc = models.FloatField(_("naive Bayes AUC on held-out leads"), null=True, blank=True)

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("lead scoring model")
        verbose_name_plural = _("lead scoring models")

    def __str__(self) -> str:
        return f"#{self.pk} {self.trained_at:%Y-%m-%d %H:%M}"


class LeadScore(models.Model):
    """Why a lead has its score (the number itself is on the lead, for sorting): the
    probability and the top factors, by the model version that scored it."""

    lead = models.OneToOneField(
        "sales.Lead", primary_key=True, on_delete=models.CASCADE, related_name="score_detail"
    )
    model = models.ForeignKey(
        ScoringModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    probability = models.FloatField(_("probability of winning"))
    factors = models.JSONField(_("top factors"), default=list)
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        ordering = ["-scored_at"]
        verbose_name = _("lead score")
        verbose_name_plural = _("lead scores")

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.probability:.2f}"
