"""The import pipeline: validate, match and write a customer file in batches.

Each batch of rows is one transaction: its new parties, contact points, tags, fuzzy
keys, field conflicts, review items and ImportRecords commit together. ImportRecord is
unique on (source, external_key), so a run killed midway is rerun safely: rows already
recorded are reported with their earlier outcome and not written again.

Matching looks at the database (exact keys through contact points, fuzzy keys through
MatchKey) and at the rows of the run not yet committed; earlier batches are in the
database by then. A dry run writes nothing, so it keeps every row of the run in memory.
"""

import contextlib
import csv
import gc
import json
import logging
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.audit import AUDIT_COLUMNS
from guanxi.core.bulk import allocate_ids, db_datetime, insert_rows
from guanxi.core.choices import AuditAction
from guanxi.core.context import current_origin
from guanxi.core.models import AuditEvent
from guanxi.customers.choices import (
    ImportOutcome,
    LifecycleStage,
    PartyKind,
    ReviewOrigin,
    Source,
)
from guanxi.customers.imports import indexes
from guanxi.customers.imports.prepare import contact_values, prepared_chunks, unpack
from guanxi.customers.imports.reader import FileProblem, open_table
from guanxi.customers.imports.rows import CleanRow
from guanxi.customers.matching import store
from guanxi.customers.matching.engine import (
    BLOCK_CAP,
    MATCH_AT,
    BlockIndex,
    Features,
    best_match,
)
from guanxi.customers.models import (
    DuplicateMember,
    DuplicateReview,
    FieldConflict,
    ImportBatch,
    ImportRecord,
    MatchKey,
    Party,
    Tag,
)

log = logging.getLogger(__name__)

OUTCOME_COLUMNS = ["row_number", "external_id", "outcome", "party_id", "score"]
ERROR_COLUMNS = ["row_number", "column", "reason"]
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
# Rows per transaction. A batch writes into every index of the tables it touches at
# random places; larger batches write each changed index page once for more rows.
BATCH_ROWS = 100_000
PIECE_ROWS = 5_000  # rows the reading process hands over at a time
# A bulk load (see imports/indexes.py): the file holds at least BULK_MIN_ROWS rows and
# BULK_FACTOR times the customers stored. Rows are estimated from the file's size.
BULK_MIN_ROWS = 50_000
BULK_FACTOR = 4
BYTES_PER_ROW = 100


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    rows: int = 0
    already: int = 0

    def as_dict(self) -> dict:
        return {
            **{k.value: self.counts[k] for k in ImportOutcome},
            "rows": self.rows,
            "already_imported": self.already,
        }


@dataclass
class _Pending:
    """A row's fate within the current batch, before the batch is written."""

    row: CleanRow
    record: Features
    outcome: str = ImportOutcome.CREATED
    party_id: int | None = None
    score: float | None = None
    review_with: int | None = None
    reason: str = ""
    have: Features | None = None  # the matched party as known just before this row


class ImportRun:
    """Runs one ImportBatch; writes the outcome and error reports to open text files."""

    def __init__(
        self,
        batch: ImportBatch,
        *,
        actor=None,
        outcome_file=None,
        errors_file=None,
        progress: Callable[[int], None] | None = None,
        batch_rows: int | None = None,
        match: bool = True,
        second_process: bool | None = None,
        bulk_load: bool | None = None,
    ):
        self.batch = batch
        self.second_process = second_process
        self.bulk_load = bulk_load  # None: decided from the file's size (`_is_bulk`)
        self.bulk = False
        self.actor = actor
        self.progress = progress
        self.batch_rows = batch_rows or BATCH_ROWS
        self.match = match
        self.outcome = csv.writer(outcome_file) if outcome_file else None
        self.errors = csv.writer(errors_file) if errors_file else None
        if self.outcome:
            self.outcome.writerow(OUTCOME_COLUMNS)
        if self.errors:
            self.errors.writerow(ERROR_COLUMNS)
        self.summary = Summary()
        self.outcomes: list[list] = []
        self.seen_keys: dict[str, int] = {}
        self.memory = BlockIndex()  # rows of this run not yet in the database
        self.memory_rows: dict[int, Features] = {}
        self.source_known = True  # an earlier run of this source may have recorded rows
        self.tag_ids: dict[str, int] = {}
        self.audited_creation = False  # the import's event for its new customers is written
        self.now = timezone.now()
        self.now_db = db_datetime(self.now)  # for rows written by insert_rows
        known = batch.source_name in Source.values
        self.default_source = batch.source_name if known else Source.OTHER

    # ---- reporting -------------------------------------------------------------

    def _error(self, row_number: int, column: str, reason: str) -> None:
        if self.errors:
            self.errors.writerow([row_number, column, reason])

    def _outcome(self, row_number, external_id, outcome, party_id=None, score=None) -> None:
        self.summary.counts[outcome] += 1
        self.outcomes.append(
            [row_number, external_id, outcome, party_id or "", "" if score is None else score]
        )

    def _flush(self) -> None:
        """Write the chunk's outcome rows in input order."""
        if self.outcome:
            self.outcome.writerows(sorted(self.outcomes, key=lambda r: r[0]))
        self.outcomes = []

    # ---- the run ---------------------------------------------------------------

    def _is_bulk(self) -> bool:
        """Whether this run is a bulk load (secondary indexes set aside, matching in memory)."""
        if self.batch.dry_run:
            return False
        if self.bulk_load is not None:
            return self.bulk_load
        rows = os.path.getsize(self.batch.file_path) // BYTES_PER_ROW
        return rows >= BULK_MIN_ROWS and rows >= BULK_FACTOR * store.party_count()

    def run(self) -> Summary:
        table = open_table(self.batch.file_path)
        if not self.batch.dry_run:
            self.bulk = self._is_bulk()
            # A bulk load killed midway left its indexes dropped: any later run restores.
            if self.bulk:
                indexes.drop_indexes()
            else:
                indexes.restore_indexes()
            self.source_known = ImportRecord.objects.filter(
                source_name=self.batch.source_name
            ).exists()
        if self.bulk and self.match:
            # The few stored customers, in memory: matching asks no index of the database.
            for record in store.iter_all_features():
                self.memory.add(record)
                self.memory_rows[record.ref] = record
        tuned = connection.vendor == "sqlite" and not self.batch.dry_run
        if tuned:
            # A large import inserts into big indexes at random places: a page cache of
            # 1 GB (instead of 64 MB) keeps them in memory, and checkpointing the WAL
            # every ~400 MB instead of every 4 MB writes a page changed by many batches
            # once. Both are this connection's and are put back afterwards.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-1048576")
                cursor.execute("PRAGMA wal_autocheckpoint=100000")
        # Each batch allocates millions of short-lived objects; the cyclic collector
        # would walk the whole heap again and again. Reference counting frees them;
        # young cycles are collected once per batch.
        gc_enabled = gc.isenabled()
        gc.freeze()
        gc.disable()
        try:
            return self._run(table)
        finally:
            if self.bulk:
                indexes.restore_indexes()
            if gc_enabled:
                gc.enable()
            gc.unfreeze()
            if tuned:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA cache_size=-64000")
                    cursor.execute("PRAGMA wal_autocheckpoint=1000")

    def _run(self, table) -> Summary:
        mapping = {int(k): v for k, v in (self.batch.mapping or {}).items()}
        if not mapping:
            from guanxi.customers.imports.reader import guess_mapping

            mapping = guess_mapping(table.header)
        if not mapping:
            raise FileProblem(
                _(
                    "No column of the header is known (%(header)s). Expected columns such as "
                    "name, mobile, email or 姓名, 手机."
                )
                % {"header": ", ".join(h[:30] for h in table.header[:8])}
            )
        if "name" not in mapping.values():
            raise FileProblem(_("The file has no name column (name / 姓名)."))
        # The file arrives in small pieces (matching can start at once) and is matched
        # and written in batches of `batch_rows` (fewer, larger transactions).
        piece = min(PIECE_ROWS, self.batch_rows)
        pieces = prepared_chunks(
            table,
            self.batch.file_path,
            mapping,
            piece,
            ahead=2 * self.batch_rows // piece,
            second_process=self.second_process,
        )
        batch: list[tuple] = []
        # The first batches are smaller, so that matching starts soon after reading does.
        size = min(self.batch_rows, 4 * piece)
        with contextlib.closing(pieces):
            for items in pieces:
                batch.extend(items)
                if len(batch) >= size:
                    self._run_chunk(batch)
                    batch = []
                    size = min(self.batch_rows, 2 * size)
                    gc.collect(1)
        if batch:
            self._run_chunk(batch)
        return self.summary

    def _run_chunk(self, chunk: list[tuple]) -> None:
        valid: list[tuple[CleanRow, Features]] = []
        for item in chunk:
            self.summary.rows += 1
            if len(item) == 3:  # a bad row: (row number, external_id, errors)
                row_number, external_id, errors = item
                self._report_error(row_number, external_id, errors)
                continue
            row, record = unpack(item)
            first = self.seen_keys.get(row.key)
            if first is not None:
                column = "external_id" if row.external_id else "*"
                reason = _("repeats row %(row)s of this file") % {"row": first}
                self._report_error(row.row_number, row.external_id, [(column, reason)])
                continue
            self.seen_keys[row.key] = row.row_number
            valid.append((row, record))
        done = self._recorded([row.key for row, _record in valid])
        todo = []
        for row, record in valid:
            earlier = done.get(row.key)
            if earlier:
                self.summary.already += 1
                self._outcome(row.row_number, row.external_id, *earlier)
            else:
                todo.append(_Pending(row, record))
        if todo:
            if self.batch.dry_run:
                self._match_and_write(todo)
            else:
                with transaction.atomic():
                    if connection.vendor == "postgresql":
                        # A batch lost to a crash right after its commit is redone by
                        # the rerun (its ImportRecords are lost with it).
                        with connection.cursor() as cursor:
                            cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    self._match_and_write(todo)
                if not self.bulk or not self.match:
                    # Later batches find these rows in the database; a bulk load keeps
                    # them in memory, as its indexes are set aside.
                    self.memory = BlockIndex()
                    self.memory_rows = {}
        self._flush()
        if self.progress:
            self.progress(self.summary.rows)

    def _report_error(self, row_number: int, external_id: str, errors) -> None:
        for column, reason in errors:
            self._error(row_number, column, reason)
        self._outcome(row_number, external_id, ImportOutcome.ERROR)

    def _recorded(self, keys: list[str]) -> dict[str, tuple]:
        """(outcome, party id, score) of the keys an earlier run of the source wrote."""
        found = {}
        if not self.source_known:  # a source's first run: repeats are in `seen_keys`
            return found
        with connection.cursor() as cursor:
            for start in range(0, len(keys), 5000):
                sql, params = store.text_in("external_key", keys[start : start + 5000])
                cursor.execute(  # the table is the model's; every value is a parameter
                    "SELECT external_key, outcome, party_id, score "  # noqa: S608
                    f"FROM {ImportRecord._meta.db_table} WHERE source_name = %s AND {sql}",
                    [self.batch.source_name, *params],
                )
                found.update((key, tuple(rest)) for key, *rest in cursor.fetchall())
        return found

    # ---- matching --------------------------------------------------------------

    def _match_and_write(self, pending: list[_Pending]) -> None:
        by_key: dict[str, list[int]] = {}
        if self.match and not self.bulk:
            keys = {key for p in pending for key in p.record.block_keys()}
            by_key = store.candidate_ids(keys, cap=BLOCK_CAP)
        stored = store.load_features({pid for ids in by_key.values() for pid in ids})
        new_ids = (
            iter(allocate_ids(Party._meta.db_table, len(pending)))
            if not self.batch.dry_run
            else None
        )
        fake_id = -(10**12)
        before: dict[int, Features] = {}  # matched parties as they were before this batch
        for item in pending:
            record = item.record
            candidates = {}
            for key in record.block_keys():
                for pid in by_key.get(key, ()):
                    if pid in stored and pid not in self.memory_rows:
                        candidates[pid] = stored[pid]
            if self.match:
                candidates.update(self.memory.candidates(record))
            best = best_match(record, candidates.values())
            if best and best.weight >= MATCH_AT:
                item.outcome, item.party_id, item.score = ImportOutcome.MATCHED, best.b, best.score
                target = item.have = candidates[best.b]
                before.setdefault(best.b, target)
                merged = _combined(target, record)
                self.memory_rows[best.b] = merged
                self.memory.add(merged)
                continue
            if new_ids is not None:
                item.party_id = next(new_ids)
            else:
                fake_id += 1
                item.party_id = fake_id
            if best:
                item.outcome, item.score = ImportOutcome.REVIEW, best.score
                item.review_with, item.reason = best.b, best.reason
            record.ref = item.party_id
            self.memory_rows[item.party_id] = record
            if self.match:
                self.memory.add(record)
        if not self.batch.dry_run:
            self._write(pending, before)
        for item in pending:
            self._outcome(
                item.row.row_number,
                item.row.external_id,
                item.outcome,
                item.party_id if item.party_id and item.party_id > 0 else None,
                item.score,
            )

    # ---- writing ---------------------------------------------------------------

    def _tag_id(self, name: str) -> int:
        tag_id = self.tag_ids.get(name)
        if tag_id is None:
            tag_id = self.tag_ids[name] = Tag.objects.get_or_create(name=name)[0].pk
        return tag_id

    def _contacts(self, party_id: int, row: CleanRow, have: Features | None) -> list[tuple]:
        now = self.now_db
        values = row.contacts if have is None else contact_values(row, have)
        return [(party_id, *value, now, now) for value in values]

    def _write(self, pending: list[_Pending], before: dict[int, Features]) -> None:
        batch, now = self.batch, self.now_db
        new_rows: dict[int, list] = {}  # party id → its row in PARTY_COLUMNS order
        additions: dict[int, dict] = {}  # matched party → contacts and tags the import added
        contacts, tags, records = [], [], []
        new_records: list[Features] = []
        reviews: list[tuple[_Pending, float]] = []
        updates: dict[int, dict] = {}
        conflicts: list[FieldConflict] = []
        for item in pending:
            row = item.row
            records.append(
                (
                    batch.pk,
                    batch.source_name,
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

    def _reviews(self, reviews: list[tuple[_Pending, float]]) -> None:
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

    def _fill(self, item: _Pending, new_row: list | None, updates, conflicts) -> None:
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


def _combined(target: Features, incoming: Features) -> Features:
    """A matched party's features with what the import adds (for later rows of the run)."""
    return Features(
        ref=target.ref,
        name=target.name,
        sound=target.sound,
        is_cjk=target.is_cjk,
        mobiles=target.mobiles | incoming.mobiles,
        landlines=target.landlines | incoming.landlines,
        emails=target.emails | incoming.emails,
        wechats=target.wechats | incoming.wechats,
        birthday=target.birthday or incoming.birthday,
        gender=target.gender or incoming.gender,
        city=target.city or incoming.city,
        address=target.address or incoming.address,
        house=target.house if target.address else incoming.house,
        is_org=target.is_org,
    )
