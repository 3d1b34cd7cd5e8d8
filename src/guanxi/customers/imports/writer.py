"""Writing one batch of an import: parties, contact points, tags, keys, records, audit.

`BatchWriter` is the writing half of `pipeline.ImportRun` (it uses the run's batch,
clock, tag cache and in-memory features); every table is written once per batch, in
bulk (COPY on PostgreSQL, executemany on SQLite).
"""

import json
from dataclasses import dataclass

from django.db import connection

from guanxi.core.audit import AUDIT_COLUMNS
from guanxi.core.bulk import insert_rows
from guanxi.core.choices import AuditAction
from guanxi.core.context import current_origin
from guanxi.core.models import AuditEvent
from guanxi.customers.choices import ImportOutcome, LifecycleStage, PartyKind, ReviewOrigin
from guanxi.customers.imports.prepare import contact_values
from guanxi.customers.imports.rows import CleanRow
from guanxi.customers.matching import store
from guanxi.customers.matching.engine import Features
from guanxi.customers.models import (
    DuplicateMember,
    DuplicateReview,
    FieldConflict,
    ImportRecord,
    MatchKey,
    Party,
    Tag,
)

PARTY_COLUMNS = [
    "id",
    "kind",
    "name",
    "name_pinyin",
    "name_initials",
    "name_key",
    "gender",
    "birthday",
    "source",
    "source_detail",
    "acquisition_cost",
    "lifecycle_stage",
    "owner_id",
    "notes",
    "created_by_id",
    "created_at",
    "updated_at",
]
CONTACT_COLUMNS = [
    "party_id",
    "kind",
    "value",
    "normalized",
    "label",
    "is_primary",
    "province",
    "city",
    "district",
    "created_at",
    "updated_at",
]
RECORD_COLUMNS = [
    "batch_id",
    "source_name",
    "external_key",
    "external_id",
    "row_number",
    "outcome",
    "party_id",
    "score",
    "created_at",
]


@dataclass
class Pending:
    """A row's fate within the current batch, before the batch is written."""

    row: CleanRow
    record: Features
    outcome: str = ImportOutcome.CREATED
    party_id: int | None = None
    score: float | None = None
    review_with: int | None = None
    reason: str = ""
    have: Features | None = None  # the matched party as known just before this row


class BatchWriter:
    """Writes a batch of matched rows (mixed into `pipeline.ImportRun`)."""

    def _tag_id(self, name: str) -> int:
        tag_id = self.tag_ids.get(name)
        if tag_id is None:
            tag_id = self.tag_ids[name] = Tag.objects.get_or_create(name=name)[0].pk
        return tag_id

    def _contacts(self, party_id: int, row: CleanRow, have: Features | None) -> list[tuple]:
        now = self.now_db
        values = row.contacts if have is None else contact_values(row, have)
        return [(party_id, *value, now, now) for value in values]

    def _write(self, pending: list[Pending], before: dict[int, Features]) -> None:
        batch, now = self.batch, self.now_db
        batch_id, source_name = batch.pk, batch.source_name
        new_rows: dict[int, list] = {}  # party id → its row in PARTY_COLUMNS order
        additions: dict[int, dict] = {}  # matched party → contacts and tags the import added
        contacts, tags, records = [], [], []
        new_records: list[Features] = []
        reviews: list[tuple[Pending, float]] = []
        updates: dict[int, dict] = {}
        conflicts: list[FieldConflict] = []
        for item in pending:
            row = item.row
            records.append(
                (
                    batch_id,
                    source_name,
                    row.key,
                    row.external_id,
                    row.row_number,
                    item.outcome,
                    item.party_id,
                    item.score,
                    now,
                )
            )
            if item.outcome == ImportOutcome.MATCHED:
                added = self._contacts(item.party_id, row, item.have)
                contacts.extend(added)
                if added and item.party_id not in new_rows:
                    noted = additions.setdefault(item.party_id, {})
                    noted.setdefault("contact_points", []).extend(c[2] for c in added)
                self._fill(item, new_rows.get(item.party_id), updates, conflicts)
            else:
                pinyin, initials, key = row.name_keys
                new_rows[item.party_id] = [
                    item.party_id,
                    PartyKind.ORGANISATION if row.is_org else PartyKind.PERSON,
                    row.name,
                    pinyin,
                    initials,
                    key,
                    row.gender,
                    row.birthday,
                    row.source or self.default_source,
                    (row.source_detail or batch.source_name)[:200],
                    batch.cost,
                    LifecycleStage.SUSPECT,
                    batch.owner_id,
                    "",
                    batch.created_by_id,
                    now,
                    now,
                ]
                contacts.extend(self._contacts(item.party_id, row, None))
                new_records.append(item.record)
                if item.outcome == ImportOutcome.REVIEW:
                    reviews.append((item, item.score))
            for tag in row.tags:
                tags.append((item.party_id, self._tag_id(tag)))
        parties = list(new_rows.values())
        insert_rows(Party._meta.db_table, PARTY_COLUMNS, parties)
        insert_rows("customers_contactpoint", CONTACT_COLUMNS, contacts)
        through = Party.tags.through
        if tags:
            # A party created by this batch has no tags yet: ask only about matched ones.
            matched = {p for p, _t in tags if p not in new_rows}
            existing = set(
                through.objects.filter(party_id__in=matched).values_list("party_id", "tag_id")
                if matched
                else ()
            )
            fresh = sorted(set(tags) - existing)
            insert_rows(through._meta.db_table, ["party_id", "tag_id"], fresh)
            names = {tag_id: name for name, tag_id in self.tag_ids.items()}
            for party_id, tag_id in fresh:
                if party_id not in new_rows:
                    noted = additions.setdefault(party_id, {})
                    noted.setdefault("tags_added", []).append(names[tag_id])
        # Fuzzy keys: new parties as they stand after the batch; matched parties gain
        # the keys the import added (a birthday filled in gives a name+birthday key).
        keys = [
            (r.ref, key) for r in new_records for key in store.fuzzy_keys(self.memory_rows[r.ref])
        ]
        for party_id, had_features in before.items():
            if party_id in new_rows:  # created by this batch: all its keys are above
                continue
            had = set(store.fuzzy_keys(had_features))
            keys.extend(
                (party_id, key)
                for key in store.fuzzy_keys(self.memory_rows[party_id])
                if key not in had
            )
        insert_rows(MatchKey._meta.db_table, ["party_id", "key"], keys)
        self._update_parties(updates)
        FieldConflict.objects.bulk_create(conflicts)
        self._reviews(reviews)
        insert_rows(ImportRecord._meta.db_table, RECORD_COLUMNS, records)
        self._audit(parties, updates, additions)

    def _update_parties(self, updates: dict[int, dict]) -> None:
        """Fill blank fields of matched parties: one statement per set of fields."""
        groups: dict[tuple[str, ...], list[tuple]] = {}
        ops = connection.ops
        for party_id, changes in updates.items():
            names = tuple(sorted(changes))
            values = [
                ops.adapt_datefield_value(changes[n]) if n == "birthday" else changes[n]
                for n in names
            ]
            groups.setdefault(names, []).append((*values, self.now_db, party_id))
        table = Party._meta.db_table
        with connection.cursor() as cursor:
            for names, rows in groups.items():
                assignments = ", ".join(f"{n} = %s" for n in (*names, "updated_at"))
                cursor.executemany(  # the names are the model's fields, not input
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    rows,
                )

    def _reviews(self, reviews: list[tuple[Pending, float]]) -> None:
        """The batch's review items (created row, earlier customer), in bulk."""
        made = DuplicateReview.objects.bulk_create(
            [
                DuplicateReview(
                    origin=ReviewOrigin.IMPORT, score=score, reason=item.reason, batch=self.batch
                )
                for item, score in reviews
            ]
        )
        DuplicateMember.objects.bulk_create(
            [
                DuplicateMember(review=review, party_id=party_id, score=score, reason=item.reason)
                for review, (item, score) in zip(made, reviews, strict=True)
                for party_id in (item.party_id, item.review_with)
            ]
        )

    def _fill(self, item: Pending, new_row: list | None, updates, conflicts) -> None:
        """Fill the matched party's blank fields; disagreements become FieldConflicts.

        `new_row` is set when the party is being created in this same batch; its row is
        patched instead of the database."""
        row, have = item.row, item.have
        changes = updates.setdefault(item.party_id, {})
        for field_name, index, incoming, current in (
            ("birthday", 7, row.birthday, have.birthday),
            ("gender", 6, row.gender, have.gender),
        ):
            if not incoming:
                continue
            if not current:
                if new_row is not None:
                    new_row[index] = incoming
                else:
                    changes.setdefault(field_name, incoming)
            elif incoming != current:
                conflicts.append(
                    FieldConflict(
                        party_id=item.party_id,
                        field=field_name,
                        current_value=str(current),
                        incoming_value=str(incoming),
                        batch=self.batch,
                        row_number=row.row_number,
                    )
                )
        if not changes:
            updates.pop(item.party_id)

    def _audit(self, parties, updates, additions) -> None:
        """The audit trail of a batch, written in bulk.

        New customers share one event per import (the batch's first with new customers):
        the import's ImportRecords name each customer it created, and the customer's
        History shows the import's event (`party_history_events`). Each customer the
        import changed gets its own event with the fields and contact methods added.
        """
        source = {"import": [None, self.batch.pk]}
        rows = []
        if parties and not self.audited_creation:
            self.audited_creation = True
            batch = self.batch
            changes = {
                **source,
                "file_name": [None, batch.file_name],
                "source_name": [None, batch.source_name],
                "cost": [None, str(batch.cost)],
            }
            rows.append(
                ("customers.importbatch", batch.pk, str(batch), AuditAction.IMPORT, changes)
            )
        for party_id in updates.keys() | additions.keys():
            diff = {k: [None, str(v)] for k, v in updates.get(party_id, {}).items()}
            diff.update({k: [None, v] for k, v in additions.get(party_id, {}).items()})
            rows.append(("customers.party", party_id, "", AuditAction.UPDATE, {**source, **diff}))
        actor, origin = self.actor, current_origin()
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        actor_repr = str(actor) if actor is not None else "system"
        insert_rows(
            AuditEvent._meta.db_table,
            AUDIT_COLUMNS,
            [
                (
                    self.now_db,
                    actor_id,
                    actor_repr,
                    origin.request_id,
                    origin.ip_address,
                    action,
                    label,
                    str(pk),
                    name[:200],
                    label,
                    str(pk),
                    json.dumps(changes, ensure_ascii=False, default=str),
                )
                for label, pk, name, action, changes in rows
            ],
        )
