"""Writes for org units and staff users."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction, Role, UserKind
from guanxi.core.models import OrgUnit, User

ORG_FIELDS = ["name", "code", "parent"]
USER_FIELDS = [
    "username",
    "display_name",
    "email",
    "role",
    "org_unit",
    "is_active",
    "mobile",
    "kind",
    "language",
]


def _require_admin(actor) -> None:
    if actor is not None and not actor.is_admin_role:
        raise PermissionDenied(_("Only administrators can do this."))


def _set_path(unit: OrgUnit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def org_unit_create(*, actor, name: str, code: str, parent: OrgUnit | None = None) -> OrgUnit:
    _require_admin(actor)
    unit = OrgUnit(name=name, code=code, parent=parent)
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=unit,
        changes=diff({}, snapshot(unit, ORG_FIELDS)),
    )
    return unit


@transaction.atomic
def org_unit_update(*, actor, unit: OrgUnit, **fields) -> OrgUnit:
    """Rename or move a unit; moving rewrites the paths of its whole subtree."""
    _require_admin(actor)
    before = snapshot(unit, ORG_FIELDS)
    old_path = unit.path
    for name, value in fields.items():
        setattr(unit, name, value)
    if unit.parent_id and unit.parent.path.startswith(old_path):
        raise ValidationError({"parent": _("A department cannot be moved under itself.")})
    unit.full_clean(exclude=["path"])
    _set_path(unit)
    unit.save()
    if unit.path != old_path:
        for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=unit,
        changes=diff(before, snapshot(unit, ORG_FIELDS)),
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str | None,
    role: str = Role.SALES_REP,
    org_unit: OrgUnit | None = None,
    display_name: str = "",
    email: str = "",
    mobile: str = "",
    kind: str = UserKind.STAFF,
    is_superuser: bool = False,
    party=None,
) -> User:
    _require_admin(actor)
    user = User(
        username=username,
        role=role,
        org_unit=org_unit,
        display_name=display_name,
        email=email.strip().lower(),
        mobile=mobile,
        kind=kind,
        party=party,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password", "party"])
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        changes=diff({}, snapshot(user, USER_FIELDS)),
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, **fields) -> User:
    _require_admin(actor)
    before = snapshot(user, USER_FIELDS)
    password = fields.pop("password", None)
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    user.full_clean(exclude=["password", "party"])
    user.save()
    changes = diff(before, snapshot(user, USER_FIELDS))
    if password:
        changes["password"] = ["***", "***"]
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes=changes)
    return user
