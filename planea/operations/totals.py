"""Totals of physical goals, computed from the monthly (or yearly) cells on every read, never stored: per
subproduct, per cost center, per cuatrimestre and per year, and the POA checked against its POM."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from planea import periods
from planea.org.models import CostCenter
from planea.strategy.models import Subproduct

from .goals import plan_months, year_total
from .models import OperationalPlan, PhysicalGoal, goal_column


@dataclass
class Line:
    """One row of a totals table: a value per period column, then cuatrimestres (POA only) and the total."""

    key: Any
    label: str
    values: list[int] = field(default_factory=list)
    cuatrimestres: list[int] = field(default_factory=list)
    total: int = 0
    unit: str = ""


def _lines(
    plan: OperationalPlan, group: str, attr: str, labels: dict[int, tuple[str, str]], **filters: Any
) -> list[Line]:
    columns = plan.periods()
    index = {period: i for i, period in enumerate(columns)}
    months = plan_months(plan)
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * len(columns))
    # A POA's rows are all of its one year: grouped by the key alone, the database reads them in index order.
    by_year = not plan.is_annual
    rows = (
        PhysicalGoal.objects.filter(plan=plan, **filters)
        .values_list(group, *(["year"] if by_year else []))
        .annotate(*(Sum(goal_column(attr, month)) for month in months))
        .order_by()
    )
    for key, *totals in rows:
        year = totals.pop(0) if by_year else plan.start_year
        for month, total in zip(months, totals, strict=True):
            sums[key][index[(year, month)]] += int(total or 0)
    lines = []
    for key in sorted(sums, key=lambda k: labels.get(k, ("", ""))[0]):
        values = sums[key]
        label, unit = labels.get(key, (str(key), ""))
        lines.append(_line(plan, key, label, values, unit))
    return lines


def _line(plan: OperationalPlan, key: Any, label: str, values: list[int], unit: str = "") -> Line:
    cuatrimestres = []
    if plan.is_annual:
        by_month = dict(zip(range(1, 13), values, strict=True))
        cuatrimestres = list(periods.cuatrimestre_totals(by_month).values())
    return Line(key, label, values, cuatrimestres, sum(values), unit)


def total_line(plan: OperationalPlan, lines: list[Line], label: str) -> Line:
    width = len(plan.periods())
    values = [sum(line.values[i] for line in lines) for i in range(width)]
    return _line(plan, None, label, values)


def by_subproduct(plan: OperationalPlan, attr: str = "current", **filters: Any) -> list[Line]:
    labels = {
        pk: (f"{code} {name}", unit)
        for pk, code, name, unit in Subproduct.objects.filter(plan=plan.strategic_plan).values_list(
            "pk", "code", "name", "unit__name"
        )
    }
    return _lines(plan, "subproduct_id", attr, labels, **filters)


def by_cost_center(plan: OperationalPlan, attr: str = "current", **filters: Any) -> list[Line]:
    labels = {pk: (f"{code} {name}", "") for pk, code, name in CostCenter.objects.values_list("pk", "code", "name")}
    return _lines(plan, "cost_center_id", attr, labels, **filters)


def subproduct_year_totals(plan: OperationalPlan, year: int, attr: str = "current", **filters: Any) -> dict[str, int]:
    """Year total per subproduct code (codes are stable across PEI versions, ids are not)."""
    rows = (
        PhysicalGoal.objects.filter(plan=plan, year=year, **filters)
        .values_list("subproduct__code")
        .annotate(total=Sum(year_total(plan, attr)))
        .order_by()
    )
    return {code: int(total or 0) for code, total in rows}


@dataclass
class Comparison:
    code: str
    name: str
    unit: str
    poa: int
    pom: int

    @property
    def difference(self) -> int:
        return self.poa - self.pom

    @property
    def percent(self) -> float | None:
        return None if not self.pom else round(100 * self.difference / self.pom, 1)


def poa_against_pom(poa: OperationalPlan, attr: str = "planned", **filters: Any) -> list[Comparison]:
    """Per subproduct: the POA's year total next to the POM's goal for that year, and their difference."""
    pom = poa.multiannual
    if pom is None:
        return []
    year = poa.start_year
    in_poa = subproduct_year_totals(poa, year, attr, **filters)
    in_pom = subproduct_year_totals(pom, year, attr, **filters)
    names = {
        s.code: s
        for s in Subproduct.objects.filter(
            plan__in=[poa.strategic_plan_id, pom.strategic_plan_id], code__in=set(in_poa) | set(in_pom)
        ).select_related("unit")
    }
    return [
        Comparison(code, names[code].name, names[code].unit.name, in_poa.get(code, 0), in_pom.get(code, 0))
        for code in sorted(names)
    ]
