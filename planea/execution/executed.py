"""Writing what was executed (P6): the one writer of executed values, whatever their source — the month's statistics
(step 2's pre-fill), an Excel import or a person's correction. Each value that changes is written with its source and
a line of history (before, after, who, when, the statistics batch, the person's note), in one transaction with one
audit event. Only an open month takes values: a registered or authorized month waits for its decision, and an
approved one is locked (models.py) until it is reopened."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.operations import goals
from planea.operations.models import OperationalPlan
from planea.org.models import Person
from planea.org.roles import Role
from planea.strategy.models import PlanStatus

from .models import (
    ExecutedGoal,
    ExecutionChange,
    ExecutionMonth,
    MonthStatus,
    Source,
    executed_column,
    source_column,
)

# Who writes what was executed (typed, imported) and the causes of deviation: Planes y Programas.
EDITOR_ROLES = frozenset({Role.PROFESIONAL_PLANES_PROGRAMAS, Role.JEFE_PLANES_PROGRAMAS})
# Whole units, 0 to 2,147,483,647 on both databases: the bounds of the goals they are set against.
GOAL_BOUNDS = goals.GOAL_BOUNDS

type Line = tuple[int, int]  # subproduct, cost center
type Cell = tuple[int, int, int]  # subproduct, cost center, month


class ExecutionError(Exception):
    """The execution cannot be written or moved on; the message is a Spanish sentence for the person."""


@dataclass(frozen=True)
class Written:
    changed: int
    unchanged: int


def months_of(plan: OperationalPlan, months: set[int], *, lock: bool) -> dict[int, ExecutionMonth]:
    """The execution months of the POA (created open when missing), locked when `lock`."""
    if not plan.is_annual:
        raise ExecutionError(_("La ejecución se registra en un POA, no en un POM."))
    if plan.status != PlanStatus.APPROVED:
        raise ExecutionError(_("%(plan)s no está aprobado: se ejecuta un POA aprobado.") % {"plan": plan.code})
    for month in months:
        ExecutionMonth.objects.get_or_create(plan=plan, year=plan.start_year, month=month)
    found = ExecutionMonth.objects.filter(plan=plan, year=plan.start_year, month__in=months)
    return {m.month: m for m in (found.select_for_update() if lock else found)}


@transaction.atomic
def write(
    plan: OperationalPlan,
    values: Mapping[Cell, int | None],
    *,
    source: Source,
    actor: Person,
    note: str = "",
    statistics_batch_id: int | None = None,
) -> Written:
    """Write executed values of the POA's year: (subproduct, cost center, month) → quantity (None: not executed
    yet). ExecutionError, nothing written, when a month is not open."""
    months = months_of(plan, {month for _s, _c, month in values}, lock=True)
    closed = sorted(m.month for m in months.values() if m.status != MonthStatus.OPEN)
    if closed:
        shown = ", ".join(f"{m:02d}/{plan.start_year}" for m in closed)
        raise ExecutionError(
            ngettext(
                "El mes %(months)s ya no está abierto (registrado, autorizado o aprobado): no cambia.",
                "Los meses %(months)s ya no están abiertos (registrados, autorizados o aprobados): no cambian.",
                len(closed),
            )
            % {"months": shown}
        )
    rows = {
        (row.subproduct_id, row.cost_center_id): row
        for row in ExecutedGoal.objects.select_for_update().filter(plan=plan, year=plan.start_year)
    }
    now = timezone.now()
    new: dict[Line, ExecutedGoal] = {}
    touched: dict[int, ExecutedGoal] = {}
    history: list[ExecutionChange] = []
    unchanged = 0
    for (subproduct, center, month), value in sorted(values.items()):
        row = rows.get((subproduct, center))
        if row is None:
            row = rows[(subproduct, center)] = new[(subproduct, center)] = ExecutedGoal(
                plan=plan, subproduct_id=subproduct, cost_center_id=center, year=plan.start_year
            )
        before = row.value(month)
        if before == value and (value is None or row.source(month) == source):
            unchanged += 1
            continue
        setattr(row, executed_column(month), value)
        setattr(row, source_column(month), source if value is not None else "")
        if row.pk is not None:
            touched[row.pk] = row
        history.append(
            ExecutionChange(
                row=row,
                month=month,
                before=before,
                after=value,
                source=source,
                statistics_batch_id=statistics_batch_id,
                note=note[:500],
                revision=months[month].revision,
                changed_by=actor,
                changed_at=now,
            )
        )
    ExecutedGoal.objects.bulk_create(new.values())
    if touched:  # a file imported twice changes nothing: no row to update
        fields = [column for m in months for column in (executed_column(m), source_column(m))]
        ExecutedGoal.objects.bulk_update(touched.values(), fields, batch_size=500)
    ExecutionChange.objects.bulk_create(history, batch_size=2000)
    if history:
        record(
            actor=actor,
            action="execution_written",
            instance=plan,
            after={"source": str(source), "changed": len(history), "months": sorted(months), "note": note[:500]},
            summary=ngettext(
                "%(plan)s: %(n)s valor ejecutado escrito (%(source)s)",
                "%(plan)s: %(n)s valores ejecutados escritos (%(source)s)",
                len(history),
            )
            % {"plan": plan.code, "n": len(history), "source": Source(source).label},
        )
    return Written(changed=len(history), unchanged=unchanged)


def executed_of(plan: OperationalPlan, month: int | None = None) -> dict[Cell, int]:
    """The POA's executed values: (subproduct, cost center, month) → quantity, for the registered cells (of one
    month when given)."""
    months = [month] if month is not None else list(range(1, 13))
    columns = [executed_column(m) for m in months]
    cells: dict[Cell, int] = {}
    rows = ExecutedGoal.objects.filter(plan=plan, year=plan.start_year).order_by()
    for subproduct, center, *values in rows.values_list("subproduct_id", "cost_center_id", *columns):
        for m, value in zip(months, values, strict=True):
            if value is not None:
                cells[(subproduct, center, m)] = value
    return cells
