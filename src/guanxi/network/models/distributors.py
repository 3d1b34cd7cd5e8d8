from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.network.choices import DistributorStatus
from guanxi.network.engine.members import MEMBER_ID_CHARS, MEMBER_ID_MAX

# Direct Selling Regulations (直销管理条例) Art. 15: who may not be a direct seller.
ATTESTATIONS = (
    ("attests_adult", _("Is at least 18 years old")),
    ("attests_not_student", _("Is not a full-time student")),
    ("attests_not_teacher", _("Is not a teacher")),
    ("attests_not_medical", _("Is not medical staff")),
    ("attests_not_civil_servant", _("Is not a civil servant")),
    ("attests_not_military", _("Is not serving in the military")),
    ("attests_not_employee", _("Is not an employee of the company")),
    ("attests_not_foreigner", _("Is not a foreigner")),
)


class Distributor(models.Model):
    """A party in the distributor role (直销员): member number, sponsor, status, eligibility."""

    visibility_via = "party"

    party = models.OneToOneField(
        "customers.Party",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="distributor",
    )
    member_id = models.CharField(
        _("member number"),
        max_length=MEMBER_ID_MAX,
        unique=True,
        validators=[
            RegexValidator(
                rf"^{MEMBER_ID_CHARS}\Z",
                _("Letters, digits, dots, hyphens and underscores; a letter or digit first."),
            )
        ],
    )
    sponsor = models.ForeignKey(
        "self",
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recruits",
    )
    join_date = models.DateField(_("join date"))
    status = models.CharField(
        _("status"), max_length=20, choices=DistributorStatus, default=DistributorStatus.ACTIVE
    )
    status_changed_at = models.DateField(_("status since"), null=True, blank=True)
    certificate_no = models.CharField(_("direct-seller certificate"), max_length=40, blank=True)
    service_region = models.CharField(_("service region"), max_length=20, blank=True)
    attests_adult = models.BooleanField(ATTESTATIONS[0][1], default=False)
    attests_not_student = models.BooleanField(ATTESTATIONS[1][1], default=False)
    attests_not_teacher = models.BooleanField(ATTESTATIONS[2][1], default=False)
    attests_not_medical = models.BooleanField(ATTESTATIONS[3][1], default=False)
    attests_not_civil_servant = models.BooleanField(ATTESTATIONS[4][1], default=False)
    attests_not_military = models.BooleanField(ATTESTATIONS[5][1], default=False)
    attests_not_employee = models.BooleanField(ATTESTATIONS[6][1], default=False)
    attests_not_foreigner = models.BooleanField(ATTESTATIONS[7][1], default=False)
    attested_at = models.DateTimeField(_("attested"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["member_id"]
        indexes = [models.Index(fields=["sponsor", "member_id"], name="distributor_downline_idx")]
        # PostgreSQL also gets a pattern index for prefix search (migration 0004).
        verbose_name = _("distributor")
        verbose_name_plural = _("distributors")

    def __str__(self) -> str:
        return self.member_id

    @property
    def eligible(self) -> bool:
        """All of Art. 15's attestations are given."""
        return all(getattr(self, name) for name, _label in ATTESTATIONS)


class RankAchievement(models.Model):
    """The stair-step rate a distributor reached in a committed period (rank history)."""

    distributor = models.ForeignKey(Distributor, on_delete=models.CASCADE, related_name="ranks")
    period = models.CharField(_("period"), max_length=7)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4)
    run = models.ForeignKey("network.CommissionRun", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["distributor", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["distributor", "period"], name="rank_period_unique")
        ]
        verbose_name = _("rank")
        verbose_name_plural = _("rank history")

    def __str__(self) -> str:
        return f"{self.distributor} {self.period} {self.rate:%}"


class TeamStat(models.Model):
    """A distributor's team as of the last refresh (genealogy pages read it instantly).

    Rebuilt in bulk by `services.genealogy.team_stats_refresh` after imports and commits.
    """

    distributor = models.OneToOneField(
        Distributor, primary_key=True, on_delete=models.CASCADE, related_name="team"
    )
    depth = models.PositiveIntegerField(_("depth"))
    team_size = models.PositiveIntegerField(_("team size"))
    team_active = models.PositiveIntegerField(_("active in team"))
    team_pv = models.DecimalField(_("team PV"), max_digits=16, decimal_places=2)
    personal_pv = models.DecimalField(_("personal PV"), max_digits=16, decimal_places=2)
    period = models.CharField(_("period"), max_length=7)
    computed_at = models.DateTimeField(_("as of"))

    class Meta:
        ordering = ["distributor"]
        verbose_name = _("team statistics")
        verbose_name_plural = _("team statistics")

    def __str__(self) -> str:
        return f"{self.distributor_id}: {self.team_size}"
