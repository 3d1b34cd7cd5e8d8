"""The deal keeps a copy of its customer's owner (Opportunity.party_owner), maintained by
database triggers on SQLite and PostgreSQL, so visibility over many deals needs no join
with the customer table. Every path that changes an owner is covered, the raw-SQL pool
recycle and merges included, because the database does the copying."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE = [
    "UPDATE sales_opportunity SET party_owner_id = "
    "(SELECT owner_id FROM customers_party p WHERE p.id = sales_opportunity.party_id)",
    # SQLite cannot change NEW in a trigger: the row is corrected right after it is
    # written. recursive_triggers is off, so these updates do not fire themselves.
    """CREATE TRIGGER sales_deal_party_owner_insert AFTER INSERT ON sales_opportunity
       BEGIN UPDATE sales_opportunity SET party_owner_id =
           (SELECT owner_id FROM customers_party WHERE id = NEW.party_id)
         WHERE id = NEW.id; END;""",
    """CREATE TRIGGER sales_deal_party_owner_update AFTER UPDATE ON sales_opportunity
       WHEN NEW.party_owner_id IS NOT (SELECT owner_id FROM customers_party WHERE id = NEW.party_id)
       BEGIN UPDATE sales_opportunity SET party_owner_id =
           (SELECT owner_id FROM customers_party WHERE id = NEW.party_id)
         WHERE id = NEW.id; END;""",
    """CREATE TRIGGER sales_party_owner_to_deals AFTER UPDATE OF owner_id ON customers_party
       WHEN OLD.owner_id IS NOT NEW.owner_id
       BEGIN UPDATE sales_opportunity SET party_owner_id = NEW.owner_id
         WHERE party_id = NEW.id; END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS sales_deal_party_owner_insert",
    "DROP TRIGGER IF EXISTS sales_deal_party_owner_update",
    "DROP TRIGGER IF EXISTS sales_party_owner_to_deals",
]
POSTGRES = [
    "UPDATE sales_opportunity d SET party_owner_id = p.owner_id FROM customers_party p "
    "WHERE p.id = d.party_id AND d.party_owner_id IS DISTINCT FROM p.owner_id",
    # Any write of a deal takes the owner from its customer: a stale copy held by the
    # ORM (save() writes every column) cannot be written back.
    """CREATE OR REPLACE FUNCTION sales_deal_party_owner() RETURNS trigger AS $$
       BEGIN
         SELECT owner_id INTO NEW.party_owner_id FROM customers_party WHERE id = NEW.party_id;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER sales_deal_party_owner BEFORE INSERT OR UPDATE ON sales_opportunity
       FOR EACH ROW EXECUTE FUNCTION sales_deal_party_owner();""",
    # One statement per customer update, not one per row: the pool recycle returns
    # hundreds of thousands of customers in a few statements.
    """CREATE OR REPLACE FUNCTION sales_party_owner_to_deals() RETURNS trigger AS $$
       BEGIN
         UPDATE sales_opportunity d SET party_owner_id = n.owner_id
           FROM new_parties n JOIN old_parties o ON o.id = n.id
          WHERE d.party_id = n.id AND n.owner_id IS DISTINCT FROM o.owner_id;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER sales_party_owner_to_deals AFTER UPDATE ON customers_party
       REFERENCING OLD TABLE AS old_parties NEW TABLE AS new_parties
       FOR EACH STATEMENT EXECUTE FUNCTION sales_party_owner_to_deals();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS sales_party_owner_to_deals ON customers_party",
    "DROP FUNCTION IF EXISTS sales_party_owner_to_deals()",
    "DROP TRIGGER IF EXISTS sales_deal_party_owner ON sales_opportunity",
    "DROP FUNCTION IF EXISTS sales_deal_party_owner()",
]


def forwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    reverse = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}
    for sql in reverse.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_drop_duplicate_indexes"),
        ("sales", "0009_sales_perf_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="opportunity", name="opportunity_open_stage_idx"),
        migrations.AddField(
            model_name="opportunity",
            name="party_owner",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="customer's owner",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("state", "open")),
                fields=["pipeline", "stage", "-amount", "id"],
                include=("party", "party_owner"),
                name="opportunity_open_stage_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["party_owner", "pipeline", "state", "stage"],
                name="opportunity_party_owner_idx",
            ),
        ),
    ]
