"""Statistics as one row per variable × cost center × year, with the twelve months as columns and the batch that
brought each value beside it, instead of one row per month: the values are moved into rows, and each revision points
at its row and month. Going back splits the rows into monthly values again."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

MONTHS = range(1, 13)
BATCH = 2000

# The variable and the cost center of a row are checked by triggers rather than by foreign keys: PostgreSQL checks a
# foreign key row by row (16,800 checks, half of a national load's time in the database), while a trigger over the
# statement's rows (a transition table) checks them all in one join. They refuse what a foreign key refuses: a row
# naming a variable or cost center that does not exist, and deleting (or renumbering) one that rows name. On
# PostgreSQL, the referenced rows are locked as a foreign key locks them (FOR KEY SHARE), so that a concurrent
# deletion waits. SQLite checks each row written, as its foreign keys would; a deletion there is refused by Django
# (PROTECT), since Django empties SQLite tables one by one, in any order, when a test ends. Written here in full, as
# the schema stands.
YEARS, VARIABLES, CENTERS = "statistics_statisticyear", "statistics_statisticalvariable", "org_costcenter"
REFUSED = "statistics: a row of statistics names a variable or cost center that does not exist"
IN_USE = "statistics: rows of statistics name this variable or cost center"


def _postgresql_sql() -> list[str]:
    missing = (
        f"SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM {VARIABLES} v WHERE v.id = n.variable_id)"
        f" OR (n.cost_center_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {CENTERS} c WHERE c.id = n.cost_center_id))"
    )
    check = (
        f"PERFORM 1 FROM {VARIABLES} WHERE id IN (SELECT variable_id FROM new_rows) FOR KEY SHARE;"
        f" PERFORM 1 FROM {CENTERS} WHERE id IN (SELECT cost_center_id FROM new_rows) FOR KEY SHARE;"
        f" IF EXISTS ({missing}) THEN RAISE foreign_key_violation USING MESSAGE = '{REFUSED}'; END IF;"
    )
    sql = [
        f"CREATE FUNCTION statistic_years_named() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {check}"
        " RETURN NULL; END $$",
        f"CREATE TRIGGER statistic_years_named AFTER INSERT ON {YEARS} REFERENCING NEW TABLE AS new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION statistic_years_named()",
        # Planea never moves a row to another variable or center; should anything do it, each row is checked.
        f"CREATE FUNCTION statistic_year_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF NOT EXISTS (SELECT 1 FROM {VARIABLES} WHERE id = NEW.variable_id FOR KEY SHARE)"
        f" OR (NEW.cost_center_id IS NOT NULL AND NOT EXISTS"
        f" (SELECT 1 FROM {CENTERS} WHERE id = NEW.cost_center_id FOR KEY SHARE))"
        f" THEN RAISE foreign_key_violation USING MESSAGE = '{REFUSED}'; END IF; RETURN NULL; END $$",
        f"CREATE TRIGGER statistic_year_moved AFTER UPDATE OF variable_id, cost_center_id ON {YEARS}"
        " FOR EACH ROW EXECUTE FUNCTION statistic_year_moved()",
    ]
    for table, column in ((VARIABLES, "variable_id"), (CENTERS, "cost_center_id")):
        sql += [
            f"CREATE FUNCTION {table}_named_by_statistics() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF EXISTS (SELECT 1 FROM {YEARS} WHERE {column} = OLD.id)"
            f" THEN RAISE foreign_key_violation USING MESSAGE = '{IN_USE}'; END IF; RETURN NULL; END $$",
            f"CREATE TRIGGER {table}_named_by_statistics AFTER DELETE OR UPDATE OF id ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {table}_named_by_statistics()",
        ]
    return sql


def _sqlite_sql() -> list[str]:
    missing = (
        f"NOT EXISTS (SELECT 1 FROM {VARIABLES} WHERE id = NEW.variable_id) OR (NEW.cost_center_id IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {CENTERS} WHERE id = NEW.cost_center_id))"
    )
    sql = [
        f"CREATE TRIGGER statistic_years_named BEFORE INSERT ON {YEARS} WHEN {missing}"
        f" BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
        f"CREATE TRIGGER statistic_year_moved BEFORE UPDATE OF variable_id, cost_center_id ON {YEARS} WHEN {missing}"
        f" BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    ]
    return sql


def check_references(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _postgresql_sql() if vendor == "postgresql" else _sqlite_sql():
        schema_editor.execute(statement, params=None)


def drop_reference_checks(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS statistic_years_named ON {YEARS}", params=None)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS statistic_year_moved ON {YEARS}", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS statistic_years_named()", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS statistic_year_moved()", params=None)
        for table in (VARIABLES, CENTERS):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_named_by_statistics ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_named_by_statistics()", params=None)
    else:
        for name in ("statistic_years_named", "statistic_year_moved"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def values_into_years(apps, schema_editor):
    StatisticValue = apps.get_model("statistics", "StatisticValue")
    StatisticYear = apps.get_model("statistics", "StatisticYear")
    StatisticRevision = apps.get_model("statistics", "StatisticRevision")
    rows: dict[tuple[int, int | None, int], dict] = {}
    fields = ("variable_id", "cost_center_id", "year", "month", "value", "batch_id")
    for variable, center, year, month, value, batch in StatisticValue.objects.values_list(*fields).iterator(
        chunk_size=10000
    ):
        row = rows.setdefault(
            (variable, center, year),
            {"variable_id": variable, "cost_center_id": center, "year": year, "last_month": month},
        )
        row[f"value_{month}"], row[f"batch_{month}_id"] = value, batch
        row["last_month"] = max(row["last_month"], month)
    StatisticYear.objects.bulk_create((StatisticYear(**row) for row in rows.values()), batch_size=BATCH)
    ids = {
        tuple(key): pk for *key, pk in StatisticYear.objects.values_list("variable_id", "cost_center_id", "year", "pk")
    }
    revisions = list(StatisticRevision.objects.select_related("statistic"))
    for revision in revisions:
        value = revision.statistic
        revision.year_row_id = ids[(value.variable_id, value.cost_center_id, value.year)]
        revision.month = value.month
    StatisticRevision.objects.bulk_update(revisions, ["year_row", "month"], batch_size=BATCH)


def years_into_values(apps, schema_editor):
    """Backwards: a value per month with one, with the batch that brought it, and each revision's value."""
    StatisticValue = apps.get_model("statistics", "StatisticValue")
    StatisticYear = apps.get_model("statistics", "StatisticYear")
    StatisticRevision = apps.get_model("statistics", "StatisticRevision")
    values = [
        StatisticValue(
            variable_id=row.variable_id,
            cost_center_id=row.cost_center_id,
            year=row.year,
            month=month,
            value=getattr(row, f"value_{month}"),
            batch_id=getattr(row, f"batch_{month}_id"),
        )
        for row in StatisticYear.objects.iterator(chunk_size=BATCH)
        for month in MONTHS
        if getattr(row, f"value_{month}") is not None
    ]
    StatisticValue.objects.bulk_create(values, batch_size=BATCH)
    ids = {
        tuple(key): pk
        for *key, pk in StatisticValue.objects.values_list("variable_id", "cost_center_id", "year", "month", "pk")
    }
    revisions = list(StatisticRevision.objects.select_related("year_row"))
    for revision in revisions:
        row = revision.year_row
        revision.statistic_id = ids[(row.variable_id, row.cost_center_id, row.year, revision.month)]
    StatisticRevision.objects.bulk_update(revisions, ["statistic"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_orgunit_acronym"),
        ("statistics", "0002_excludedperiod"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatisticYear",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1990),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="año",
                    ),
                ),
                *(
                    (f"value_{month}", models.DecimalField(blank=True, decimal_places=2, max_digits=15, null=True))
                    for month in MONTHS
                ),
                *(
                    (
                        f"batch_{month}",
                        models.ForeignKey(
                            blank=True,
                            db_constraint=False,
                            db_index=False,
                            null=True,
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="+",
                            to="statistics.statisticsbatch",
                        ),
                    )
                    for month in MONTHS
                ),
                (
                    "last_month",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ],
                        verbose_name="último mes con dato",
                    ),
                ),
                (
                    "cost_center",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.costcenter",
                        verbose_name="centro de costo",
                    ),
                ),
                (
                    "variable",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="years",
                        to="statistics.statisticalvariable",
                        verbose_name="variable",
                    ),
                ),
            ],
            options={
                "verbose_name": "datos estadísticos de un año",
                "verbose_name_plural": "datos estadísticos",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("variable", "cost_center", "year"), name="one_statistic_year_per_center"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("cost_center__isnull", True)),
                        fields=("variable", "year"),
                        name="one_institution_statistic_year",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(*(models.Q(**{f"value_{month}__gte": 0}) for month in MONTHS)),
                        name="statistics_not_negative",
                    ),
                ],
            },
        ),
        migrations.RunPython(check_references, drop_reference_checks),
        migrations.AddField(
            model_name="statisticrevision",
            name="month",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="mes"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="statisticrevision",
            name="year_row",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="statistics.statisticyear"
            ),
        ),
        migrations.AlterField(
            model_name="statisticrevision",
            name="statistic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revisions",
                to="statistics.statisticvalue",
                verbose_name="dato",
            ),
        ),
        migrations.RunPython(values_into_years, years_into_values),
        migrations.RemoveField(model_name="statisticrevision", name="statistic"),
        migrations.RenameField(model_name="statisticrevision", old_name="year_row", new_name="statistic"),
        migrations.AlterField(
            model_name="statisticrevision",
            name="statistic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revisions",
                to="statistics.statisticyear",
                verbose_name="datos del año",
            ),
        ),
        migrations.AlterField(
            model_name="statisticrevision",
            name="month",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="mes",
            ),
        ),
        migrations.DeleteModel(name="StatisticValue"),
    ]
