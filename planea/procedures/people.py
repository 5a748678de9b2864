"""Who may work on a step: the people holding its role (within the case's org unit for unit-scoped roles)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from planea.org.models import OrgUnit, Person
from planea.org.roles import UNIT_SCOPED_ROLES, Role

from .models import CaseTask

SUPERVISOR_ROLES = frozenset({Role.SUBDIRECTOR_PLANIFICACION, Role.JEFE_PLANES_PROGRAMAS, Role.ADMINISTRADOR})


def holders(role: str, unit: OrgUnit) -> QuerySet[Person]:
    # One filter() over the assignments: the role, its being active and its unit must hold for the same assignment
    # (chained filters on a many-valued relation would join it twice, and any assignment in the unit would do).
    assignment = {"role_assignments__role": role, "role_assignments__active": True}
    if role in UNIT_SCOPED_ROLES:
        assignment["role_assignments__org_unit__in"] = [unit.pk, *(u.pk for u in unit.ancestors())]
    return Person.objects.filter(is_active=True, **assignment).distinct().order_by("last_name", "first_name")


def holds_role(person: Any, role: str, unit: OrgUnit) -> bool:
    if not getattr(person, "is_authenticated", False) or role not in person.role_slugs():
        return False
    if role not in UNIT_SCOPED_ROLES:
        return True
    return holders(role, unit).filter(pk=person.pk).exists()


def can_work_on(person: Any, task: CaseTask) -> bool:
    """The person holds the step's role and the step is not taken by someone else."""
    return holds_role(person, task.role, task.case.org_unit) and task.assignee_id in (None, person.pk)


def can_assign(person: Any) -> bool:
    return getattr(person, "is_authenticated", False) and person.has_any_role(SUPERVISOR_ROLES)
