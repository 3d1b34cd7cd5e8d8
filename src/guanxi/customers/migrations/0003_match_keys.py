from django.db import migrations


def build_match_keys(apps, schema_editor):
    # The runtime code reads the current schema, which this migration has just reached.
    from guanxi.customers.matching.store import rebuild_match_keys

    rebuild_match_keys()


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_import_dedup_merge")]

    operations = [migrations.RunPython(build_match_keys, migrations.RunPython.noop)]
