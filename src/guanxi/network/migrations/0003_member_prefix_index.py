"""Prefix search on member numbers (LIKE 'GX10%') through an index on PostgreSQL whatever
its collation. SQLite needs none: its unique index is binary-ordered and searched by range."""

from django.db import migrations

CREATE = (
    "CREATE INDEX distributor_member_prefix_idx "
    "ON network_distributor (member_id varchar_pattern_ops)"
)
DROP = "DROP INDEX IF EXISTS distributor_member_prefix_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("network", "0002_immutable_ledger_and_results")]
    operations = [migrations.RunPython(forwards, backwards)]
