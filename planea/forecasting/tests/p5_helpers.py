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
