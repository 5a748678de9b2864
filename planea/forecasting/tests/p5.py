"""Driving a P5 case bound to the test POA (POA-2026) through the services, as the tests of the programming and of
its documents need."""

from __future__ import annotations

from typing import Any

from planea.forecasting import programming
from planea.forecasting.demo import send_proposal
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


def start_programming(plans: dict[str, Any], demo: dict[str, Any], run: ForecastRun | None) -> Programming:
    """A P5 case of the POA 2026 at step 3 with `run` chosen (Estadística answered), or at step 1 without a run."""
    found = started(plans, demo)
    return found if run is None else at_step_3(found, run, demo)


def through_step_4(found: Programming, demo: dict[str, Any]) -> None:
    """Step the case to step 4 and complete it as step 4 requires: the annex and the oficio that sends it."""
    step_through(found.case, until="4", people=demo)
    send_proposal(found, demo)


def walk(found: Programming, until: str | None, demo: dict[str, Any]) -> list[str]:
    """Step a case at step 3 on to step `until` (to its end with None), giving step 4 its annex and oficio; the
    steps completed."""
    done = ["3", "4"] if found.case.tasks.filter(number="3", status="ready").exists() else ["4"]
    through_step_4(found, demo)
    return done + step_through(found.case, until=until, issue_oficios=True)
