"""Rules the database itself enforces, on SQLite and PostgreSQL alike: rows that must
never change (ledgers, committed results) refuse UPDATE and DELETE even from raw SQL."""

from django.db import migrations


def _sqlite(name: str, table: str, event: str, condition: str, message: str) -> str:
    when = f"WHEN {condition} " if condition else ""
    return (
        f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW "
        f"{when}BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    )


def forbid_changes(
    name: str, table: str, message: str, *, events=("UPDATE", "DELETE"), condition=""
):
    """A migration operation: `events` on `table` fail with `message` where `condition`
    (SQL over OLD, may hold a subquery) holds, or always."""
    sqlite = [_sqlite(name, table, e, condition, message) for e in events]
    sqlite_reverse = [f"DROP TRIGGER IF EXISTS {name}_{e.lower()};" for e in events]
    test = f"IF {condition} THEN " if condition else "IF TRUE THEN "
    postgres = [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN {test}RAISE EXCEPTION '{message}'; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;""",
        f"""CREATE TRIGGER {name} BEFORE {" OR ".join(events)} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {name}();""",
    ]
    postgres_reverse = [
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
        f"DROP FUNCTION IF EXISTS {name}();",
    ]

    def run(statements):
        def apply(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(
        run({"sqlite": sqlite, "postgresql": postgres}),
        run({"sqlite": sqlite_reverse, "postgresql": postgres_reverse}),
    )
