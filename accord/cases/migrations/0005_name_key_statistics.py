"""PostgreSQL: keep a larger sample of participants' names for the planner.

With the default statistics target (100) the planner's estimate of how many people a surname
matches (`name_key LIKE '%okafor%'`) swung between 230 and 71,648 from one ANALYZE to the next
on the million-case bench (44,854 match), and with it the plan of the search's first look:
a sequential scan (34 ms) instead of the trigram index (20 ms). At 1,000 it came out at 39,000
to 44,000 in repeated ANALYZEs. Nothing to do on SQLite, which keeps no such statistics.
"""

from django.db import migrations

STATISTICS = 1000


def _set(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE cases_participant ALTER COLUMN name_key SET STATISTICS {target}"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_search_reference_index")]

    operations = [migrations.RunPython(_set(STATISTICS), _set(-1))]
