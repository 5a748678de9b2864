"""The plan that every page of a plan starts from, with its PEI, its POM and its case, read in one statement
written once (the ORM took longer to build the joined statement than the database to run it)."""

from __future__ import annotations

from django.http import Http404

from planea.core import rows
from planea.core.params import INT64
from planea.procedures.models import Case
from planea.strategy.models import StrategicPlan

from .models import OperationalPlan

_PLAN = rows.Columns(OperationalPlan, rows.field_names(OperationalPlan), "p")
_POM = rows.Columns(OperationalPlan, rows.field_names(OperationalPlan), "m")
# the PEI's long texts and the case's engine state are read when a page asks for them, not on every plan page
_PEI = rows.Columns(
    StrategicPlan,
    rows.field_names(
        StrategicPlan,
        without=(
            *("mission", "vision", "principles", "situation_analysis"),
            *("conceptual_frame", "strategic_frame", "logical_frame", "change_reason"),
        ),
    ),
    "s",
)
_CASE = rows.Columns(Case, rows.field_names(Case, without=("state",)), "c")
_TABLE = OperationalPlan._meta.db_table
_SQL = (
    f"SELECT {_PLAN.sql}, {_PEI.sql}, {_POM.sql}, {_CASE.sql} FROM {_TABLE} p"
    f" JOIN {StrategicPlan._meta.db_table} s ON s.id = p.strategic_plan_id"
    f" LEFT JOIN {_TABLE} m ON m.id = p.multiannual_id LEFT JOIN {Case._meta.db_table} c ON c.id = p.case_id"
    " WHERE p.id = %s"
)


def plan_page(pk: int) -> OperationalPlan:
    """The plan with its PEI, its POM (if any) and its case (if any) already read; Http404 when there is none."""
    found = rows.fetch(_SQL, [pk]) if 0 < pk <= INT64 else []  # a number past any id is no plan, as the ORM has it
    if not found:
        raise Http404("No hay un plan con ese número.")
    row, db = found[0], rows.current()
    plan: OperationalPlan = _PLAN.instance(row, 0, db)
    at = _PLAN.width
    plan.strategic_plan = _PEI.instance(row, at, db)
    at += _PEI.width
    plan.multiannual = _POM.instance(row, at, db) if plan.multiannual_id is not None else None
    at += _POM.width
    plan.case = _CASE.instance(row, at, db) if plan.case_id is not None else None
    return plan
