"""Driving a month of execution in the tests: values as the current goals (or a factor of them), and a month
through registration, authorization and approval with the services people's steps call."""

from typing import Any

from planea.execution import executed, months
from planea.execution.models import ExecutionMonth, Source
from planea.operations import goals


def current_goals(poa: Any, month: int) -> dict[tuple[int, int], int]:
    return {(s, c): v for (s, c, _y, m), v in goals.values_of(poa, attr="current").items() if m == month and v}


def executed_as_goals(poa: Any, month: int, demo: Any, factor: float = 1.0) -> dict[tuple[int, int, int], int]:
    values = {(s, c, month): round(v * factor) for (s, c), v in current_goals(poa, month).items()}
    executed.write(poa, values, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    return values


def through_approval(poa: Any, month: int, demo: Any) -> ExecutionMonth:
    executed_as_goals(poa, month, demo)
    found = ExecutionMonth.objects.get(plan=poa, month=month)
    months.register(found, actor=demo["profesional_planes_programas"])
    months.authorize(found, actor=demo["jefe_planes_programas"])
    months.approve(found, actor=demo["subdirector_planificacion"])
    found.refresh_from_db()
    return found
