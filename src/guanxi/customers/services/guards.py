"""Permission checks shared by the customer services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from guanxi.core.visibility import Action, can, role_allows


def require(actor, action: Action, obj=None) -> None:
    """Raise PermissionDenied unless `actor` may do `action` (on `obj`, when given)."""
    allowed = role_allows(actor, action) if obj is None else can(actor, action, obj)
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))
