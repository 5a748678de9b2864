"""The subproduct picker of the goal grid: the subproducts a person may open and the one open, read in one
statement (the picker lists a hundred of them on every grid page)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

from planea.core import rows
from planea.strategy.models import Subproduct, UnitOfMeasure

from .models import OperationalPlan, PhysicalGoal


class SubproductOption(NamedTuple):
    """A subproduct as the picker lists it (a hundred of them as model instances cost more than the grid's query)."""

    pk: int
    code: str
    name: str
    unit: str


_SUBPRODUCT = rows.Columns(Subproduct, rows.field_names(Subproduct), "sp")
_UNIT = rows.Columns(UnitOfMeasure, rows.field_names(UnitOfMeasure), "u")
_CODE, _NAME = (_SUBPRODUCT.attnames.index(name) for name in ("code", "name"))
_UNIT_NAME = _SUBPRODUCT.width + _UNIT.attnames.index("name")
_CENTERS = Subproduct.cost_centers.through
_CENTER_SUBPRODUCT, _CENTER = (rows.concrete_field(_CENTERS, name).column for name in ("subproduct", "costcenter"))


def _statement(plan: OperationalPlan, centers: Collection[int] | None) -> tuple[str, list[object]]:
    sql = (
        f"SELECT {_SUBPRODUCT.sql}, {_UNIT.sql} FROM {Subproduct._meta.db_table} sp"
        f" JOIN {UnitOfMeasure._meta.db_table} u ON u.id = sp.unit_id WHERE sp.plan_id = %s"
    )
    params: list[object] = [plan.strategic_plan_id]
    if centers is not None:
        # a liaison's: delivered by one of the area's cost centers, or holding goals of one of them
        ids = sorted(int(center) for center in centers)
        marks = ", ".join(["%s"] * len(ids)) or "NULL"
        sql += (
            f" AND (EXISTS (SELECT 1 FROM {_CENTERS._meta.db_table} m WHERE m.{_CENTER_SUBPRODUCT} = sp.id"
            f" AND m.{_CENTER} IN ({marks})) OR EXISTS (SELECT 1 FROM {PhysicalGoal._meta.db_table} g"
            f" WHERE g.plan_id = %s AND g.subproduct_id = sp.id AND g.cost_center_id IN ({marks})))"
        )
        params += [*ids, plan.pk, *ids]
    return sql + " ORDER BY sp.code", params


def pick(
    plan: OperationalPlan, centers: Collection[int] | None, asked: str | None, *, first_by_default: bool
) -> tuple[list[SubproductOption], Subproduct | None]:
    """The subproducts of the plan's PEI that the person may open (those of `centers` only, when given), by code,
    and the one `asked` for (its primary key as text), with its unit; the first when none is asked for and
    `first_by_default`, else None."""
    found = rows.fetch(*_statement(plan, centers))
    options = _options(found)
    chosen = next((row for row in found if str(row[0]) == asked), None)
    if chosen is None and first_by_default and found:
        chosen = found[0]
    if chosen is None:
        return options, None
    subproduct: Subproduct = _SUBPRODUCT.instance(chosen)
    subproduct.unit = _UNIT.instance(chosen, _SUBPRODUCT.width)
    return options, subproduct


def options(plan: OperationalPlan) -> list[SubproductOption]:
    """Every subproduct of the plan's PEI, by code, as the picker and the plan's totals name them."""
    return _options(rows.fetch(*_statement(plan, None)))


def _options(found: list[tuple[Any, ...]]) -> list[SubproductOption]:
    return [SubproductOption(row[0], row[_CODE], row[_NAME], row[_UNIT_NAME]) for row in found]
