from django.db import migrations

# Room left in each page of the goals table on PostgreSQL, so that a changed row of goals is rewritten in its own
# page without touching any index (a heap-only update): an import changes thousands of rows at once.
FILL_FACTOR = 70


def _alter_goals(apps, schema_editor, clause: str) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("operations", "PhysicalGoal")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} {clause}")


def leave_room(apps, schema_editor):  # type: ignore[no-untyped-def]
    _alter_goals(apps, schema_editor, f"SET (fillfactor = {FILL_FACTOR})")


def fill_pages(apps, schema_editor):  # type: ignore[no-untyped-def]
    _alter_goals(apps, schema_editor, "RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("operations", "0006_goal_current_index")]

    operations = [
        migrations.RemoveIndex(model_name="physicalgoal", name="goal_current_by_subproduct"),
        migrations.RunPython(leave_room, fill_pages),
    ]
