"""Driving a P5 case bound to the test POA (POA-2026) through the services, as the tests of the programming need."""

from __future__ import annotations

from typing import Any

from planea.forecasting import programming
from planea.forecasting.models import ForecastRun, Programming
from planea.procedures import step_requests
from planea.procedures.drive import step_through
from planea.procedures.models import StepRequest


def started(plans: dict[str, Any], demo: dict[str, Any]) -> Programming:
    return programming.start(plans["poa"], actor=demo["profesional_planes_programas"])


def answer_statistics(found: Programming, demo: dict[str, Any]) -> StepRequest:
    request = StepRequest.objects.get(task__case=found.case, task__number="2", key="statistics")
    return step_requests.answer(
        request, actor=demo["estadistica"], note="Estadísticas actualizadas hasta el último mes cerrado."
    )


def at_step_3(found: Programming, run: ForecastRun, demo: dict[str, Any]) -> Programming:
    """Steps 1 and 2 done: Estadística answered and `run` chosen."""
    step_through(found.case, until="2")
    answer_statistics(found, demo)
    found = programming.choose_run(found, run, actor=demo["profesional_planes_programas"])
    step_through(found.case, until="3")
    return found
