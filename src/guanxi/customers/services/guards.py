"""Permission checks shared by the customer services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from guanxi.core.choices import Role
from guanxi.core.visibility import Action, can, role_allows


def require(actor, action: Action, obj=None) -> None:
    """Raise PermissionDenied unless `actor` may do `action` (on `obj`, when given)."""
    allowed = role_allows(actor, action) if obj is None else can(actor, action, obj)
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))


def may_override_duplicates(actor) -> bool:
    """Only managers and admins may insist that a look-alike record is someone else."""
    return actor.is_superuser or actor.role in (Role.ADMIN, Role.MANAGER)
