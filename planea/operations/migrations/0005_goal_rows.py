"""Physical goals as one row per plan × subproduct × cost center × year, with the twelve months (POA) or the
whole year (POM, month 0) as columns, instead of one row per month: the cells are moved into rows, and each
reprogramming line points at its row and month. Going back splits the rows into the plan's cells again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MONTHS = range(0, 13)
BATCH = 2000


def _columns(attr: str) -> list[str]:
    return [f"{attr}_{month}" for month in MONTHS]


def cells_into_rows(apps, schema_editor):
    GoalCell = apps.get_model("operations", "GoalCell")
    PhysicalGoal = apps.get_model("operations", "PhysicalGoal")
    ReprogrammingLine = apps.get_model("operations", "ReprogrammingLine")
    rows: dict[tuple[int, int, int, int], dict] = {}
    fields = ("plan_id", "subproduct_id", "cost_center_id", "year", "month", "planned", "current")
    for plan, sub, center, year, month, planned, current, by, at in GoalCell.objects.values_list(
        *fields, "updated_by_id", "updated_at"
    ).iterator(chunk_size=10000):
        row = rows.setdefault(
            (plan, sub, center, year),
            {"plan_id": plan, "subproduct_id": sub, "cost_center_id": center, "year": year, "updated_at": None},
        )
        row[f"planned_{month}"], row[f"current_{month}"] = planned, current
        if at is not None and (row["updated_at"] is None or at > row["updated_at"]):
            row["updated_at"], row["updated_by_id"] = at, by
    PhysicalGoal.objects.bulk_create((PhysicalGoal(**row) for row in rows.values()), batch_size=BATCH)
    ids = {
        tuple(key): pk
        for *key, pk in PhysicalGoal.objects.values_list("plan_id", "subproduct_id", "cost_center_id", "year", "pk")
    }
    lines = list(ReprogrammingLine.objects.select_related("goal"))
    for line in lines:
        cell = line.goal
        line.row_id = ids[(cell.plan_id, cell.subproduct_id, cell.cost_center_id, cell.year)]
        line.month = cell.month
    ReprogrammingLine.objects.bulk_update(lines, ["row", "month"], batch_size=BATCH)


def rows_into_cells(apps, schema_editor):
    """Backwards: a cell per month the plan uses (a POA's twelve, a POM's year), and each line's cell."""
    GoalCell = apps.get_model("operations", "GoalCell")
    PhysicalGoal = apps.get_model("operations", "PhysicalGoal")
    ReprogrammingLine = apps.get_model("operations", "ReprogrammingLine")
    cells = []
    for row in PhysicalGoal.objects.select_related("plan").iterator(chunk_size=2000):
        for month in range(1, 13) if row.plan.kind == "annual" else [0]:
            cells.append(
                GoalCell(
                    plan_id=row.plan_id,
                    subproduct_id=row.subproduct_id,
                    cost_center_id=row.cost_center_id,
                    year=row.year,
                    month=month,
                    planned=getattr(row, f"planned_{month}"),
                    current=getattr(row, f"current_{month}"),
                    updated_by_id=row.updated_by_id,
                    updated_at=row.updated_at,
                )
            )
    GoalCell.objects.bulk_create(cells, batch_size=BATCH)
    ids = {
        tuple(key): pk
        for *key, pk in GoalCell.objects.values_list(
            "plan_id", "subproduct_id", "cost_center_id", "year", "month", "pk"
        )
    }
    lines = list(ReprogrammingLine.objects.select_related("row"))
    for line in lines:
        row = line.row
        line.goal_id = ids[(row.plan_id, row.subproduct_id, row.cost_center_id, row.year, line.month)]
    ReprogrammingLine.objects.bulk_update(lines, ["goal"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0004_goal_indexes"),
        ("org", "0002_orgunit_acronym"),
        ("strategy", "0002_ascii_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("PhysicalGoal", "GoalCell"),
        *(
            migrations.AlterField(
                model_name="goalcell",
                name=name,
                field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=target, null=null
                ),
            )
            for name, target, null in (
                ("subproduct", "strategy.subproduct", False),
                ("cost_center", "org.costcenter", False),
                ("updated_by", settings.AUTH_USER_MODEL, True),
            )
        ),
        migrations.AlterField(
            model_name="goalcell",
            name="plan",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="operations.operationalplan",
            ),
        ),
        migrations.CreateModel(
            name="PhysicalGoal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="año")),
                *(
                    (column, models.PositiveIntegerField(default=0))
                    for pair in zip(_columns("planned"), _columns("current"), strict=True)
                    for column in pair
                ),
                ("updated_at", models.DateTimeField(blank=True, null=True, verbose_name="modificada")),
                (
                    "cost_center",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="goals",
                        to="org.costcenter",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="goals",
                        to="operations.operationalplan",
                    ),
                ),
                (
                    "subproduct",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="goals",
                        to="strategy.subproduct",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "metas físicas de un año",
                "verbose_name_plural": "metas físicas",
                "ordering": ["subproduct__code", "cost_center__code", "year"],
                "indexes": [models.Index(fields=["plan", "cost_center"], name="goal_year_by_center")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("plan", "subproduct", "cost_center", "year"), name="unique_goal_year"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="reprogrammingline",
            name="row",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="operations.physicalgoal",
            ),
        ),
        migrations.AddField(
            model_name="reprogrammingline",
            name="month",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="mes"),
            preserve_default=False,
        ),
        migrations.RunPython(cells_into_rows, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(model_name="reprogrammingline", name="unique_reprogramming_goal"),
        migrations.AlterModelOptions(
            name="reprogrammingline",
            options={
                "ordering": ["goal__subproduct__code", "goal__cost_center__code", "goal__year", "month"],
                "verbose_name": "línea de reprogramación",
                "verbose_name_plural": "líneas de reprogramación",
            },
        ),
        # Backwards, the cell of each line is filled in while it may still be empty.
        migrations.AlterField(
            model_name="reprogrammingline",
            name="goal",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reprogramming_lines",
                to="operations.goalcell",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, rows_into_cells, elidable=False),
        migrations.RemoveField(model_name="reprogrammingline", name="goal"),
        migrations.RenameField(model_name="reprogrammingline", old_name="row", new_name="goal"),
        migrations.AlterField(
            model_name="reprogrammingline",
            name="goal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reprogramming_lines",
                to="operations.physicalgoal",
            ),
        ),
        migrations.AddConstraint(
            model_name="reprogrammingline",
            constraint=models.UniqueConstraint(
                fields=("reprogramming", "goal", "month"), name="unique_reprogramming_cell"
            ),
        ),
        migrations.AddConstraint(
            model_name="reprogrammingline",
            constraint=models.CheckConstraint(condition=models.Q(month__lte=12), name="reprogramming_month_range"),
        ),
        migrations.DeleteModel(name="GoalCell"),
    ]
