from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.network.choices import VolumeKind


class VolumeEntry(models.Model):
    """One signed line of the volume ledger (append-only; a return is a negative entry).

    `period` is the month of `date`; `booked_period` is the run that counts it: the same
    month, or — for an entry that arrives after its month was closed — the next open
    period, whose run pays the difference as adjustment lines.
    """

    distributor = models.ForeignKey(
        "network.Distributor",
        verbose_name=_("distributor"),
        on_delete=models.PROTECT,
        related_name="volume_entries",
    )
    date = models.DateField(_("date"))
    period = models.CharField(_("period"), max_length=7)
    booked_period = models.CharField(_("booked in"), max_length=7)
    pv = models.DecimalField("PV", max_digits=14, decimal_places=2)
    bv = models.DecimalField("BV", max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=10, choices=VolumeKind)
    region = models.CharField(_("province of sale"), max_length=20, blank=True)
    source_ref = models.CharField(_("source"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["booked_period", "distributor"], name="volume_booked_idx"),
            models.Index(fields=["distributor", "date"], name="volume_member_idx"),
        ]
        verbose_name = _("volume entry")
        verbose_name_plural = _("volume ledger")

    def __str__(self) -> str:
        return f"{self.source_ref} {self.pv} PV"
