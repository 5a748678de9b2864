"""The P6 case of a month: started for an approved POA and a month chosen from a list, one case per POA and month
(a second one is refused, naming the first). The case's steps work on that month's execution (months.py)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.operations.models import OperationalPlan
from planea.org.models import Person
from planea.procedures import cases
from planea.procedures.manual import P6
from planea.procedures.models import Case
from planea.statistics.loading import current_month

from .executed import ExecutionError, months_of
from .models import ExecutionMonth

STARTER_ROLE = P6.steps[0].role  # the jefe de Planes y Programas asks Estadística for the month (step 1)


class MonthCaseExists(ExecutionError):
    """The month already has its P6 case; `case` is it."""

    def __init__(self, message: str, case: Case) -> None:
        super().__init__(message)
        self.case = case


def month_name(month: ExecutionMonth) -> str:
    """«septiembre de 2026», as the case's title says it."""
    return period_name(month.year, month.month)


def period_name(year: int, month: int) -> str:
    return date_format(date(year, month, 1), "F \\d\\e Y").lower()


@transaction.atomic
def start(plan: OperationalPlan, month: int, *, actor: Person) -> ExecutionMonth:
    """Start the P6 case of `month` of the approved POA and link it to the month. The month's row is locked, so two
    people starting the same month cannot both succeed."""
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    if (plan.start_year, month) > current_month():
        raise ExecutionError(
            _("%(month)s aún no empieza: su expediente se inicia desde que comienza el mes.")
            % {"month": capfirst(period_name(plan.start_year, month))}
        )
    execution_month = months_of(plan, {month}, lock=True)[month]
    if execution_month.case_id is not None:
        case = Case.objects.get(pk=execution_month.case_id)
        raise MonthCaseExists(
            _("La ejecución de %(month)s del %(plan)s ya tiene su expediente: %(case)s.")
            % {"month": month_name(execution_month), "plan": plan.code, "case": case.number},
            case=case,
        )
    case = cases.start_case(
        code=P6.code,
        title=_("Ejecución de metas físicas de %(month)s, %(plan)s")
        % {"month": month_name(execution_month), "plan": plan.code},
        subject=f"{execution_month.year}-{execution_month.month:02d}",
        actor=actor,
    )
    execution_month.case = case
    execution_month.save(update_fields=["case"])
    record(
        actor=actor,
        action="p6_month_linked",
        instance=execution_month,
        after={"case": case.number, "plan": plan.code, "month": f"{execution_month.year}-{execution_month.month:02d}"},
        summary=_("Expediente %(case)s para la ejecución de %(month)s del %(plan)s")
        % {"case": case.number, "month": month_name(execution_month), "plan": plan.code},
    )
    return execution_month
