"""A plan's Excel files by kind: goals or the input matrix, imported the same way inside a request or by the task
worker (`tasks.import_plan_file_job`)."""

from __future__ import annotations

from planea.org.models import Person
from planea.spreadsheets.imports import Progress

from . import goals_excel, inputs_excel
from .models import OperationalPlan

# What a plan's file can be, and how each is imported: (data, actor, plan, scope, filename, progress). The scope is
# the cost centers (goals) or units (matrix) the person may write, None for all.
IMPORTERS = {
    "goals": lambda data, actor, plan, scope, filename, progress: goals_excel.import_goals(
        data, actor, plan=plan, allowed_cost_centers=scope, filename=filename, progress=progress
    ),
    "matrix": lambda data, actor, plan, scope, filename, progress: inputs_excel.import_matrix(
        data, actor, plan=plan, allowed_units=scope, filename=filename, progress=progress
    ),
}


def import_plan_file(
    what: str,
    data: bytes,
    actor: Person,
    plan: OperationalPlan,
    scope: set[int] | None,
    filename: str,
    progress: Progress | None = None,
) -> object:
    return IMPORTERS[what](data, actor, plan, scope, filename, progress)
