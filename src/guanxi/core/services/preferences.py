"""A user's own settings: the language they read emails and reminders in."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record
from guanxi.core.choices import AuditAction
from guanxi.core.models import User


@transaction.atomic
def user_language_set(*, actor: User, user: User, language: str) -> User:
    """Set the language of `user`'s emails (themselves, or an administrator for anyone)."""
    if actor.pk != user.pk and not actor.is_admin_role:
        raise PermissionDenied(_("Only administrators can do this."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.language
    if before == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=user, changes={"language": [before, language]}
    )
    return user
