from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.customers.choices import ReviewOrigin, ReviewStatus, reason_labels


class MatchKey(models.Model):
    """A fuzzy blocking key of a party (name sound + birthday, ...), kept by the services.

    Exact keys (mobile, email, WeChat ID, landline) are found through ContactPoint;
    these let an import find namesakes-with-evidence without scanning every 张伟.
    """

    party = models.ForeignKey(
        "customers.Party", on_delete=models.CASCADE, related_name="match_keys"
    )
    key = models.CharField(max_length=160)

    class Meta:
        indexes = [models.Index(fields=["key"], name="match_key_idx", include=["party"])]

    def __str__(self) -> str:
        return self.key


class DuplicateReview(models.Model):
    """A group of parties that may be one customer, waiting for a person (待确认重复)."""

    origin = models.CharField(_("found by"), max_length=10, choices=ReviewOrigin)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus, default=ReviewStatus.OPEN
    )
    score = models.FloatField(_("score"))
    reason = models.CharField(_("evidence"), max_length=200, blank=True)
    parties = models.ManyToManyField(
        "customers.Party", through="DuplicateMember", related_name="duplicate_reviews"
    )
    batch = models.ForeignKey(
        "customers.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["status", "-score"], name="dup_review_status_idx")]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.score:.2f})"

    @property
    def reason_display(self) -> str:
        return reason_labels(self.reason)


class DuplicateMember(models.Model):
    review = models.ForeignKey(DuplicateReview, on_delete=models.CASCADE, related_name="members")
    party = models.ForeignKey("customers.Party", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reason = models.CharField(_("evidence"), max_length=200, blank=True)

    class Meta:
        ordering = ["party_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "party"], name="dup_member_unique")
        ]
        indexes = [models.Index(fields=["party"], name="dup_member_party_idx")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.party_id}"


class DistinctPair(models.Model):
    """Two parties a person said are not the same customer; never proposed again."""

    low = models.ForeignKey("customers.Party", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("customers.Party", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="distinct_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(low__lt=models.F("high")), name="distinct_pair_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.low_id} ≠ {self.high_id}"


class FieldConflict(models.Model):
    """An imported value that disagrees with a non-empty field of the matched party."""

    visibility_via = "party"

    party = models.ForeignKey(
        "customers.Party", on_delete=models.CASCADE, related_name="field_conflicts"
    )
    field = models.CharField(_("field"), max_length=50)
    current_value = models.CharField(_("current value"), max_length=300)
    incoming_value = models.CharField(_("incoming value"), max_length=300)
    batch = models.ForeignKey(
        "customers.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL
    )
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus, default=ReviewStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "-id"], name="field_conflict_status_idx")]
        verbose_name = _("field conflict")
        verbose_name_plural = _("field conflicts")

    def __str__(self) -> str:
        return f"{self.party_id}.{self.field}"


class Merge(models.Model):
    """Parties merged into a survivor, with what is needed to undo it."""

    survivor = models.ForeignKey(
        "customers.Party",
        on_delete=models.PROTECT,
        related_name="merges",
        verbose_name=_("survivor"),
    )
    merged_ids = models.JSONField(default=list)
    choices = models.JSONField(default=dict)
    before = models.JSONField(default=dict)
    moved = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("merged"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.merged_ids} → {self.survivor_id}"
