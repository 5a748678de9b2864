"""The migration that stores statistics as rows of a year: split back into monthly values and joined again, every
value keeps its batch, and every revision its earlier value, batches and month."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from planea.statistics.loading import load_csv
from planea.statistics.models import MONTHS, StatisticalVariable, StatisticRevision, StatisticYear
from planea.strategy.models import UnitOfMeasure

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE_ROWS = [("statistics", "0002_excludedperiod")]
FIRST = (
    b"variable,centro_costo,mes,valor\n"
    b"CTRL-TERR,0201,2025-01,65142\nCTRL-TERR,0201,2025-02,60000\nCTRL-TERR,0202,2025-01,34743\n"
    b"CTRL-TERR,0201,2024-12,70000\nPAS-EMIT,,2025-01,52000.50\n"
)
LATER = b"variable,centro_costo,mes,valor\nCTRL-TERR,0201,2025-02,61000\nCTRL-TERR,0202,2025-03,30000\n"


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def stored() -> tuple[dict[Any, Any], list[Any]]:
    values = {
        (row.variable_id, row.cost_center_id, row.year, month): (row.value(month), row.batch_id_of(month))
        for row in StatisticYear.objects.all()
        for month in MONTHS
        if row.value(month) is not None
    }
    revisions = [
        (r.statistic.variable_id, r.statistic.cost_center_id, r.statistic.year, r.month, r.value, r.batch_id)
        for r in StatisticRevision.objects.select_related("statistic").order_by("pk")
    ]
    return values, revisions


def test_values_split_into_months_and_joined_again_keep_their_batches_and_revisions(demo):
    persons = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    StatisticalVariable.objects.create(code="CTRL-TERR", name="Personas", unit=persons)
    StatisticalVariable.objects.create(code="PAS-EMIT", name="Pasaportes", unit=persons, per_cost_center=False)
    load_csv(FIRST, file_name="primera.csv", actor=demo["estadistica"])
    load_csv(LATER, file_name="revision.csv", actor=demo["estadistica"])
    values, revisions = stored()
    assert len(values) == 6 and len(revisions) == 1
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE_ROWS).loader.project_state(BEFORE_ROWS).apps
        monthly = {
            (v.variable_id, v.cost_center_id, v.year, v.month): (v.value, v.batch_id)
            for v in old.get_model("statistics", "StatisticValue").objects.all()
        }
        assert monthly == values
        (revision,) = old.get_model("statistics", "StatisticRevision").objects.select_related("statistic")
        value = revision.statistic
        key = (value.variable_id, value.cost_center_id, value.year, value.month)
        assert (*key, revision.value, revision.batch_id) == revisions[0]
    finally:
        migrate(latest)
    assert stored() == (values, revisions)
    row = StatisticYear.objects.get(cost_center__code="0202", year=2025)
    assert row.last_month == 3  # kept by the migration: the last month with a value
