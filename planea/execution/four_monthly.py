"""The physical execution report of a cuatrimestre (ene–abr, may–ago, sep–dic) or of the year, as SIGES and SEGEPLAN
ask for it every four months: per product and subproduct, with its unit of measure, the current goal (meta vigente),
what was executed, the % of execution and the causes of deviation. It is made only of approved months — the figures
each approval fixed (its latest revision) — and says which months it covers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Sum

from planea.core.periods import CUATRIMESTRES, months_of
from planea.operations.models import OperationalPlan, PhysicalGoal, goal_column
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
    current: int = 0  # the current goal of the period's approved months
    executed: int = 0  # executed in the period's approved months
    causes: list[str] = field(default_factory=list)
    annual_current: int = 0  # the current goal of the whole year (meta vigente anual)
    accumulated: int = 0  # executed in the approved months from January to the end of the period

    @property
    def percent(self) -> Decimal | None:
        """Executed in the period against the period's current goal."""
        return _percent(self.executed, self.current)

    @property
    def annual_percent(self) -> Decimal | None:
        """Executed from January to the end of the period against the year's current goal (the advance)."""
        return _percent(self.accumulated, self.annual_current)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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


def annual_goals(plan: OperationalPlan, centers: Collection[str] | None) -> dict[str, int]:
    """Subproduct code → the current goal of the whole year (of the cost centers `centers`, when given)."""
    rows = PhysicalGoal.objects.filter(plan=plan, year=plan.start_year).order_by()
    if centers is not None:
        rows = rows.filter(cost_center__code__in=list(centers))
    # A sum per month column (64-bit on both databases), added here: twelve months of large goals pass 2**31.
    sums = rows.values_list("subproduct__code").annotate(*(Sum(goal_column("current", m)) for m in range(1, 13)))
    return {str(code): sum(int(value or 0) for value in months) for code, *months in sums}


def report(plan: OperationalPlan, period: int, centers: Collection[str] | None = None) -> FourMonthlyReport:
    """The report of `period` (a cuatrimestre 1–3, or YEAR) from the approved months of the POA; of the cost centers
    whose codes are `centers` only, when given (an area liaison's report of their area)."""
    wanted = period_months(period)
    so_far = approved_figures(plan, tuple(range(1, max(wanted) + 1)))  # January to the end of the period
    figures = {month: rows for month, rows in so_far.items() if month in wanted}
    subproducts = {
        s.code: s for s in Subproduct.objects.filter(plan_id=plan.strategic_plan_id).select_related("product", "unit")
    }
    lines: dict[str, ReportLine] = {}
    causes: dict[str, list[str]] = defaultdict(list)
    for month in sorted(figures):
        for row in figures[month]:
            if centers is not None and str(row["cost_center"]) not in centers:
                continue
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
    for rows in so_far.values():
        for row in rows:
            code = str(row["subproduct"])
            if code in lines and (centers is None or str(row["cost_center"]) in centers):
                lines[code].accumulated += int(str(row["executed"] or 0))
    for code, annual in annual_goals(plan, centers).items():
        if code in lines:
            lines[code].annual_current = annual
    ordered = sorted(lines.values(), key=lambda line: (line.product_code, line.subproduct_code))
    return FourMonthlyReport(
        plan.code,
        plan.start_year,
        period,
        sorted(figures),
        [m for m in wanted if m not in figures],
        ordered,
    )
