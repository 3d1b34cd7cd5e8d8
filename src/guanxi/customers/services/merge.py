"""Merging duplicate parties into one survivor, and undoing a merge (admins, 30 days).

Every model with a foreign key to Party is found through Django's model registry
(`Party._meta.related_objects`), so records of apps written later (orders, tickets,
leads) move to the survivor without this module knowing them. A model that needs more
than "point the key at the survivor" registers a handler with `register_merge_handler`
(contact points drop exact repeats; unique constraints such as one role per party drop
the merged party's copy). Whatever a merge moves, changes or removes is written to the
Merge row, which is what an undo replays backwards.
"""

import datetime
from collections.abc import Callable

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import audit_record, snapshot
from guanxi.core.choices import AuditAction
from guanxi.core.visibility import Action, role_allows
from guanxi.customers.choices import ReviewStatus
from guanxi.customers.matching.store import refresh_match_keys
from guanxi.customers.models import (
    ContactPoint,
    DistinctPair,
    DuplicateReview,
    MatchKey,
    Merge,
    Party,
)
from guanxi.customers.services.parties import FIELDS, set_name_keys

UNDO_DAYS = 30
MERGEABLE_FIELDS = list(FIELDS)
# Relations a merge leaves alone: decisions about pairs, derived keys, the merge log.
SKIP = {DistinctPair, MatchKey, Merge, Party}

Handler = Callable[[models.Model, str, Party, list[int], dict], None]
_handlers: dict[type[models.Model], Handler] = {}


def register_merge_handler(model: type[models.Model], handler: Handler) -> None:
    """Let `model` decide how its rows move from merged parties to the survivor."""
    _handlers[model] = handler


def _row_data(obj: models.Model) -> str:
    return serializers.serialize("json", [obj])


def _move_rows(model, field: str, survivor: Party, merged_ids: list[int], log: dict) -> None:
    """Default: point the key at the survivor. A row that would break a unique constraint
    including that key is removed instead (the survivor already has its twin)."""
    unique_sets = [
        [model._meta.get_field(f).attname for f in constraint.fields if f != field]
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and field in constraint.fields
    ]
    unique_sets = [others for others in unique_sets if others]
    if model._meta.get_field(field).unique:  # one row per party (a portal login)
        rows = model._base_manager.filter(**{f"{field}__in": merged_ids})
        if rows.exists() and model._base_manager.filter(**{field: survivor}).exists():
            raise ValidationError(
                _("More than one of these records has a %(what)s; only one can be kept.")
                % {"what": model._meta.verbose_name}
            )
    taken = [
        set(model._base_manager.filter(**{field: survivor}).values_list(*others))
        for others in unique_sets
    ]
    attname = model._meta.get_field(field).attname
    for obj in model._base_manager.filter(**{f"{field}__in": merged_ids}).order_by("pk"):
        values = [tuple(getattr(obj, f) for f in others) for others in unique_sets]
        if any(v in seen for v, seen in zip(values, taken, strict=True)):
            log["removed"].append(_row_data(obj))
            obj.delete()
            continue
        for v, seen in zip(values, taken, strict=True):
            seen.add(v)
        log["moved"].append([model._meta.label, obj.pk, attname, getattr(obj, attname), {}])
        model._base_manager.filter(pk=obj.pk).update(**{attname: survivor.pk})


def _move_contact_points(model, field, survivor: Party, merged_ids: list[int], log: dict) -> None:
    have = {
        (kind, normalized): primary
        for kind, normalized, primary in ContactPoint.objects.filter(party=survivor).values_list(
            "kind", "normalized", "is_primary"
        )
    }
    primary_kinds = {kind for (kind, _n), primary in have.items() if primary}
    for cp in ContactPoint.objects.filter(party_id__in=merged_ids).order_by("id"):
        if (cp.kind, cp.normalized) in have:
            log["removed"].append(_row_data(cp))
            cp.delete()
            continue
        have[(cp.kind, cp.normalized)] = cp.is_primary
        changed = {}
        if cp.is_primary and cp.kind in primary_kinds:
            changed = {"is_primary": True}  # the survivor's primary stays primary
        elif cp.is_primary:
            primary_kinds.add(cp.kind)
        log["moved"].append([model._meta.label, cp.pk, "party_id", cp.party_id, changed])
        ContactPoint.objects.filter(pk=cp.pk).update(
            party=survivor, is_primary=cp.is_primary and not changed
        )


register_merge_handler(ContactPoint, _move_contact_points)


def _move_distinct_pairs(survivor: Party, merged_ids: list[int], log: dict) -> None:
    """ "Not the same as X" said of a merged record now holds for the survivor."""
    label = DistinctPair._meta.label
    rows = DistinctPair.objects.filter(low_id__in=merged_ids) | DistinctPair.objects.filter(
        high_id__in=merged_ids
    )
    for pair in rows.order_by("pk"):
        others = {pair.low_id, pair.high_id} - set(merged_ids) - {survivor.pk}
        low, high = (min(survivor.pk, *others), max(survivor.pk, *others)) if others else (0, 0)
        taken = DistinctPair.objects.filter(low_id=low, high_id=high).exclude(pk=pair.pk)
        if not others or taken.exists():
            log["removed"].append(_row_data(pair))
            pair.delete()
            continue
        log["moved"].append([label, pair.pk, "low_id", pair.low_id, {"high_id": pair.high_id}])
        DistinctPair.objects.filter(pk=pair.pk).update(low_id=low, high_id=high)


def _relations():
    """Every (model, field) pointing at Party, hidden ones (related_name="+") included."""
    for rel in Party._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        if rel.related_model in SKIP or rel.related_model._meta.auto_created:
            continue  # pair decisions, derived keys, the merge log, m2m through tables
        yield rel.related_model, rel.field.name


def _check(actor, parties: list[Party]) -> None:
    if not role_allows(actor, Action.MERGE):
        raise PermissionDenied(_("You do not have permission to merge customers."))
    allowed = set(
        Party.objects.visible_to(actor, Action.MERGE)
        .filter(pk__in=[p.pk for p in parties])
        .values_list("pk", flat=True)
    )
    if len(allowed) != len({p.pk for p in parties}):
        raise PermissionDenied(_("You may not merge customers you cannot edit."))


def parties_merge(
    *, actor, survivor_id: int, merged_ids: list[int], choices: dict[str, int] | None = None
) -> Merge:
    """Merge `merged_ids` into `survivor_id`.

    `choices` maps a field to the party whose value the survivor keeps; a field not
    chosen keeps the survivor's value, or the first merged party's if the survivor's
    is blank. Raises ValidationError for an impossible merge.
    """
    choices = dict(choices or {})
    merged_ids = [pk for pk in dict.fromkeys(merged_ids) if pk != survivor_id]
    if not merged_ids:
        raise ValidationError(_("Choose at least two customers to merge."))
    with transaction.atomic():
        parties = {
            p.pk: p
            for p in Party.objects.select_for_update().filter(pk__in=[survivor_id, *merged_ids])
        }
        if len(parties) != len(merged_ids) + 1:
            raise ValidationError(_("Some of these customers no longer exist."))
        if any(p.merged_into_id for p in parties.values()):
            raise ValidationError(_("Some of these customers were merged already."))
        _check(actor, list(parties.values()))
        survivor = parties[survivor_id]
        before = snapshot(survivor, MERGEABLE_FIELDS)
        for name in MERGEABLE_FIELDS:
            source_id = choices.get(name)
            if source_id is not None:
                if source_id not in parties:
                    raise ValidationError({name: _("Choose one of the merged customers.")})
                source = parties[source_id]
            else:
                blank = getattr(survivor, name) in (None, "")
                source = (
                    next(
                        (
                            parties[pk]
                            for pk in merged_ids
                            if getattr(parties[pk], name) not in (None, "")
                        ),
                        survivor,
                    )
                    if blank
                    else survivor
                )
            field = Party._meta.get_field(name)
            setattr(survivor, field.attname, getattr(source, field.attname))
        set_name_keys(survivor)
        survivor.save()
        after = snapshot(survivor, MERGEABLE_FIELDS)
        log = {"moved": [], "removed": [], "tags": []}
        for model, field in _relations():
            _handlers.get(model, _move_rows)(model, field, survivor, merged_ids, log)
        _move_distinct_pairs(survivor, merged_ids, log)
        have_tags = set(survivor.tags.values_list("pk", flat=True))
        for tag_id in Party.tags.through.objects.filter(party_id__in=merged_ids).values_list(
            "tag_id", flat=True
        ):
            if tag_id not in have_tags:
                have_tags.add(tag_id)
                log["tags"].append(tag_id)
        survivor.tags.add(*log["tags"])
        Party.objects.filter(pk__in=merged_ids).update(merged_into=survivor)
        MatchKey.objects.filter(party_id__in=merged_ids).delete()
        refresh_match_keys([survivor.pk])
        # Review items now name the survivor (moved above); those left with one customer
        # are done.
        for review in DuplicateReview.objects.filter(
            status=ReviewStatus.OPEN, members__party=survivor
        ).distinct():
            if review.members.count() < 2:
                review.status = ReviewStatus.MERGED
                review.resolved_by, review.resolved_at = actor, timezone.now()
                review.save(update_fields=["status", "resolved_by", "resolved_at"])
        merge = Merge.objects.create(
            survivor=survivor,
            merged_ids=merged_ids,
            choices={k: v for k, v in choices.items() if k in MERGEABLE_FIELDS},
            before={"fields": before, "after": after, "tags_added": log["tags"]},
            moved=log["moved"],
            removed=log["removed"],
            created_by=actor,
        )
        changes = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
        audit_record(
            actor=actor,
            action=AuditAction.MERGE,
            obj=survivor,
            changes={"merged": [None, merged_ids], "merge": [None, merge.pk], **changes},
        )
        for pk in merged_ids:
            audit_record(
                actor=actor,
                action=AuditAction.MERGE,
                obj=parties[pk],
                changes={"merged_into": [None, survivor.pk], "merge": [None, merge.pk]},
            )
    return merge


def merge_undo(*, actor, merge: Merge, now: datetime.datetime | None = None) -> None:
    """Put the merged parties back as they were; admins only, within 30 days."""
    if not getattr(actor, "is_admin_role", False):
        raise PermissionDenied(_("Only administrators can undo a merge."))
    now = now or timezone.now()
    if merge.undone_at:
        raise ValidationError(_("This merge was undone already."))
    if now - merge.created_at > datetime.timedelta(days=UNDO_DAYS):
        raise ValidationError(
            _("A merge can be undone within %(days)s days only.") % {"days": UNDO_DAYS}
        )
    with transaction.atomic():
        merged = list(Party.objects.select_for_update().filter(pk__in=merge.merged_ids))
        survivor = Party.objects.select_for_update().get(pk=merge.survivor_id)
        involved = {merge.survivor_id, *merge.merged_ids}
        later = Merge.objects.filter(pk__gt=merge.pk, undone_at__isnull=True)
        if (
            survivor.merged_into_id
            or any(p.merged_into_id != merge.survivor_id for p in merged)
            or any(m.survivor_id in involved or involved & set(m.merged_ids) for m in later)
        ):
            raise ValidationError(
                _("These customers have changed since; undo the later merge first.")
            )
        for label, pk, field, old_party, changed in reversed(merge.moved):
            model = apps.get_model(label)
            model._base_manager.filter(pk=pk).update(**{field: old_party, **changed})
        for data in merge.removed:
            for obj in serializers.deserialize("json", data):
                obj.save()
        survivor.tags.remove(*merge.before.get("tags_added", []))
        # Put back only what the merge changed and nobody has changed since.
        before, after = merge.before.get("fields", {}), merge.before.get("after", {})
        current = snapshot(survivor, MERGEABLE_FIELDS)
        restored = {}
        for name, value in before.items():
            if value == after.get(name) or current.get(name) != after.get(name):
                continue
            field = Party._meta.get_field(name)
            if isinstance(field, models.ForeignKey):
                setattr(survivor, field.attname, value)
            else:
                setattr(survivor, name, field.to_python(value))
            restored[name] = [current.get(name), value]
        set_name_keys(survivor)
        survivor.save()
        Party.objects.filter(pk__in=merge.merged_ids).update(merged_into=None)
        refresh_match_keys([survivor.pk, *merge.merged_ids])
        merge.undone_by, merge.undone_at = actor, now
        merge.save(update_fields=["undone_by", "undone_at"])
        for party in [survivor, *merged]:
            changes = {"merge": [merge.pk, None]}
            if party is survivor:
                changes.update(restored)
            audit_record(actor=actor, action=AuditAction.UNMERGE, obj=party, changes=changes)


def mark_distinct(*, actor, review: DuplicateReview) -> None:
    """ "Not the same": remember every pair of the review so it is never proposed again."""
    with transaction.atomic():
        review = DuplicateReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            raise ValidationError(_("This item was decided already."))
        ids = sorted(review.members.values_list("party_id", flat=True))
        _check(actor, list(Party.objects.filter(pk__in=ids)))
        for i, low in enumerate(ids):
            for high in ids[i + 1 :]:
                DistinctPair.objects.get_or_create(
                    low_id=low, high_id=high, defaults={"created_by": actor}
                )
        review.status = ReviewStatus.DISTINCT
        review.resolved_by, review.resolved_at = actor, timezone.now()
        review.save(update_fields=["status", "resolved_by", "resolved_at"])
