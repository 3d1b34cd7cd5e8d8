"""The volume ledger is append-only; a committed run, its results and a closed period
never change (corrections are new entries and adjustment lines in a later run)."""

from django.db import migrations

from guanxi.core.db_guards import forbid_changes

COMMITTED = "(SELECT status FROM network_commissionrun WHERE id = OLD.run_id) = 'committed'"


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [
        forbid_changes(
            "network_volume_append_only",
            "network_volumeentry",
            "the volume ledger is append-only",
        ),
        forbid_changes(
            "network_result_committed",
            "network_commissionresult",
            "a committed run cannot change",
            condition=COMMITTED,
        ),
        forbid_changes(
            "network_adjustment_committed",
            "network_commissionadjustment",
            "a committed run cannot change",
            condition=COMMITTED,
        ),
        forbid_changes(
            "network_run_committed",
            "network_commissionrun",
            "a committed run cannot change",
            condition="OLD.status = 'committed'",
        ),
        forbid_changes(
            "network_period_closed",
            "network_commissionperiod",
            "a closed period cannot change",
            condition="OLD.status = 'closed'",
        ),
    ]
