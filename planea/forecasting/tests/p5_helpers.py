"""A P5 case programming the POA 2026 of the fixtures from the `done_run` forecast run (what p5-flow's
programming.start does, done by hand here)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from planea.forecasting.models import ForecastRun, Programming
from planea.procedures import cases
from planea.procedures.manual import P5


def start_programming(plans: dict[str, Any], people: dict[str, Any], run: ForecastRun | None) -> Programming:
    actor = people["profesional_planes_programas"]
    case = cases.start_case(code=P5.code, title="Programación de metas físicas 2026", subject="2026", actor=actor)
    return Programming.objects.create(
        case=case, plan=plans["poa"], run=run, created_by=actor, created_at=timezone.now()
    )


def through_step_4(programming: Programming, people: dict[str, Any]) -> None:
    """Step the case to step 4 and complete it as step 4 requires: the annex and the oficio that sends it."""
    from planea.documents.services import OficioContent
    from planea.forecasting import proposal_case
    from planea.procedures import attachments
    from planea.procedures.drive import step_through

    case = programming.case
    step_through(case, until="4", people=people)
    task = case.tasks.get(number="4", status="ready")
    actor = people["profesional_planes_programas"]
    proposal_case.generate_annex(task, actor=actor)
    content = OficioContent("Lic. Jefe", "Jefe del Departamento", "Propuesta de metas", "Se adjunta el anexo.")
    attachments.attach_oficio(task, slot="Oficio", content=content, actor=actor)
    cases.complete(task, actor=actor)
