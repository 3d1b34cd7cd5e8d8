"""Contact points: normalise, check for duplicates, save, audit."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, diff, snapshot
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action
from guanxi.customers import normalize
from guanxi.customers.choices import ContactKind
from guanxi.customers.duplicates import DuplicatePartyError, duplicate_candidates
from guanxi.customers.matching.store import refresh_match_keys
from guanxi.customers.models import ContactPoint, Party
from guanxi.customers.services.guards import may_override_duplicates, require

FIELDS = ["kind", "value", "label", "is_primary", "province", "city", "district"]


@dataclass
class ContactSpec:
    """A contact point as entered, before it is normalised."""

    kind: str
    value: str
    label: str = ""
    is_primary: bool = False
    province: str = ""
    city: str = ""
    district: str = ""


def normalize_contact(spec: ContactSpec, *, field: str = "value") -> tuple[str, str, str]:
    """(kind, display value, normalized key) for a spec; raises ValidationError."""
    value = (spec.value or "").strip()
    kind = spec.kind
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Unknown contact type.")})
    if not value:
        raise ValidationError({field: _("This field is required.")})
    try:
        if kind in (ContactKind.MOBILE, ContactKind.LANDLINE, ContactKind.FAX):
            e164, is_mobile = normalize.normalize_phone(value)
            if kind == ContactKind.MOBILE and not is_mobile:
                raise normalize.InvalidContact("not a mobile number")
            return kind, e164, e164
        if kind == ContactKind.EMAIL:
            email = normalize.normalize_email(value)
            return kind, email, email
        if kind == ContactKind.WECHAT:
            return kind, value, normalize.normalize_wechat(value)
    except normalize.InvalidContact:
        messages = {
            ContactKind.MOBILE: _("Enter a valid mainland China mobile number."),
            ContactKind.LANDLINE: _("Enter a valid phone number, e.g. 010-6552 9988."),
            ContactKind.FAX: _("Enter a valid fax number."),
            ContactKind.EMAIL: _("Enter a valid email address."),
            ContactKind.WECHAT: _("Enter a valid WeChat ID (6–20 letters, digits, _ or -)."),
        }
        raise ValidationError({field: messages[kind]}) from None
    key = normalize.address_key(spec.province, spec.city, spec.district, value)
    return kind, value, key


def _build(party: Party, spec: ContactSpec) -> ContactPoint:
    kind, value, key = normalize_contact(spec)
    cp = ContactPoint(
        party=party,
        kind=kind,
        value=value,
        normalized=key,
        label=spec.label,
        is_primary=spec.is_primary,
        province=spec.province.strip(),
        city=spec.city.strip(),
        district=spec.district.strip(),
    )
    cp.full_clean(exclude=["party", "normalized"])
    return cp


def _keep_one_primary(cp: ContactPoint, *, actor) -> None:
    if not cp.is_primary:
        return
    others = ContactPoint.objects.filter(party_id=cp.party_id, kind=cp.kind, is_primary=True)
    for other in others.exclude(pk=cp.pk):
        other.is_primary = False
        other.save(update_fields=["is_primary", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=other,
            subject=cp.party,
            changes={"is_primary": [True, False]},
        )


def save_contact_points(*, actor, party: Party, specs: list[ContactSpec]) -> list[ContactPoint]:
    """Create several contact points of a new or existing party (no duplicate check)."""
    points = []
    for spec in specs:
        cp = _build(party, spec)
        cp.save()
        _keep_one_primary(cp, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=cp,
            subject=party,
            changes=diff({}, snapshot(cp, FIELDS)),
        )
        points.append(cp)
    refresh_match_keys([party.pk])
    return points


@transaction.atomic
def contact_point_add(
    *, actor, party: Party, spec: ContactSpec, allow_duplicate: bool = False
) -> ContactPoint:
    require(actor, Action.CHANGE, party)
    cp = _build(party, spec)
    if not (allow_duplicate and may_override_duplicates(actor)):
        matches = duplicate_candidates(
            name_key=party.name_key,
            contacts=[(cp.kind, cp.normalized)],
            exclude_party_id=party.pk,
        )
        if matches:
            raise DuplicatePartyError(matches)
    return save_contact_points(actor=actor, party=party, specs=[spec])[0]


@transaction.atomic
def contact_point_update(
    *, actor, contact_point: ContactPoint, spec: ContactSpec, allow_duplicate: bool = False
) -> ContactPoint:
    """Change a contact point; only a changed number or address is checked for duplicates."""
    party = contact_point.party
    require(actor, Action.CHANGE, party)
    before = snapshot(contact_point, FIELDS)
    fresh = _build(party, spec)
    changed_key = (fresh.kind, fresh.normalized) != (contact_point.kind, contact_point.normalized)
    if changed_key and not (allow_duplicate and may_override_duplicates(actor)):
        matches = duplicate_candidates(
            name_key=party.name_key,
            contacts=[(fresh.kind, fresh.normalized)],
            exclude_party_id=party.pk,
        )
        if matches:
            raise DuplicatePartyError(matches)
    for name in [*FIELDS, "normalized"]:
        setattr(contact_point, name, getattr(fresh, name))
    contact_point.save()
    _keep_one_primary(contact_point, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=contact_point,
        subject=party,
        changes=diff(before, snapshot(contact_point, FIELDS)),
    )
    refresh_match_keys([party.pk])
    return contact_point


@transaction.atomic
def contact_point_remove(*, actor, contact_point: ContactPoint) -> None:
    party = contact_point.party
    require(actor, Action.CHANGE, party)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=contact_point,
        subject=party,
        changes=diff(snapshot(contact_point, FIELDS), {}),
    )
    contact_point.delete()
    refresh_match_keys([party.pk])
