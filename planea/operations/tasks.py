"""Background tasks of the plan data: large goal and input-matrix imports, run by the task worker."""

from __future__ import annotations

from django.tasks import task

from planea.jobs.imports import run_import

from . import goals_excel, inputs_excel
from .models import OperationalPlan


@task()
def import_goals_file(job_id: str, plan_id: int, cost_centers: list[int] | None) -> None:
    allowed = set(cost_centers) if cost_centers is not None else None
    run_import(
        job_id,
        lambda data, actor, name, progress: goals_excel.import_goals(
            data,
            actor,
            plan=OperationalPlan.objects.get(pk=plan_id),
            allowed_cost_centers=allowed,
            filename=name,
            progress=progress,
        ),
    )


@task()
def import_matrix_file(job_id: str, plan_id: int, units: list[int] | None) -> None:
    allowed = set(units) if units is not None else None
    run_import(
        job_id,
        lambda data, actor, name, progress: inputs_excel.import_matrix(
            data,
            actor,
            plan=OperationalPlan.objects.get(pk=plan_id),
            filename=name,
            allowed_units=allowed,
            progress=progress,
        ),
    )
