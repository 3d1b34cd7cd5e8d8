from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanxi.core.choices import Role, UserKind


class User(AbstractUser):
    """A login. Staff carry a role and an org unit; portal identities link to their party."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UserKind, default=UserKind.STAFF)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.SALES_REP)
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    mobile = models.CharField(_("mobile"), max_length=32, blank=True)
    # What emails and reminders to this user are written in (core/languages.py); the
    # language switcher in the top bar keeps it.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("Emails and reminders to this user are written in this language."),
    )
    # Room for portal identities (consumer, distributor): the party they are.
    party = models.OneToOneField(
        "customers.Party",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_user",
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # A superuser (e.g. from `guanxi createsuperuser`) is an administrator.
        if self.is_superuser and self.kind == UserKind.STAFF:
            self.role = Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def is_staff_user(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or (self.is_staff_user and self.role == Role.ADMIN)
