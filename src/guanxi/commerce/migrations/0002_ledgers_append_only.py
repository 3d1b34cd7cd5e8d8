"""The points ledger and payments are append-only (corrections are new signed rows).
A merge may still re-point a points entry to the surviving party: only that changes."""

from django.db import migrations

from guanxi.core.db_guards import forbid_changes

POINTS_VALUE_CHANGED = (
    "NEW.id <> OLD.id OR NEW.points <> OLD.points OR NEW.kind <> OLD.kind "
    "OR NEW.occurred_at <> OLD.occurred_at OR NEW.source_ref <> OLD.source_ref"
)


class Migration(migrations.Migration):
    dependencies = [("commerce", "0001_initial")]
    operations = [
        forbid_changes(
            "commerce_points_no_delete",
            "commerce_pointsentry",
            "the points ledger is append-only",
            events=("DELETE",),
        ),
        forbid_changes(
            "commerce_points_no_update",
            "commerce_pointsentry",
            "the points ledger is append-only",
            events=("UPDATE",),
            condition=POINTS_VALUE_CHANGED,
        ),
        forbid_changes(
            "commerce_payment_append_only",
            "commerce_payment",
            "payments are append-only",
        ),
    ]
