import django.db.models.deletion
from django.db import migrations, models

# The totals of goals per plan, subproduct and year are kept by triggers on the goals table: PostgreSQL adds up each
# statement's rows at once (transition tables), SQLite each row. A total holds how many rows of goals it adds up and
# goes with the last of them. Written here in full, as the schema stood: the migration must not change with the code.
GOALS, TOTALS = "operations_physicalgoal", "operations_goaltotal"
KEY = ("plan_id", "subproduct_id", "year")
VALUES = [f"{attr}_{month}" for month in range(13) for attr in ("planned", "current")]
COLUMNS = ", ".join((*KEY, "goals", *VALUES))
ADD_UP = ", ".join(("goals = t.goals + excluded.goals", *(f"{v} = t.{v} + excluded.{v}" for v in VALUES)))


def _postgresql_sql() -> list[str]:
    def delta(source: str, sign: str) -> str:
        return (
            f"SELECT {', '.join(KEY)}, {sign}1 AS goals, {', '.join(f'{sign}{v} AS {v}' for v in VALUES)} FROM {source}"
        )

    def upsert(rows: str, gone: bool) -> str:
        """Add `rows` to their totals; with `gone`, drop the totals of old rows that no longer add up any."""
        sums = ", ".join(f"SUM({c})" for c in ("goals", *VALUES))
        keys = ", ".join(KEY)
        sql = (
            f"INSERT INTO {TOTALS} AS t ({COLUMNS}) SELECT {keys}, {sums} FROM ({rows}) d GROUP BY {keys}"
            f" ON CONFLICT ({keys}) DO UPDATE SET {ADD_UP};"
        )
        if gone:
            sql += f" DELETE FROM {TOTALS} t WHERE t.goals = 0 AND ({keys}) IN (SELECT {keys} FROM old_goals);"
        return sql

    body = {
        "insert": upsert(delta("new_goals", ""), gone=False),
        "update": upsert(f"{delta('new_goals', '')} UNION ALL {delta('old_goals', '-')}", gone=True),
        "delete": upsert(delta("old_goals", "-"), gone=True),
    }
    tables = {"insert": "NEW TABLE AS new_goals", "update": "OLD TABLE AS old_goals NEW TABLE AS new_goals"}
    tables["delete"] = "OLD TABLE AS old_goals"
    sql = []
    for event, statements in body.items():
        sql.append(
            f"CREATE FUNCTION goal_totals_{event}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {statements} RETURN NULL; END $$"
        )
        sql.append(
            f"CREATE TRIGGER goal_totals_{event} AFTER {event.upper()} ON {GOALS} REFERENCING {tables[event]}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION goal_totals_{event}()"
        )
    sql.append(
        f"CREATE FUNCTION goal_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN DELETE FROM {TOTALS}; RETURN NULL; END $$"
    )
    sql.append(
        f"CREATE TRIGGER goal_totals_truncate AFTER TRUNCATE ON {GOALS} FOR EACH STATEMENT"
        " EXECUTE FUNCTION goal_totals_truncate()"
    )
    return sql


def _sqlite_sql() -> list[str]:
    # Statements inside an SQLite trigger name their table without an alias: a bare column is the table's.
    keys = ", ".join(KEY)
    add_up = ", ".join(("goals = goals + excluded.goals", *(f"{v} = {v} + excluded.{v}" for v in VALUES)))

    def where(row: str) -> str:
        return " AND ".join(f"{k} = {row}.{k}" for k in KEY)

    def add(row: str) -> str:
        values = ", ".join((*(f"{row}.{k}" for k in KEY), "1", *(f"{row}.{v}" for v in VALUES)))
        return f"INSERT INTO {TOTALS} ({COLUMNS}) VALUES ({values}) ON CONFLICT ({keys}) DO UPDATE SET {add_up};"

    def take_away(row: str) -> str:
        minus = ", ".join(("goals = goals - 1", *(f"{v} = {v} - {row}.{v}" for v in VALUES)))
        return f"UPDATE {TOTALS} SET {minus} WHERE {where(row)}; DELETE FROM {TOTALS} WHERE {where(row)} AND goals = 0;"

    same_key = " AND ".join(f"OLD.{k} = NEW.{k}" for k in KEY)
    changed = ", ".join(f"{v} = {v} + NEW.{v} - OLD.{v}" for v in VALUES)
    return [
        f"CREATE TRIGGER goal_totals_insert AFTER INSERT ON {GOALS} BEGIN {add('NEW')} END",
        f"CREATE TRIGGER goal_totals_delete AFTER DELETE ON {GOALS} BEGIN {take_away('OLD')} END",
        # A row that stays in its total (every update Planea makes) changes it by one statement.
        f"CREATE TRIGGER goal_totals_update AFTER UPDATE ON {GOALS} WHEN {same_key} BEGIN"
        f" UPDATE {TOTALS} SET {changed} WHERE {where('NEW')}; END",
        f"CREATE TRIGGER goal_totals_move AFTER UPDATE ON {GOALS} WHEN NOT ({same_key}) BEGIN"
        f" {take_away('OLD')} {add('NEW')} END",
    ]


def keep_totals(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in _postgresql_sql() if vendor == "postgresql" else _sqlite_sql():
        schema_editor.execute(statement, params=None)
    keys = ", ".join(KEY)
    schema_editor.execute(
        f"INSERT INTO {TOTALS} ({COLUMNS}) SELECT {keys}, COUNT(*), {', '.join(f'SUM({v})' for v in VALUES)}"
        f" FROM {GOALS} GROUP BY {keys}",
        params=None,
    )


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for event in ("insert", "update", "delete", "truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS goal_totals_{event} ON {GOALS}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS goal_totals_{event}()", params=None)
    else:
        for event in ("insert", "update", "delete", "move"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS goal_totals_{event}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0007_goal_rows_change_in_place"),
        ("strategy", "0002_ascii_codes"),
    ]

    operations = [
        migrations.CreateModel(
            name="GoalTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="año")),
                ("goals", models.BigIntegerField(verbose_name="filas de metas sumadas")),
                ("planned_0", models.BigIntegerField(default=0)),
                ("current_0", models.BigIntegerField(default=0)),
                ("planned_1", models.BigIntegerField(default=0)),
                ("current_1", models.BigIntegerField(default=0)),
                ("planned_2", models.BigIntegerField(default=0)),
                ("current_2", models.BigIntegerField(default=0)),
                ("planned_3", models.BigIntegerField(default=0)),
                ("current_3", models.BigIntegerField(default=0)),
                ("planned_4", models.BigIntegerField(default=0)),
                ("current_4", models.BigIntegerField(default=0)),
                ("planned_5", models.BigIntegerField(default=0)),
                ("current_5", models.BigIntegerField(default=0)),
                ("planned_6", models.BigIntegerField(default=0)),
                ("current_6", models.BigIntegerField(default=0)),
                ("planned_7", models.BigIntegerField(default=0)),
                ("current_7", models.BigIntegerField(default=0)),
                ("planned_8", models.BigIntegerField(default=0)),
                ("current_8", models.BigIntegerField(default=0)),
                ("planned_9", models.BigIntegerField(default=0)),
                ("current_9", models.BigIntegerField(default=0)),
                ("planned_10", models.BigIntegerField(default=0)),
                ("current_10", models.BigIntegerField(default=0)),
                ("planned_11", models.BigIntegerField(default=0)),
                ("current_11", models.BigIntegerField(default=0)),
                ("planned_12", models.BigIntegerField(default=0)),
                ("current_12", models.BigIntegerField(default=0)),
                (
                    "plan",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="operations.operationalplan",
                    ),
                ),
                (
                    "subproduct",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="strategy.subproduct",
                    ),
                ),
            ],
            options={
                "verbose_name": "total de metas de un subproducto",
                "verbose_name_plural": "totales de metas",
                "constraints": [
                    models.UniqueConstraint(fields=("plan", "subproduct", "year"), name="unique_goal_total")
                ],
            },
        ),
        migrations.RunPython(keep_totals, drop_triggers),
    ]
