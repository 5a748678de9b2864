"""The physical execution report of a cuatrimestre (ene–abr, may–ago, sep–dic) or of the year, as SIGES and SEGEPLAN
ask for it every four months: per product and subproduct, with its unit of measure, the current goal (meta vigente),
what was executed, the % of execution and the causes of deviation. It is made only of approved months — the figures
each approval fixed (its latest revision) — and says which months it covers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F

from planea.core.periods import CUATRIMESTRES, months_of
from planea.operations.models import OperationalPlan
from planea.strategy.models import Subproduct

from .models import ApprovedRevision, ExecutionMonth, MonthStatus

HUNDRED = Decimal(100)
YEAR = 0  # the period of the whole year


@dataclass
class ReportLine:
    product_code: str
    product_name: str
    subproduct_code: str
    subproduct_name: str
    unit: str
    current: int = 0
    executed: int = 0
    causes: list[str] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        if not self.current:
            return None
        return (Decimal(self.executed) * HUNDRED / self.current).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class FourMonthlyReport:
    plan_code: str
    year: int
    period: int  # 1–3, or YEAR
    months: list[int]  # the approved months it covers
    pending: list[int]  # the months of the period not approved yet (left out)
    lines: list[ReportLine]


def period_months(period: int) -> tuple[int, ...]:
    if period == YEAR:
        return tuple(range(1, 13))
    if period not in CUATRIMESTRES:
        raise ValueError(period)
    return months_of(period)


def approved_figures(plan: OperationalPlan, months: tuple[int, ...]) -> dict[int, list[dict[str, object]]]:
    """Month → the figures of its latest approved revision, for the approved months among `months`."""
    approved = ExecutionMonth.objects.filter(
        plan=plan, year=plan.start_year, month__in=months, status=MonthStatus.APPROVED
    )
    standing = ApprovedRevision.objects.filter(execution_month__in=approved, revision=F("execution_month__revision"))
    return dict(standing.values_list("execution_month__month", "figures"))


def report(plan: OperationalPlan, period: int) -> FourMonthlyReport:
    """The report of `period` (a cuatrimestre 1–3, or YEAR) from the approved months of the POA."""
    wanted = period_months(period)
    figures = approved_figures(plan, wanted)
    subproducts = {
        s.code: s for s in Subproduct.objects.filter(plan_id=plan.strategic_plan_id).select_related("product", "unit")
    }
    lines: dict[str, ReportLine] = {}
    causes: dict[str, list[str]] = defaultdict(list)
    for month in sorted(figures):
        for row in figures[month]:
            code = str(row["subproduct"])
            subproduct = subproducts[code]
            line = lines.get(code)
            if line is None:
                line = lines[code] = ReportLine(
                    subproduct.product.code,
                    subproduct.product.name,
                    code,
                    subproduct.name,
                    subproduct.unit.name,
                )
            line.current += int(str(row["current"] or 0))
            line.executed += int(str(row["executed"] or 0))
            if row.get("cause"):
                causes[code].append(f"{month:02d}/{plan.start_year} · {row['cost_center']}: {row['cause']}")
    for code, texts in causes.items():
        lines[code].causes = texts
    ordered = sorted(lines.values(), key=lambda line: (line.product_code, line.subproduct_code))
    return FourMonthlyReport(
        plan.code,
        plan.start_year,
        period,
        sorted(figures),
        [m for m in wanted if m not in figures],
        ordered,
    )
