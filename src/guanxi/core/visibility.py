"""Record visibility, computed here and nowhere else.

Every list, search, detail, update, delete, export, count and API query starts from
`Model.objects.visible_to(user, action)`. A model opts in by using `VisibleQuerySet`
and naming where its ownership lives:

* an *owned* model (Party) sets ``visibility_owner = "owner"`` and
  ``visibility_shares = "shares"`` (reverse relation to a share model with ``user`` and
  ``can_edit``);
* a *dependent* model (ContactPoint, Interaction) sets ``visibility_via = "party"``
  and is visible exactly when its owned record is.

Rules (docs/visibility.md has the table):
admin → everything; manager → records owned inside their org subtree, their own, shared
with them, and unowned records (the public pool); sales rep → own and shared;
service agent / marketer / analyst → records owned inside their org subtree and the pool
(read only, plus logging interactions and taking orders for agents); portal users →
their own party only.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from guanxi.core.choices import Role, UserKind


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"
    TRANSFER = "transfer"
    LOG = "log"  # log an interaction on a record
    CREATE = "create"
    IMPORT = "import"  # bulk-load customers from a file
    MERGE = "merge"  # merge duplicates, answer the duplicate review queue
    SPONSOR = "sponsor"  # change a distributor's sponsor (genealogy)
    COMMISSIONS = "commissions"  # save plans, run and commit commission periods
    ORDER = "order"  # take orders, record payments, request returns for a customer
    FULFIL = "fulfil"  # pack and ship orders, receive returns, pay refunds
    CATALOGUE = "catalogue"  # edit products, prices, earning rules; announce new products
    CLAIM = "claim"  # see the public pool (公海) and claim from it (报备)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.MANAGER: frozenset(Action) - {Action.SPONSOR, Action.COMMISSIONS},
    Role.SALES_REP: frozenset(
        {Action.VIEW, Action.CHANGE, Action.LOG, Action.CREATE, Action.ORDER, Action.CLAIM}
    ),
    # Call-centre agents enter orders for any customer they can see.
    Role.SERVICE_AGENT: frozenset({Action.VIEW, Action.LOG, Action.CREATE, Action.ORDER}),
    Role.MARKETER: frozenset({Action.VIEW, Action.EXPORT, Action.IMPORT, Action.CATALOGUE}),
    Role.ANALYST: frozenset({Action.VIEW, Action.EXPORT}),
}

NOTHING = Q(pk__in=[])
# What an explicit share grants: action → whether the share must be "may edit".
# Deleting and transferring are never granted by a share.
SHARE_GRANTS = {Action.VIEW: False, Action.LOG: False, Action.EXPORT: False, Action.CHANGE: True}


def role_allows(user, action: Action) -> bool:
    """Whether the user's role may perform `action` on some record at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.kind != UserKind.STAFF:
        return action == Action.VIEW
    return action in ROLE_ACTIONS.get(user.role, frozenset())


def org_units_in_scope(user):
    """Departments in `user`'s subtree (all of them for an administrator)."""
    from guanxi.core.models import OrgUnit

    if user.is_admin_role:
        return OrgUnit.objects.all()
    if user.org_unit_id is None or not user.org_unit.path:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=user.org_unit.path)


def staff_in_scope(user):
    """Users in `user`'s subtree, always including `user` (everyone for an administrator)."""
    from guanxi.core.models import User

    if user.is_admin_role:
        return User.objects.all()
    return User.objects.filter(Q(pk=user.pk) | Q(org_unit__in=org_units_in_scope(user)))


def owned_q(model: type[models.Model], user, action: Action, prefix: str = "") -> Q:
    """The filter selecting records of the owned `model` that `user` may act on."""
    if not role_allows(user, action):
        return NOTHING
    if user.is_superuser or (user.role == Role.ADMIN and user.kind == UserKind.STAFF):
        return Q()
    owner = prefix + model.visibility_owner
    if user.kind != UserKind.STAFF:
        # Portal identities only read their own party here; the portal issue adds
        # self-service edits with their own field whitelist.
        if action == Action.VIEW and user.party_id:
            return Q(**{prefix + "pk": user.party_id})
        return NOTHING

    if action == Action.CLAIM:
        # The pool itself: unowned records, listed for claiming (contacts masked there).
        return Q(**{owner + "__isnull": True})
    mine = Q(**{owner: user})
    if action in SHARE_GRANTS:
        share_field = model._meta.get_field(model.visibility_shares)
        shared = share_field.related_model.objects.filter(user=user)
        if SHARE_GRANTS[action]:
            shared = shared.filter(can_edit=True)
        mine |= Q(**{prefix + "pk__in": shared.values(share_field.field.attname)})
    pool = Q(**{owner + "__isnull": True})

    if user.role == Role.SALES_REP:
        # The public pool (公海) gets its own claim rules with the sales issue.
        return mine
    subtree = Q(**{owner + "__in": staff_in_scope(user).values("pk")})
    if user.role == Role.MANAGER:
        return mine | subtree | pool
    # Service agents, marketers and analysts read across their subtree and the pool.
    reads = (Action.VIEW, Action.EXPORT, Action.LOG, Action.ORDER)
    return mine | subtree | pool if action in reads else NOTHING


class VisibleQuerySet(models.QuerySet):
    """QuerySet with `visible_to(user, action)`; the only way views and APIs read records."""

    def visible_to(self, user, action: Action = Action.VIEW):
        via = getattr(self.model, "visibility_via", None)
        if via:
            owned_model = self.model._meta.get_field(via).related_model
            return self.filter(owned_q(owned_model, user, action, prefix=f"{via}__"))
        return self.filter(owned_q(self.model, user, action))


# Answers of can() kept while a read-only page is built (see rights_remembered).
_remembered: ContextVar[dict | None] = ContextVar("remembered_rights", default=None)


@contextmanager
def rights_remembered() -> Iterator[None]:
    """While a read-only page is built, repeated can() questions about the same record are
    answered from memory: the 360 page's panels each ask about the customer. Only for
    code that writes nothing in between (a write could change the answer)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def can(user, action: Action, obj: models.Model) -> bool:
    """Whether `user` may perform `action` on one record (same rule as the querysets)."""
    memo = _remembered.get()
    key = (user.pk, action, obj._meta.label, obj.pk)
    if memo is not None and key in memo:
        return memo[key]
    allowed = type(obj).objects.filter(pk=obj.pk).visible_to(user, action).exists()
    if memo is not None:
        memo[key] = allowed
    return allowed


def require_staff(user) -> None:
    """Staff pages and the staff API refuse portal logins (consumers and IBOs)."""
    if getattr(user, "kind", None) != UserKind.STAFF:
        raise PermissionDenied(_("Staff only."))
