"""Totals of physical goals: per subproduct, per cost center, per cuatrimestre and per year, and the POA checked
against its POM. Computed by the database on every read: those of a whole plan by subproduct from the totals its
triggers keep (`GoalTotal`), the others from the monthly (or yearly) cells."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Sum

from planea.core import periods, rows
from planea.org.models import CostCenter
from planea.strategy.models import Subproduct

from . import picker
from .goals import plan_months, year_total
from .models import GoalTotal, OperationalPlan, PhysicalGoal, goal_column


@dataclass
class Line:
    """One row of a totals table: a value per period column, then cuatrimestres (POA only) and the total."""

    key: Any
    label: str
    values: list[int] = field(default_factory=list)
    cuatrimestres: list[int] = field(default_factory=list)
    total: int = 0
    unit: str = ""


@dataclass
class UnitGroup:
    """The lines measured in one unit and their total: goals are added up only within a unit of measure (persons
    and documents added up mean nothing to a planner)."""

    unit: str
    lines: list[Line]
    total: Line


def _sums(
    plan: OperationalPlan, group: tuple[str, ...], attr: str, centers: Collection[int] | None
) -> dict[Any, list[int]]:
    """The sums of each period column per value of the `group` columns (a key, or a tuple of keys for several),
    of `centers` only when given, computed by the database in one statement (per subproduct of the whole plan,
    from the totals it keeps: a row per subproduct and year)."""
    columns = plan.periods()
    index = {period: i for i, period in enumerate(columns)}
    months = plan_months(plan)
    quote = connection.ops.quote_name
    # A POA's rows are all of its one year: grouped by the key alone, the database reads them in index order.
    by_year = not plan.is_annual
    keys = ", ".join(f"g.{quote(column)}" for column in group) + (", g.year" if by_year else "")
    sums_sql = ", ".join(f"SUM(g.{quote(goal_column(attr, month))})" for month in months)
    kept = group == ("subproduct_id",) and centers is None
    table = (GoalTotal if kept else PhysicalGoal)._meta.db_table
    where, params = "g.plan_id = %s", [plan.pk]
    if centers is not None:
        ids = sorted(int(c) for c in centers)
        where += " AND g.cost_center_id IN (" + (", ".join(["%s"] * len(ids)) or "NULL") + ")"
        params += ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, {sums_sql} FROM {quote(table)} g WHERE {where} GROUP BY {keys}",
            params,
        )
        rows = cursor.fetchall()
    sums: dict[Any, list[int]] = defaultdict(lambda: [0] * len(columns))
    width = len(group)
    for row in rows:
        key = row[0] if width == 1 else tuple(row[:width])
        totals = list(row[width:])
        year = totals.pop(0) if by_year else plan.start_year
        line = sums[key]
        for month, total in zip(months, totals, strict=True):
            line[index[(year, month)]] += int(total or 0)
    return sums


def _lines(
    plan: OperationalPlan,
    group: str,
    attr: str,
    labels: dict[int, tuple[str, str]],
    centers: Collection[int] | None = None,
) -> list[Line]:
    """A line per `group` (subproduct_id or cost_center_id) holding goals of the plan, of `centers` only when
    given, labelled and by label."""
    sums = _sums(plan, (group,), attr, centers)
    return [
        _line(plan, key, *labels.get(key, (str(key), "")), sums[key])
        for key in sorted(sums, key=lambda k: labels.get(k, ("", ""))[0])
    ]


def _line(plan: OperationalPlan, key: Any, label: str, unit: str, values: list[int]) -> Line:
    cuatrimestres = periods.cuatrimestre_sums(values) if plan.is_annual else []
    return Line(key, label, values, cuatrimestres, sum(values), unit)


def _sum(plan: OperationalPlan, lines: list[Line], label: str, unit: str) -> Line:
    width = len(plan.periods())
    return _line(plan, None, label, unit, [sum(line.values[i] for line in lines) for i in range(width)])


def by_unit(plan: OperationalPlan, lines: list[Line], label: str) -> list[UnitGroup]:
    """`lines` grouped by their unit of measure (by its name), each group with its total, labelled `label` with
    the unit in place of %(unit)s; never a total across units."""
    grouped: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        grouped[line.unit].append(line)
    return [
        UnitGroup(unit, members, _sum(plan, members, label % {"unit": unit.lower()}, unit))
        for unit, members in sorted(grouped.items(), key=lambda item: item[0].lower())
    ]


# The labels of the cost centers' lines, read with a statement written once (the ORM's took as long to build as
# to run).
_CENTER_LABELS = f"SELECT cc.id, cc.code, cc.name FROM {CostCenter._meta.db_table} cc"


def by_subproduct(plan: OperationalPlan, attr: str = "current", centers: Collection[int] | None = None) -> list[Line]:
    labels = {option.pk: (f"{option.code} {option.name}", option.unit) for option in picker.options(plan)}
    return _lines(plan, "subproduct_id", attr, labels, centers)


def by_cost_center(plan: OperationalPlan, attr: str = "current", centers: Collection[int] | None = None) -> list[Line]:
    """A line per cost center and unit of measure of the subproducts it delivers: a post that controls persons and
    issues documents has a line of each, never their sum."""
    labels = {pk: f"{code} {name}" for pk, code, name in rows.fetch(_CENTER_LABELS, [])}
    units = {option.pk: option.unit for option in picker.options(plan)}
    width = len(plan.periods())
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * width)
    for (center, subproduct), values in _sums(plan, ("cost_center_id", "subproduct_id"), attr, centers).items():
        line = sums[(center, units.get(subproduct, ""))]
        for i, value in enumerate(values):
            line[i] += value
    return [
        _line(plan, center, labels.get(center, str(center)), unit, sums[(center, unit)])
        for center, unit in sorted(sums, key=lambda key: (labels.get(key[0], ""), key[1]))
    ]


def subproduct_year_totals(
    plan: OperationalPlan, year: int, attr: str = "current", centers: Collection[int] | None = None
) -> dict[str, int]:
    """Year total per subproduct code (codes are stable across PEI versions, ids are not), of `centers` only when
    given."""
    goals = PhysicalGoal.objects.filter(plan=plan, year=year)
    if centers is not None:
        goals = goals.filter(cost_center_id__in=centers)
    rows = goals.values_list("subproduct__code").annotate(total=Sum(year_total(plan, attr))).order_by()
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


def poa_against_pom(
    poa: OperationalPlan, attr: str = "planned", centers: Collection[int] | None = None
) -> list[Comparison]:
    """Per subproduct: the POA's year total next to the POM's goal for that year, and their difference."""
    pom = poa.multiannual
    if pom is None:
        return []
    year = poa.start_year
    in_poa = subproduct_year_totals(poa, year, attr, centers)
    in_pom = subproduct_year_totals(pom, year, attr, centers)
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
