"""Demo cases of P3 and P4 in varied states (concluded, waiting at a review, sent back with observations, overdue),
done by the demo people through the same services the screens use, then spread over the past weeks as real
work would be (`demo_timeline`). The P1, P2, P5 and P6 cases are made
with the data they carry, by the strategy, operations, forecasting and execution demo data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from planea.org.models import Person

from . import cases, notifications, versions
from .demo_timeline import spread_over_past_weeks
from .drive import step_through
from .manual import P3, P4
from .models import Case


@dataclass(frozen=True)
class DemoCase:
    code: str
    title: str
    subject: str
    choices: dict[str, list[str]] = field(default_factory=dict)
    steps: int | None = None  # how many steps to complete; None runs the case to its end
    ended: int = 0  # working days ago that its last step was done (or its pending steps arrived)
    overdue: bool = False  # its pending steps arrived long enough ago to be past their due date


CASES = (
    DemoCase(P3.code, "Memoria de Labores 2025", "Memoria de Labores 2025", {"6": ["6.2"]}, ended=120),
    DemoCase(P3.code, "Informe cuatrimestral mayo-agosto 2026", "Segundo cuatrimestre 2026", steps=4, ended=2),
    DemoCase(P4.code, "Información para la formulación del POA 2027", "Requerimiento a las áreas", steps=8, ended=1),
)


def seed_cases() -> int:
    """Create the demo cases that do not exist yet (by title); returns how many were created. No e-mail is sent."""
    with notifications.muted(), transaction.atomic():
        return _seed_cases()


def _seed_cases() -> int:
    created = 0
    for demo in CASES:
        if Case.objects.filter(title=demo.title).exists():
            continue
        definition = versions.current_definition(demo.code)
        starter = Person.objects.get(username=definition.steps[0]["role"])
        case = cases.start_case(code=demo.code, title=demo.title, subject=demo.subject, actor=starter)
        people = {p.username: p for p in Person.objects.filter(username__in=[s["role"] for s in definition.steps])}
        step_through(case, demo.choices, max_steps=demo.steps or 200, issue_oficios=True, people=people)
        spread_over_past_weeks(case, ended_working_days_ago=demo.ended, overdue=demo.overdue)
        created += 1
    return created
