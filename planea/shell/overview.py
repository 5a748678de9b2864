"""The directors' overview on their home page: the state of the plans (the PEI versions, the POM and POA), the open
and overdue cases of each procedure (P1–P6), each with a link to where it is read, and the links to the execution's
dashboard, months and reports (the dashboard's summary opens the home page itself)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from planea.operations.models import OperationalPlan
from planea.org.roles import Role
from planea.procedures.models import Case, CaseStatus, CaseTask, TaskStatus
from planea.procedures.versions import latest_definitions
from planea.strategy.models import StrategicPlan

OVERVIEW_ROLES = frozenset({Role.DIRECTOR_GENERAL, Role.SUBDIRECTOR_PLANIFICACION})
PLANS_SHOWN = 6  # of each kind, the most recent


@dataclass(frozen=True)
class PlanState:
    kind: str
    code: str
    name: str
    status: str
    status_label: str
    url: str


@dataclass(frozen=True)
class ProcedureCases:
    code: str
    key: str
    name: str
    open: int
    overdue: int
    url: str  # its open cases in the case list
    overdue_url: str  # its cases with an overdue step


@dataclass
class Overview:
    plans: list[PlanState]
    procedures: list[ProcedureCases]


def shows_overview(user: Any) -> bool:
    return bool(user.role_slugs() & OVERVIEW_ROLES)


def overview() -> Overview:
    return Overview(plans=_plans(), procedures=_procedures())


def _plans() -> list[PlanState]:
    states = [
        PlanState(
            "PEI",
            p.code,
            p.label,
            p.status,
            p.get_status_display(),
            reverse("strategy:detail", args=[p.pk]),
        )
        for p in StrategicPlan.objects.order_by("-start_year", "code", "-version")[:PLANS_SHOWN]
    ]
    states += [
        PlanState(
            p.get_kind_display(),
            p.code,
            p.name,
            p.status,
            p.get_status_display(),
            reverse("operations:detail", args=[p.pk]),
        )
        for p in OperationalPlan.objects.order_by("-start_year", "kind")[: PLANS_SHOWN * 2]
    ]
    return states


def _procedures() -> list[ProcedureCases]:
    overdue_step = CaseTask.objects.filter(
        case=OuterRef("pk"), status=TaskStatus.READY, due_date__lt=timezone.localdate()
    )
    counts = {
        row["definition__code"]: row
        for row in Case.objects.filter(status=CaseStatus.OPEN)
        .annotate(late=Exists(overdue_step))
        .values("definition__code")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(late=True)))
    }
    base = reverse("procedures:case_list")
    found = []
    for definition in latest_definitions():
        row: Mapping[str, Any] = counts.get(definition.code, {})
        found.append(
            ProcedureCases(
                definition.code,
                definition.key,
                definition.name,
                row.get("open", 0),
                row.get("overdue", 0),
                f"{base}?procedimiento={definition.code}&estado={CaseStatus.OPEN}",
                f"{base}?procedimiento={definition.code}&plazo=vencido",
            )
        )
    return found
