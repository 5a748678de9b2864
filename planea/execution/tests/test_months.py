"""A month of execution through P6 with the services people's steps call: values written with their source and
history; registered only complete; authorized only with the causes of deviations beyond the tolerance; approved in
order, which locks it by every path; reopened by the subdirector with a reason as a new revision, the approved one
kept."""

import pytest
from django.db import transaction

from planea.audit.models import AuditEvent
from planea.execution import executed, months
from planea.execution.analysis import month_lines
from planea.execution.executed import ExecutionError
from planea.execution.models import (
    ApprovedRevision,
    ExecutedGoal,
    ExecutionChange,
    ExecutionMonth,
    LockedMonthError,
    MonthStatus,
    Source,
    executed_column,
)

from .p6 import current_goals, executed_as_goals, through_approval

pytestmark = pytest.mark.django_db


def test_values_are_written_with_their_source_and_history(poa, demo):
    (line, goal), *_rest = current_goals(poa, 1).items()
    result = executed.write(
        poa,
        {(*line, 1): goal},
        source=Source.STATISTICS,
        actor=demo["profesional_planes_programas"],
        statistics_batch_id=7,
    )
    assert result.changed == 1
    executed.write(
        poa, {(*line, 1): goal + 5}, source=Source.TYPED, actor=demo["jefe_planes_programas"], note="Conteo tardío"
    )
    row = ExecutedGoal.objects.get(plan=poa, subproduct_id=line[0], cost_center_id=line[1])
    assert (row.value(1), row.source(1)) == (goal + 5, Source.TYPED)
    first, second = ExecutionChange.objects.filter(row=row)
    assert (first.before, first.after, first.source, first.statistics_batch_id) == (None, goal, "estadistica", 7)
    assert (second.before, second.after, second.note) == (goal, goal + 5, "Conteo tardío")
    assert AuditEvent.objects.filter(action="execution_written").count() == 2
    again = executed.write(poa, {(*line, 1): goal + 5}, source=Source.TYPED, actor=demo["jefe_planes_programas"])
    assert again.changed == 0 and AuditEvent.objects.filter(action="execution_written").count() == 2


def test_only_an_approved_poa_is_executed(plans, demo):
    with pytest.raises(ExecutionError, match="no está aprobado"):
        executed.write(plans["poa"], {}, source=Source.TYPED, actor=demo["profesional_planes_programas"])


def test_a_month_is_registered_only_when_every_line_with_a_goal_has_its_value(poa, demo):
    values = executed_as_goals(poa, 1, demo)
    first = next(iter(values))
    executed.write(poa, {first: None}, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    with pytest.raises(ExecutionError, match="Falta lo ejecutado de 1 línea con meta: P02-02"):
        months.register(month, actor=demo["profesional_planes_programas"])
    executed.write(poa, {first: 0}, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    months.register(month, actor=demo["profesional_planes_programas"])
    with pytest.raises(ExecutionError, match="ya no está abierto"):
        executed.write(poa, {first: 3}, source=Source.TYPED, actor=demo["profesional_planes_programas"])


def test_a_deviation_beyond_the_tolerance_needs_its_cause_before_authorization(poa, demo):
    values = executed_as_goals(poa, 1, demo)
    (s, c, _m), goal = next(iter(values.items()))
    executed.write(
        poa, {(s, c, 1): round(goal * 0.85)}, source=Source.TYPED, actor=demo["profesional_planes_programas"]
    )
    assert month_lines(poa, 1)[(s, c)].percent == pytest.approx(85, abs=0.1)
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    months.register(month, actor=demo["profesional_planes_programas"])
    with pytest.raises(ExecutionError, match=r"1 línea se desvía más de ±10 % de la meta vigente y no tiene su causa"):
        months.authorize(month, actor=demo["jefe_planes_programas"])
    months.write_cause(
        month, (s, c), "Cierre temporal del puesto por obras.", actor=demo["profesional_planes_programas"]
    )
    months.authorize(month, actor=demo["jefe_planes_programas"])
    revision = months.approve(month, actor=demo["subdirector_planificacion"])
    (line,) = [f for f in revision.figures if f["cause"]]
    assert line["cause"] == "Cierre temporal del puesto por obras." and line["executed"] == round(goal * 0.85)


def test_months_are_approved_in_order(poa, demo):
    executed_as_goals(poa, 2, demo)
    february = ExecutionMonth.objects.get(plan=poa, month=2)
    months.register(february, actor=demo["profesional_planes_programas"])
    months.authorize(february, actor=demo["jefe_planes_programas"])
    with pytest.raises(ExecutionError, match="Primero se aprueba el mes 01/2026"):
        months.approve(february, actor=demo["subdirector_planificacion"])
    through_approval(poa, 1, demo)
    months.approve(february, actor=demo["subdirector_planificacion"])


def test_an_approved_month_refuses_every_change_by_every_path(poa, demo):
    january = through_approval(poa, 1, demo)
    assert january.status == MonthStatus.APPROVED
    row = ExecutedGoal.objects.filter(plan=poa).order_by("pk")[0]
    line = (row.subproduct_id, row.cost_center_id, 1)
    with pytest.raises(ExecutionError, match="ya no está abierto"):
        executed.write(poa, {line: 1}, source=Source.TYPED, actor=demo["subdirector_planificacion"])
    setattr(row, executed_column(1), (row.value(1) or 0) + 1)
    with pytest.raises(LockedMonthError), transaction.atomic():
        row.save()
    with pytest.raises(LockedMonthError), transaction.atomic():
        ExecutedGoal.objects.filter(plan=poa).update(executed_1=0)
    with pytest.raises(LockedMonthError), transaction.atomic():
        ExecutedGoal.objects.bulk_update([row], ["executed_1"])
    with pytest.raises(LockedMonthError), transaction.atomic():
        ExecutedGoal.objects.filter(plan=poa).delete()
    with pytest.raises(LockedMonthError), transaction.atomic():
        ExecutedGoal.objects.get(pk=row.pk).delete()
    with pytest.raises(LockedMonthError), transaction.atomic():
        ExecutedGoal.objects.bulk_create(
            [ExecutedGoal(plan=poa, subproduct_id=row.subproduct_id, cost_center_id=row.cost_center_id, year=2027)]
            + [ExecutedGoal(plan=poa, subproduct_id=row.subproduct_id, cost_center_id=line[1], year=2026, executed_1=5)]
        )
    # A month still open is written as before.
    ExecutedGoal.objects.filter(pk=row.pk).update(executed_2=7)


def test_reopening_needs_the_subdirector_and_a_reason_and_keeps_the_approved_revision(poa, demo):
    january = through_approval(poa, 1, demo)
    with pytest.raises(ExecutionError, match="Solo la Subdirección de Planificación"):
        months.reopen(january, reason="Error", actor=demo["jefe_planes_programas"])
    with pytest.raises(ExecutionError, match="Escriba el motivo"):
        months.reopen(january, reason="  ", actor=demo["subdirector_planificacion"])
    months.reopen(january, reason="Estadística corrigió el conteo de 0201.", actor=demo["subdirector_planificacion"])
    january.refresh_from_db()
    assert (january.status, january.revision) == (MonthStatus.OPEN, 2)
    first = ApprovedRevision.objects.get(execution_month=january, revision=1)
    row = ExecutedGoal.objects.filter(plan=poa).order_by("pk")[0]
    executed.write(
        poa,
        {(row.subproduct_id, row.cost_center_id, 1): (row.value(1) or 0) + 11},
        source=Source.TYPED,
        actor=demo["profesional_planes_programas"],
        note="Corrección tras la reapertura",
    )
    months.register(january, actor=demo["profesional_planes_programas"])
    months.write_cause(
        january, (row.subproduct_id, row.cost_center_id), "Corrección.", actor=demo["profesional_planes_programas"]
    )
    months.authorize(january, actor=demo["jefe_planes_programas"])
    second = months.approve(january, actor=demo["subdirector_planificacion"])
    first.refresh_from_db()
    assert second.revision == 2 and second.sha256 != first.sha256
    assert first.sha256 == months.digest(first.figures)  # the first approval is still readable as it was
    assert ExecutionChange.objects.filter(revision=2).count() == 1
    assert AuditEvent.objects.filter(action="execution_reopened").count() == 1


def test_the_year_to_date_adds_up_the_months(poa, demo):
    from planea.execution.analysis import totals, year_to_date

    through_approval(poa, 1, demo)
    executed_as_goals(poa, 2, demo, factor=0.5)
    ytd = year_to_date(poa, 2)
    january, february = month_lines(poa, 1), month_lines(poa, 2)
    for key, figures in ytd.items():
        assert figures.current == january[key].current + february[key].current
        assert figures.executed == (january[key].executed or 0) + (february[key].executed or 0)
    whole = totals(ytd)
    assert whole.executed == totals(january).executed + totals(february).executed
    assert whole.percent is not None and 70 < whole.percent < 80  # January at 100 %, February at 50 %


def test_a_group_measures_its_deviation_on_the_same_lines_as_its_percent():
    from decimal import Decimal

    from planea.execution.analysis import Totals
    from planea.execution.breakdown import Group

    half = Group("P01-01", "Pasaportes", Totals(100, 100, 45), lines=2, beyond=0, reported=1, reported_current=50)
    assert half.percent == Decimal("90.0") and half.deviation == -5  # not 45 − 100 over a line without its value
    none = Group("P01-01", "Pasaportes", Totals(100, 100, 0), lines=2, beyond=0, reported=0, reported_current=0)
    assert none.percent is None and none.deviation is None
