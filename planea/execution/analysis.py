"""P6 step 3, "analiza información estadística": per subproduct × cost center, a month's programmed, current
(vigente) and executed quantities, the % of execution against the current goal and the deviation; a line whose
deviation passes the tolerance (PLANEA_EXECUTION_TOLERANCE, ± 10 % by default) needs its written cause before the
month is authorized."""

from __future__ import annotations

from collections.abc import Iterable
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


def lines_by_month(plan: OperationalPlan, months: Iterable[int]) -> dict[int, dict[Line, LineFigures]]:
    """Month → every line of the POA in that month that has a goal or an executed value; the goals and the executed
    quantities are read once for all the months."""
    year = plan.start_year
    planned, current = goals.values_of(plan), goals.values_of(plan, attr="current")
    executed = executed_of(plan)
    wanted = set(months)
    keyed: dict[int, set[Line]] = {month: set() for month in wanted}  # the lines of each month, in one pass
    for cells in (planned, current):
        for (s, c, y, m), v in cells.items():
            if v and y == year and m in wanted:
                keyed[m].add((s, c))
    for s, c, m in executed:
        if m in wanted:
            keyed[m].add((s, c))
    found: dict[int, dict[Line, LineFigures]] = {}
    for month in months:
        keys = keyed[month]
        found[month] = {
            (s, c): LineFigures(
                s,
                c,
                planned.get((s, c, year, month), 0),
                current.get((s, c, year, month), 0),
                executed.get((s, c, month)),
            )
            for s, c in sorted(keys)
        }
    return found


def month_lines(plan: OperationalPlan, month: int) -> dict[Line, LineFigures]:
    """Every line of the POA in `month` that has a goal or an executed value."""
    return lines_by_month(plan, [month])[month]


def year_to_date(plan: OperationalPlan, month: int) -> dict[Line, LineFigures]:
    """Every line of the POA from January to `month`: the sums of its programmed, current and executed quantities
    (executed None while no month of the span has a value)."""
    return summed(lines_by_month(plan, range(1, month + 1)))


def summed(by_month: dict[int, dict[Line, LineFigures]]) -> dict[Line, LineFigures]:
    """The lines of several months added up (as `year_to_date` does for January to a month)."""
    sums: dict[Line, LineFigures] = {}
    for lines in by_month.values():
        for key, figures in lines.items():
            before = sums.get(key, LineFigures(key[0], key[1], 0, 0, None))
            executed = before.executed if figures.executed is None else (before.executed or 0) + figures.executed
            sums[key] = LineFigures(
                key[0], key[1], before.planned + figures.planned, before.current + figures.current, executed
            )
    return dict(sorted(sums.items()))


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
