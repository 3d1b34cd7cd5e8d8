"""Summaries the funnel reads instead of every stage change: each deal's furthest stage
(Opportunity.reached_position) and when the deal left each stage (StageChange.left_at),
filled here from the history and kept by the stage-change service from now on."""

from django.conf import settings
from django.db import migrations, models

# Plain SQL both SQLite and PostgreSQL run (sales.services.opportunities.stage_summaries_fill
# does the same for bulk-loaded histories).
FILL = [
    """UPDATE sales_stagechange SET left_at = (
         SELECT n.at FROM sales_stagechange n
          WHERE n.opportunity_id = sales_stagechange.opportunity_id
            AND (n.at > sales_stagechange.at
                 OR (n.at = sales_stagechange.at AND n.id > sales_stagechange.id))
          ORDER BY n.at, n.id LIMIT 1)""",
    """UPDATE sales_opportunity SET reached_position = (
         SELECT MAX(st.position) FROM sales_stagechange c
           JOIN sales_stage st ON st.id = c.to_stage_id
          WHERE c.opportunity_id = sales_opportunity.id)""",
]


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0010_deal_party_owner"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="stagechange",
            name="stagechange_deal_idx",
        ),
        migrations.AddField(
            model_name="opportunity",
            name="reached_position",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="furthest stage reached"
            ),
        ),
        migrations.AddField(
            model_name="stagechange",
            name="left_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="left"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="stagechange",
            index=models.Index(
                fields=["opportunity", "at", "id"],
                include=("to_stage", "left_at"),
                name="stagechange_deal_idx",
            ),
        ),
    ]
