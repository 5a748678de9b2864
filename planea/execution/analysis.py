"""P6 step 3, "analiza información estadística": per subproduct × cost center, a month's programmed, current
(vigente) and executed quantities, the % of execution against the current goal and the deviation; a line whose
deviation passes the tolerance (PLANEA_EXECUTION_TOLERANCE, ± 10 % by default) needs its written cause before the
month is authorized."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from planea.operations import goals
from planea.operations.models import OperationalPlan

from .executed import Line, executed_of

HUNDRED = Decimal(100)


def tolerance() -> Decimal:
    """The tolerance of execution against the current goal, in % either way."""
    return Decimal(str(settings.PLANEA_EXECUTION_TOLERANCE))


@dataclass(frozen=True)
class LineFigures:
    subproduct_id: int
    cost_center_id: int
    planned: int
    current: int
    executed: int | None

    @property
    def deviation(self) -> int | None:
        """Executed − current goal (None before anything is registered)."""
        return None if self.executed is None else self.executed - self.current

    @property
    def percent(self) -> Decimal | None:
        """Executed / current goal × 100, one decimal; None without a goal or an executed value."""
        if self.executed is None or not self.current:
            return None
        return (Decimal(self.executed) * HUNDRED / self.current).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def beyond(self, limit: Decimal) -> bool:
        """The deviation passes the tolerance: more than `limit` % from the current goal, or anything executed
        where the goal is 0."""
        if self.executed is None:
            return False
        if not self.current:
            return self.executed > 0
        return abs(Decimal(self.executed - self.current)) * HUNDRED > limit * self.current


def month_lines(plan: OperationalPlan, month: int) -> dict[Line, LineFigures]:
    """Every line of the POA in `month` that has a goal or an executed value."""
    year = plan.start_year
    planned = {(s, c): v for (s, c, y, m), v in goals.values_of(plan).items() if m == month and y == year}
    current = {(s, c): v for (s, c, y, m), v in goals.values_of(plan, attr="current").items() if m == month}
    executed = {(s, c): v for (s, c, _m), v in executed_of(plan, month).items()}
    lines = {key for key in {**planned, **current} if planned.get(key) or current.get(key)} | set(executed)
    return {
        key: LineFigures(key[0], key[1], planned.get(key, 0), current.get(key, 0), executed.get(key))
        for key in sorted(lines)
    }


def year_to_date(plan: OperationalPlan, month: int) -> dict[Line, LineFigures]:
    """Every line of the POA from January to `month`: the sums of its programmed, current and executed quantities
    (executed None while no month of the span has a value)."""
    sums: dict[Line, list[int | None]] = {}
    for each in range(1, month + 1):
        for key, figures in month_lines(plan, each).items():
            planned, current, executed = sums.setdefault(key, [0, 0, None])
            executed = executed if figures.executed is None else (executed or 0) + figures.executed
            sums[key] = [(planned or 0) + figures.planned, (current or 0) + figures.current, executed]
    return {key: LineFigures(key[0], key[1], int(p or 0), int(c or 0), e) for key, (p, c, e) in sorted(sums.items())}


@dataclass(frozen=True)
class Totals:
    """Figures added up over lines (a subproduct, an area, a product)."""

    planned: int
    current: int
    executed: int

    @property
    def percent(self) -> Decimal | None:
        return LineFigures(0, 0, self.planned, self.current, self.executed).percent

    @property
    def deviation(self) -> int:
        return self.executed - self.current


def totals(lines: dict[Line, LineFigures], keys: set[Line] | None = None) -> Totals:
    """The totals of `lines` (of the `keys` among them, when given)."""
    chosen = [f for key, f in lines.items() if keys is None or key in keys]
    return Totals(sum(f.planned for f in chosen), sum(f.current for f in chosen), sum(f.executed or 0 for f in chosen))
