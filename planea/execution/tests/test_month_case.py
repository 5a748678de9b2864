"""A P6 case is started for an approved POA and a month, one per POA and month."""

import pytest

from planea.audit.models import AuditEvent
from planea.execution import month_case
from planea.execution.executed import ExecutionError
from planea.procedures.errors import ProcedureError

pytestmark = pytest.mark.django_db


def test_one_case_per_poa_and_month(poa, demo):
    jefe = demo["jefe_planes_programas"]
    september = month_case.start(poa, 9, actor=jefe)
    case = september.case
    assert case is not None and case.definition.code == "11.01.U0.P6"
    assert case.title == "Ejecución de metas físicas de septiembre de 2026, POA-2026" and case.subject == "2026-09"
    with pytest.raises(month_case.MonthCaseExists, match=f"ya tiene su expediente: {case.number}") as refused:
        month_case.start(poa, 9, actor=jefe)
    assert refused.value.case == case
    assert month_case.start(poa, 10, actor=jefe).case != case
    assert AuditEvent.objects.filter(action="p6_month_linked").count() == 2


def test_only_an_approved_poa_and_the_role_of_step_1_start_one(plans, poa, demo):
    with pytest.raises(ExecutionError, match="se registra en un POA, no en un POM"):
        month_case.start(plans["pom"], 1, actor=demo["jefe_planes_programas"])
    with pytest.raises(ProcedureError):
        month_case.start(poa, 1, actor=demo["enlace_area"])


def test_a_month_that_has_not_begun_has_no_case_yet(poa, demo, monkeypatch):
    monkeypatch.setattr(month_case, "current_month", lambda: (2026, 11))
    with pytest.raises(ExecutionError, match="Diciembre de 2026 aún no empieza"):
        month_case.start(poa, 12, actor=demo["jefe_planes_programas"])
    assert month_case.start(poa, 11, actor=demo["jefe_planes_programas"]).case is not None
