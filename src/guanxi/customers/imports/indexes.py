"""Secondary indexes of the tables an import fills, set aside during a bulk load.

A new customer adds about fifteen entries at random places in the secondary indexes of
customers, contact methods, match keys and import records; building an index once from
the loaded rows (a sort) costs a fraction of that. So a bulk load (a file several times
larger than the customers already stored, see `pipeline.BULK_FACTOR`) drops these
indexes first and builds them again at its end. Matching then needs no index: it looks
keys up in memory (`pipeline.ImportRun` loads the few stored customers first).

Only non-unique indexes are set aside, and only those the models declare (their SQL
comes from Django's schema editor, so names and definitions are the migrations'):
unique constraints keep guarding the data, and a run killed in the middle leaves
nothing that `restore_indexes` (called by every import run) cannot put back.

One bulk load at a time: it holds `bulk_lock` (a PostgreSQL session advisory lock, or
an OS file lock beside the SQLite file), which dies with its process, so a kill frees
it. Another import that starts meanwhile is not a bulk load, and leaves the indexes to
the running bulk load (which builds them at its end) instead of rebuilding them under it.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator

from django.db import connection

from guanxi.customers.models import ContactPoint, ImportRecord, MatchKey, Party

BULK_MODELS = (Party, ContactPoint, MatchKey, ImportRecord)


def _statements() -> list[tuple[str, str, str]]:
    """(table, index name, CREATE INDEX statement) of each secondary index."""
    editor = connection.schema_editor()
    found = []
    for model in BULK_MODELS:
        # The statements create_model would run: foreign-key and Meta indexes.
        for statement in editor._model_indexes_sql(model):  # noqa: SLF001
            name = str(statement.parts["name"]).strip('"')
            sql = str(statement)
            # Two runs may restore at once (a kill's remnants): the later one skips.
            if sql.startswith("CREATE INDEX "):
                sql = "CREATE INDEX IF NOT EXISTS " + sql[len("CREATE INDEX ") :]
            found.append((model._meta.db_table, name, sql))
    return found


def _existing(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in constraints.items() if info.get("index")}


def _present() -> set[str]:
    return {name for model in BULK_MODELS for name in _existing(model._meta.db_table)}


@contextlib.contextmanager
def _no_pending_checks(cursor):
    """PostgreSQL refuses to change a table's indexes while deferred foreign-key checks
    on it are pending: inside a caller's transaction (a test, a task wrapped in one) run
    them now, and defer the later ones again afterwards."""
    deferred = connection.vendor == "postgresql" and connection.in_atomic_block
    if deferred:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def missing_indexes() -> list[str]:
    """Names of the secondary indexes that are not there (after a killed bulk load)."""
    present = _present()
    return [name for _table, name, _sql in _statements() if name not in present]


def drop_indexes() -> list[str]:
    """Drop the secondary indexes; returns the names dropped."""
    present, dropped = _present(), []
    with connection.cursor() as cursor, _no_pending_checks(cursor):
        for _table, name, _sql in _statements():
            if name in present:
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
                dropped.append(name)
    return dropped


def restore_indexes() -> list[str]:
    """Create whichever secondary indexes are missing; returns their names."""
    present, created = _present(), []
    if all(name in present for _table, name, _sql in _statements()):
        return created
    with connection.cursor() as cursor, _no_pending_checks(cursor):
        if connection.vendor == "postgresql":
            # Sorting an index of millions of keys in memory instead of in temp files.
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for _table, name, sql in _statements():
            if name not in present:
                cursor.execute(sql)
                created.append(name)
        if connection.vendor == "postgresql":
            cursor.execute("RESET maintenance_work_mem")
    return created


_LOCK_KEY = 0x6775_616E_7869_0001 & 0x7FFF_FFFF_FFFF_FFFF  # "guanxi" + 1, a bigint


def _lock_path() -> str:
    name = str(connection.settings_dict["NAME"])
    if os.path.isabs(name) and os.path.isdir(os.path.dirname(name)):
        return name + ".bulk-lock"
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]  # an in-memory test database
    return os.path.join(tempfile.gettempdir(), f"guanxi-{digest}.bulk-lock")


@contextlib.contextmanager
def bulk_lock() -> Iterator[bool]:
    """Try to become the one bulk load of this database; yields whether it did."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
        return
    handle = open(_lock_path(), "a")  # noqa: SIM115 — closed below, after the unlock
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except BlockingIOError:
            held = False
        yield held
    finally:
        handle.close()  # closing releases the lock


def restore_unless_bulk_running() -> list[str]:
    """`restore_indexes`, unless a bulk load is running (it restores them at its end)."""
    with bulk_lock() as free:
        return restore_indexes() if free else []
