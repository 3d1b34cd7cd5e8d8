"""Changes a customer makes to their own record through the portal, and the record an
IBO's customer gets: always through a verified or given mobile number, never a search.

The portal never reads other parties: `party_for_mobile` answers with the one record
the number belongs to (one record per real person), or registers a new one in the
public pool. Edits are limited to a whitelist and audited with the portal login as actor.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction
from guanxi.customers.choices import ContactKind, Gender, Source
from guanxi.customers.models import ContactPoint, Party
from guanxi.customers.normalize import InvalidContact, normalize_phone
from guanxi.customers.services.contacts import (
    ContactSpec,
    _build,
    normalize_contact,
    save_contact_points,
)
from guanxi.customers.services.parties import set_name_keys

SELF_FIELDS = ["name", "gender", "birthday"]


def mobile_e164(raw: str) -> str:
    """A Chinese mobile number in E.164, or a field error on `mobile`."""
    try:
        e164, is_mobile = normalize_phone(raw)
    except InvalidContact:
        is_mobile = False
    if not is_mobile:
        raise ValidationError({"mobile": _("Enter a valid mainland China mobile number.")})
    return e164


def party_with_mobile(e164: str) -> Party | None:
    point = (
        ContactPoint.objects.filter(
            kind=ContactKind.MOBILE, normalized=e164, party__merged_into__isnull=True
        )
        .select_related("party")
        .order_by("party_id")
        .first()
    )
    return point.party if point else None


@transaction.atomic
def party_for_mobile(*, actor, name: str, mobile: str, source: str = Source.WEB_FORM):
    """(party, created): the record `mobile` belongs to, or a new one in the public pool."""
    e164 = mobile_e164(mobile)
    existing = party_with_mobile(e164)
    if existing is not None:
        return existing, False
    specs = [ContactSpec(ContactKind.MOBILE, e164, is_primary=True)]
    return party_register(actor=actor, name=name, source=source, specs=specs), True


@transaction.atomic
def party_register(*, actor, name: str, source: str, specs: list[ContactSpec]) -> Party:
    """A new customer in the public pool from outside the staff screens (the member
    centre, a web form, an IBO, a lead): no owner, and `created_by` the portal login or
    integration that brought them in (an IBO may then order for them). The caller has
    matched the contacts against the database first."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": _("Enter a name of at most 200 characters.")})
    party = Party(
        name=name,
        owner=None,
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    set_name_keys(party)
    party.full_clean(exclude=["owner", "created_by", "merged_into"])
    party.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=party,
        changes=diff({}, snapshot(party, ["name", "source"])),
    )
    save_contact_points(actor=actor, party=party, specs=specs)
    return party


def _require_self(actor, party: Party) -> None:
    if not actor.is_authenticated or actor.party_id != party.pk:
        raise PermissionDenied(_("You may only change your own details."))


@transaction.atomic
def party_self_update(*, actor, party: Party, **fields) -> Party:
    """Name, gender and birthday, changed by the customer themselves."""
    _require_self(actor, party)
    unknown = set(fields) - set(SELF_FIELDS)
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    if "gender" in fields and fields["gender"] not in Gender.values:
        raise ValidationError({"gender": _("Unknown gender.")})
    party = Party.objects.select_for_update().get(pk=party.pk)
    before = snapshot(party, SELF_FIELDS)
    for key, value in fields.items():
        setattr(party, key, value.strip() if isinstance(value, str) else value)
    if not party.name:
        raise ValidationError({"name": _("Enter your name.")})
    set_name_keys(party)
    party.full_clean(exclude=["owner", "created_by", "merged_into"])
    party.save()
    changes = diff(before, snapshot(party, SELF_FIELDS))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=party, changes=changes)
    return party


@transaction.atomic
def contact_self_set(*, actor, party: Party, spec: ContactSpec) -> ContactPoint | None:
    """Set the customer's primary email or address (a blank value removes nothing)."""
    _require_self(actor, party)
    if spec.kind not in (ContactKind.EMAIL, ContactKind.ADDRESS):
        raise ValidationError({"kind": _("Only the email and address are changed here.")})
    if not spec.value.strip():
        return None
    normalize_contact(spec, field=spec.kind)  # a field error named after the kind
    fresh = _build(party, ContactSpec(**{**spec.__dict__, "is_primary": True}))
    current = (
        ContactPoint.objects.filter(party=party, kind=spec.kind)
        .order_by("-is_primary", "id")
        .first()
    )
    if current is None:
        return save_contact_points(actor=actor, party=party, specs=[fresh_spec(fresh)])[0]
    fields = ["value", "normalized", "province", "city", "district"]
    before = snapshot(current, fields)
    for name in fields:
        setattr(current, name, getattr(fresh, name))
    current.is_primary = True
    current.save()
    changes = diff(before, snapshot(current, fields))
    if changes:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=current, subject=party, changes=changes
        )
    return current


def fresh_spec(cp: ContactPoint) -> ContactSpec:
    return ContactSpec(
        cp.kind, cp.value, is_primary=True, province=cp.province, city=cp.city, district=cp.district
    )
