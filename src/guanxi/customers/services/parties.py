"""Create, update, delete and share parties."""

import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import AUDIT_COLUMNS, audit_record, diff, snapshot
from guanxi.core.bulk import allocate_ids, db_datetime, insert_rows
from guanxi.core.choices import AuditAction, UserKind
from guanxi.core.context import current_origin
from guanxi.core.models import AuditEvent
from guanxi.core.visibility import Action, can
from guanxi.customers import normalize
from guanxi.customers.choices import ContactKind, LifecycleStage, PartyKind, PartyRoleKind
from guanxi.customers.duplicates import DuplicatePartyError, duplicate_candidates
from guanxi.customers.matching.store import refresh_match_keys
from guanxi.customers.models import Party, PartyRole, PartyShare, Tag
from guanxi.customers.services.contacts import ContactSpec, normalize_contact, save_contact_points
from guanxi.customers.services.guards import may_override_duplicates, require

FIELDS = [
    "kind",
    "name",
    "gender",
    "birthday",
    "source",
    "source_detail",
    "acquisition_cost",
    "lifecycle_stage",
    "owner",
    "notes",
]
EDITABLE = set(FIELDS) - {"owner"}


def stored_name_keys(name: str) -> tuple[str, str, str]:
    """(pinyin, initials, name key) of a name, cut to fit their columns."""
    pinyin, initials = normalize.pinyin_keys(name)
    return pinyin[:400], initials[:200], normalize.name_key(name)[:200]


def set_name_keys(party: Party) -> None:
    """Keep the stored search keys in step with the name (every service that names)."""
    party.name = party.name.strip()
    party.name_pinyin, party.name_initials, party.name_key = stored_name_keys(party.name)


def _full_snapshot(party: Party) -> dict:
    data = snapshot(party, FIELDS)
    data["roles"] = sorted(party.roles.values_list("role", flat=True))
    data["tags"] = sorted(party.tags.values_list("name", flat=True))
    return data


def _set_roles_and_tags(party: Party, roles: list[str] | None, tags: list[str] | None) -> None:
    if roles is not None:
        party.roles.exclude(role__in=roles).delete()
        existing = set(party.roles.values_list("role", flat=True))
        PartyRole.objects.bulk_create(
            [PartyRole(party=party, role=r) for r in dict.fromkeys(roles) if r not in existing]
        )
    if tags is not None:
        names = [t.strip()[:50] for t in tags if t and t.strip()]
        party.tags.set([Tag.objects.get_or_create(name=n)[0] for n in dict.fromkeys(names)])


def _contact_keys(specs) -> list[tuple[str, str]]:
    """(kind, normalized) per spec; errors are named contact_points.<index>.<field>."""
    keys, errors = [], {}
    for index, spec in enumerate(specs):
        try:
            kind, _value, key = normalize_contact(spec)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"contact_points.{index}.{field}"] = messages
            continue
        keys.append((kind, key))
    if errors:
        raise ValidationError(errors)
    return keys


def _validate(party: Party, roles: list[str] | None) -> None:
    errors = {}
    try:
        party.full_clean(exclude=["owner", "tags", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if party.acquisition_cost is not None and party.acquisition_cost < Decimal(0):
        errors["acquisition_cost"] = [_("The cost cannot be negative.")]
    if roles and any(r not in PartyRoleKind.values for r in roles):
        errors["roles"] = [_("Unknown role.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def party_create(
    *,
    actor,
    name: str,
    contact_points: list[ContactSpec] = (),
    roles: list[str] | None = None,
    tags: list[str] | None = None,
    owner=None,
    allow_duplicate: bool = False,
    **fields,
) -> Party:
    """Create a party with its contact points; raise DuplicatePartyError on a likely match.

    The owner defaults to the actor. Only managers and admins may insist on creating
    a record that matches an existing one (`allow_duplicate`).
    """
    require(actor, Action.CREATE)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    party = Party(
        name=name or "", owner=owner if owner is not None else actor, created_by=actor, **fields
    )
    set_name_keys(party)
    _validate(party, roles)
    keys = _contact_keys(contact_points)
    if not (allow_duplicate and may_override_duplicates(actor)):
        matches = duplicate_candidates(name_key=party.name_key, contacts=keys)
        if matches:
            raise DuplicatePartyError(matches)
    party.save()
    _set_roles_and_tags(party, roles or [], tags or [])
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=party, changes=diff({}, _full_snapshot(party))
    )
    save_contact_points(actor=actor, party=party, specs=list(contact_points))
    return party


@transaction.atomic
def party_update(
    *,
    actor,
    party: Party,
    roles: list[str] | None = None,
    tags: list[str] | None = None,
    **fields,
) -> Party:
    """Change profile fields, roles and tags. Ownership changes go through transfer."""
    require(actor, Action.CHANGE, party)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    party = Party.objects.select_for_update().get(pk=party.pk)
    before = _full_snapshot(party)
    old_key = party.name_key
    for name, value in fields.items():
        setattr(party, name, value)
    set_name_keys(party)
    _validate(party, roles)
    if party.name_key != old_key:
        addresses = party.contact_points.filter(kind=ContactKind.ADDRESS).values_list(
            "normalized", flat=True
        )
        matches = duplicate_candidates(
            name_key=party.name_key,
            contacts=[("address", a) for a in addresses],
            exclude_party_id=party.pk,
        )
        if matches:
            raise DuplicatePartyError(matches)
    party.save()
    refresh_match_keys([party.pk])
    _set_roles_and_tags(party, roles, tags)
    changes = diff(before, _full_snapshot(party))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=party, changes=changes)
    return party


@transaction.atomic
def party_delete(*, actor, party: Party) -> None:
    """Delete a party; its contact methods and consent history are kept in the trail."""
    require(actor, Action.DELETE, party)
    if Party.objects.filter(merged_into=party).exists():
        raise ValidationError(
            _("Other records were merged into this customer and lead here; it cannot be deleted.")
        )
    before = _full_snapshot(party)
    before["contact_points"] = [cp.display_value for cp in party.contact_points.all()]
    before["consents"] = [
        f"{c.recorded_at.isoformat()} {c.channel} {c.status} {c.method}"
        for c in party.consents.all()
    ]
    audit_record(actor=actor, action=AuditAction.DELETE, obj=party, changes=diff(before, {}))
    party.delete()


def _require_share_right(actor, party: Party) -> None:
    """Only the owner, or whoever may transfer the record, decides who else sees it."""
    if party.owner_id != actor.pk and not can(actor, Action.TRANSFER, party):
        raise PermissionDenied(_("Only the owner or a manager can share this customer."))


@transaction.atomic
def party_share(*, actor, party: Party, user, can_edit: bool = False) -> PartyShare:
    """Grant `user` visibility of `party` (and edits if `can_edit`); owner or manager only."""
    _require_share_right(actor, party)
    if can_edit and not can(actor, Action.CHANGE, party):
        raise PermissionDenied(_("You cannot grant edits you do not have yourself."))
    if not user.is_active or user.kind != UserKind.STAFF:
        raise ValidationError({"user": _("This user cannot be given access.")})
    if user.pk == party.owner_id:
        raise ValidationError({"user": _("The owner already sees this customer.")})
    previous = PartyShare.objects.filter(party=party, user=user).first()
    share, _created = PartyShare.objects.update_or_create(
        party=party, user=user, defaults={"can_edit": can_edit, "created_by": actor}
    )
    audit_record(
        actor=actor,
        action=AuditAction.SHARE,
        obj=party,
        changes={
            "shared_with": [previous.user_id if previous else None, user.pk],
            "can_edit": [previous.can_edit if previous else None, can_edit],
        },
    )
    return share


@transaction.atomic
def party_unshare(*, actor, party: Party, user) -> None:
    _require_share_right(actor, party)
    deleted, _rows = PartyShare.objects.filter(party=party, user=user).delete()
    if not deleted:
        raise PermissionDenied(_("This customer is not shared with that user."))
    audit_record(
        actor=actor,
        action=AuditAction.UNSHARE,
        obj=party,
        changes={"shared_with": [user.pk, None]},
    )


BULK_PARTY_COLUMNS = [
    "id",
    "kind",
    "name",
    "name_pinyin",
    "name_initials",
    "name_key",
    "gender",
    "source",
    "source_detail",
    "acquisition_cost",
    "lifecycle_stage",
    "notes",
    "created_at",
    "updated_at",
]


def parties_bulk_create(
    *, actor, names: list[str], role: str, source: str, source_detail: str, stage: str
) -> list[int]:
    """Company-owned people in bulk (a migration of distributors, say), each with a role
    and one audit event; returns their ids in the order of `names`. Call in a transaction."""
    if not names:
        return []
    now = db_datetime(timezone.now())
    ids = allocate_ids(Party._meta.db_table, len(names))
    rows = []
    for pid, name in zip(ids, names, strict=True):
        pinyin, initials, key = stored_name_keys(name)
        rows.append(
            (pid, PartyKind.PERSON, name, pinyin, initials, key, "", source, source_detail,
             Decimal(0), stage, "", now, now)
        )  # fmt: skip
    insert_rows(Party._meta.db_table, BULK_PARTY_COLUMNS, rows)
    insert_rows(PartyRole._meta.db_table, ["party_id", "role"], [(pid, role) for pid in ids])
    origin = current_origin()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    insert_rows(
        AuditEvent._meta.db_table,
        AUDIT_COLUMNS,
        [
            (now, actor_id, str(actor) if actor is not None else "system", origin.request_id,
             origin.ip_address, AuditAction.CREATE, "customers.party", str(pid), name[:200],
             "customers.party", str(pid),
             json.dumps({"name": [None, name], "roles": [None, [role]],
                         "source_detail": [None, source_detail]}, ensure_ascii=False))
            for pid, name in zip(ids, names, strict=True)
        ],
    )  # fmt: skip
    return ids


BEFORE_BUYING = (LifecycleStage.SUSPECT, LifecycleStage.PROSPECT, LifecycleStage.LAPSED)


def party_stage_after_purchase(*, actor, party: Party, paid_orders: int) -> None:
    """After a paid order (commerce): the first makes a prospect a customer, the second a
    repeat customer; a loyal customer stays loyal. Audited like any profile change."""
    target = LifecycleStage.REPEAT_CUSTOMER if paid_orders >= 2 else LifecycleStage.CUSTOMER
    current = party.lifecycle_stage
    if current in BEFORE_BUYING or (
        current == LifecycleStage.CUSTOMER and target == LifecycleStage.REPEAT_CUSTOMER
    ):
        Party.objects.filter(pk=party.pk).update(lifecycle_stage=target)
        party.lifecycle_stage = target
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=party,
            changes={"lifecycle_stage": [current, target]},
        )
