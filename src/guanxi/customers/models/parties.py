from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.visibility import VisibleQuerySet
from guanxi.customers.choices import Gender, LifecycleStage, PartyKind, PartyRoleKind, Source


class Tag(models.Model):
    """A free label on parties (e.g. 高意向, 老客户)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Party(models.Model):
    """One real person or organisation in the shared customer database (客户资料库).

    The record belongs to the company; `owner` is the staff member accountable for it
    (empty = public pool). Pinyin keys are kept in step with the name by the services.
    """

    visibility_owner = "owner"
    visibility_shares = "shares"

    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind, default=PartyKind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    name_pinyin = models.CharField(max_length=400, editable=False, default="")
    name_initials = models.CharField(max_length=200, editable=False, default="")
    name_key = models.CharField(max_length=200, editable=False, default="")
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True, default="")
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=30, choices=Source, default=Source.OTHER)
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    acquisition_cost = models.DecimalField(
        _("acquisition cost (CNY)"), max_digits=12, decimal_places=2, default=0
    )
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage,
        default=LifecycleStage.PROSPECT,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_parties",
        db_index=False,  # party_owner_idx (owner, id) serves lookups by owner
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="parties")
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set when this record was merged into another; it then only redirects there.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_parties",
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # varchar_pattern_ops lets PostgreSQL use the index for prefix (LIKE 'x%') search
        # whatever the database collation; including the id makes a search an index-only
        # scan there. SQLite ignores both (its indexes always carry the rowid).
        indexes = [
            models.Index(
                fields=["name_pinyin"],
                name="party_pinyin_idx",
                opclasses=["varchar_pattern_ops"],
                include=["id"],
            ),
            models.Index(
                fields=["name_initials"],
                name="party_initials_idx",
                opclasses=["varchar_pattern_ops"],
                include=["id"],
            ),
            models.Index(
                fields=["name_key"],
                name="party_name_key_idx",
                opclasses=["varchar_pattern_ops"],
                include=["id"],
            ),
            models.Index(fields=["owner", "-id"], name="party_owner_idx"),
            models.Index(fields=["lifecycle_stage", "-id"], name="party_stage_idx"),
            models.Index(fields=["source", "-id"], name="party_source_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def role_list(self) -> list[str]:
        return [r.role for r in self.roles.all()]


class PartyRole(models.Model):
    """A role a party plays for the company; one party may hold several."""

    visibility_via = "party"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=PartyRoleKind)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["party", "role"], name="party_role_unique"),
        ]
        indexes = [models.Index(fields=["role", "party"], name="party_role_idx")]
        verbose_name = _("customer role")
        verbose_name_plural = _("customer roles")

    def __str__(self) -> str:
        return self.get_role_display()


class PartyShare(models.Model):
    """An explicit grant of visibility on one party to one user (共享)."""

    visibility_via = "party"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="party_shares",
    )
    can_edit = models.BooleanField(_("may edit"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["party", "user"], name="party_share_unique"),
        ]
        indexes = [models.Index(fields=["user", "party"], name="party_share_user_idx")]
        verbose_name = _("share")
        verbose_name_plural = _("shares")

    def __str__(self) -> str:
        return f"{self.party} → {self.user}"
