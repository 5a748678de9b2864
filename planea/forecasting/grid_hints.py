"""P5 step 6 (realiza el ajuste de metas físicas): while a P5 case with a chosen forecast run programs a POA, the
goal grid of that POA shows under each cell the forecast of the month and its 80 % interval (the provider registered
in operations/grid_hints.py). The numbers are the proposal's (proposal.py): variables measuring one subproduct add
up, and so do their bounds."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from planea.operations import grid_hints
from planea.operations.models import OperationalPlan
from planea.procedures.models import CaseStatus
from planea.strategy.models import Subproduct

from .models import Programming, RunStatus
from .proposal import proposal


def active_programming(plan: OperationalPlan) -> Programming | None:
    """The P5 programming of the plan that is under way with a finished run (the latest, if ever more than one)."""
    return (
        Programming.objects.filter(plan=plan, run__status=RunStatus.DONE)
        .exclude(case__status=CaseStatus.COMPLETED)
        .select_related("run", "case")
        .order_by("-created_at", "-pk")
        .first()
    )


@grid_hints.register
def forecast_hints(plan: OperationalPlan, subproduct: Subproduct) -> grid_hints.Hints | None:
    programming = active_programming(plan)
    if programming is None or programming.run is None:
        return None
    lines = proposal(programming.run, plan.strategic_plan_id, subproduct_code=subproduct.code)
    source = _("corrida n.º %(run)s, %(case)s") % {"run": programming.run.pk, "case": programming.case.number}
    link = reverse("procedures:case", args=[programming.case_id])
    label = _("Volver al expediente %(case)s") % {"case": programming.case.number}
    return {
        (line.cost_center_id, month): grid_hints.Hint(band.yhat, band.lo80, band.hi80, source, link, label)
        for line in lines.values()
        for month, band in line.months.items()
    }
