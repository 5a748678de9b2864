"""P6 step 2, "recibe información del Departamento de Estadística correspondiente al mes a ejecutar": the month's
executed quantities taken from the statistics loaded for it, through the variables that measure each subproduct (by
subproduct code, so that a variable keeps measuring its subproduct across PEI versions; several variables of one
subproduct add up), per cost center, rounded half up to whole units. Values a person typed or imported are kept: the
pre-fill writes only empty cells and cells it wrote before."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from planea.operations.models import OperationalPlan
from planea.org.models import Person
from planea.statistics.models import StatisticYear, value_column
from planea.strategy.models import Subproduct

from .executed import Cell, ExecutionError, Line, Written, write
from .models import ExecutedGoal, Source


def statistics_of(plan: OperationalPlan, month: int) -> tuple[dict[Line, int], int | None]:
    """(subproduct, cost center) → the month's statistics of the variables measuring the subproduct, and the latest
    batch that brought any of them."""
    own = dict(Subproduct.objects.filter(plan_id=plan.strategic_plan_id).values_list("code", "pk"))
    rows = StatisticYear.objects.filter(
        year=plan.start_year,
        cost_center__isnull=False,
        variable__subproduct__code__in=own,
        **{f"{value_column(month)}__isnull": False},
    ).select_related("variable__subproduct")
    sums: dict[Line, Decimal] = defaultdict(Decimal)
    batches: set[int] = set()
    for row in rows:
        assert row.variable.subproduct is not None and row.cost_center_id is not None  # filtered above
        sums[(own[row.variable.subproduct.code], row.cost_center_id)] += row.value(month) or Decimal(0)
        if (batch := row.batch_id_of(month)) is not None:
            batches.add(batch)
    whole = {line: int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for line, total in sums.items()}
    return whole, max(batches) if batches else None


@transaction.atomic
def prefill(plan: OperationalPlan, month: int, *, actor: Person) -> Written:
    """Write the month's executed quantities from its statistics (ExecutionError when none are loaded)."""
    found, batch = statistics_of(plan, month)
    if not found:
        raise ExecutionError(
            _("No hay estadísticas de %(month)02d/%(year)s de los subproductos del POA: Estadística las carga primero.")
            % {"month": month, "year": plan.start_year}
        )
    kept = {
        (row.subproduct_id, row.cost_center_id)
        for row in ExecutedGoal.objects.filter(plan=plan, year=plan.start_year)
        if row.value(month) is not None and row.source(month) != Source.STATISTICS
    }
    values: dict[Cell, int | None] = {(s, c, month): v for (s, c), v in found.items() if (s, c) not in kept}
    return write(plan, values, source=Source.STATISTICS, actor=actor, statistics_batch_id=batch)
