"""The migration that stores goals as rows of a year: split back into monthly cells and joined again, every
programmed and current value and every reprogramming line's cell stay as they were."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from planea.operations import goals, lifecycle, reprogramming

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE_ROWS = [("operations", "0004_goal_indexes")]


def stored(plan) -> dict[Any, Any]:
    current = goals.values_of(plan, attr="current")
    return {key: (planned, current[key]) for key, planned in goals.values_of(plan).items()}


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def test_goals_split_into_cells_and_joined_again_keep_every_value(plans, demo):
    poa, pom = plans["poa"], plans["pom"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    key = next(key for key, value in goals.values_of(poa).items() if value and key[3] == 3)
    request = reprogramming.request(
        poa,
        changes={key: goals.values_of(poa, attr="current")[key] + 5},
        justification="Prueba de la migración.",
        actor=demo["jefe_planes_programas"],
    )
    before = {plan.pk: stored(plan) for plan in (poa, pom)}
    assert before[pom.pk] and all(month == 0 for _s, _c, _y, month in before[pom.pk])
    # The latest migration of every app, not only of operations: migrating operations back also unapplies the apps
    # that depend on it (statistics, forecasting), whose tables the later tests of this process need.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = migrate(BEFORE_ROWS)
        old = executor.loader.project_state(BEFORE_ROWS).apps
        cells = old.get_model("operations", "PhysicalGoal").objects
        for plan in (poa, pom):
            as_cells = {
                (c.subproduct_id, c.cost_center_id, c.year, c.month): (c.planned, c.current)
                for c in cells.filter(plan_id=plan.pk)
            }
            assert as_cells == before[plan.pk]
        line = old.get_model("operations", "ReprogrammingLine").objects.select_related("goal").get()
        assert (line.goal.subproduct_id, line.goal.cost_center_id, line.goal.year, line.goal.month) == key
    finally:
        migrate(latest)
    assert {plan.pk: stored(plan) for plan in (poa, pom)} == before
    line = request.lines.select_related("goal").get()
    assert (line.goal.subproduct_id, line.goal.cost_center_id, line.goal.year, line.month) == key
    reprogramming.approve(request, actor=demo["subdirector_planificacion"])
    assert goals.values_of(poa, attr="current")[key] == before[poa.pk][key][1] + 5
