"""Operational plans: creating the POM and the POA (their code and name follow from their kind and years)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot
from planea.org.models import Person
from planea.strategy.models import StrategicPlan

from .models import OperationalPlan, PlanKind


class OperationsError(ValidationError):
    """An operation on a plan that cannot be done; the message is for the person."""


def default_end_year(kind: str, start_year: int) -> int:
    return start_year if kind == PlanKind.ANNUAL else start_year + settings.PLANEA_POM_YEARS - 1


def default_code(kind: str, start_year: int, end_year: int) -> str:
    return f"POA-{start_year}" if kind == PlanKind.ANNUAL else f"POM-{start_year}-{end_year}"


def default_name(kind: str, start_year: int, end_year: int) -> str:
    if kind == PlanKind.ANNUAL:
        return _("Plan Operativo Anual %(year)s") % {"year": start_year}
    return _("Plan Operativo Multianual %(a)s-%(b)s") % {"a": start_year, "b": end_year}


@transaction.atomic
def create_plan(
    *,
    kind: str,
    start_year: int,
    strategic_plan: StrategicPlan,
    actor: Person,
    end_year: int | None = None,
    multiannual: OperationalPlan | None = None,
) -> OperationalPlan:
    if end_year is None:
        end_year = default_end_year(kind, start_year)
    plan = OperationalPlan(
        kind=kind,
        code=default_code(kind, start_year, end_year),
        name=default_name(kind, start_year, end_year),
        start_year=start_year,
        end_year=end_year,
        strategic_plan=strategic_plan,
        multiannual=multiannual,
        created_by=actor,
    )
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # created a moment ago by another request (a double click), after the check above
        raise OperationsError(
            _("El plan %(code)s ya existe: se acaba de crear. Ábralo desde la lista de planes.") % {"code": plan.code}
        ) from exc
    record(actor=actor, action="operational_plan_created", instance=plan, after=snapshot(plan))
    return plan
