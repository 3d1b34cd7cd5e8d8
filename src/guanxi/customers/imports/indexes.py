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
"""

import contextlib

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
            found.append((model._meta.db_table, name, str(statement)))
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
