"""Reading and writing physical goals of a plan, one subproduct at a time (the grid) or many rows at once (import).

Goals are read and written as cells — (subproduct, cost center, year, month) → value, month 0 being a POM's whole
year — and stored as rows of a year (`PhysicalGoal`), a column per month.

Saving the grid is optimistic and cell by cell: each posted cell carries the value the person saw. A cell someone
else changed meanwhile, and that this person also changed to something else, is a conflict: nothing is written and
the person sees both values, with who saved the row last. Cells only one of them changed are merged, so nobody's
work is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.core.numbers import bounds_for
from planea.core.rows import concrete_field
from planea.core.staging import staged
from planea.org.models import CostCenter, Person
from planea.strategy.models import Subproduct

from .models import MONTHS, OperationalPlan, PhysicalGoal, goal_column

Key = tuple[int, int, int, int]  # subproduct id, cost center id, year, month
# Whole, 0 to 2,147,483,647 on both databases (every month column is the same kind).
GOAL_BOUNDS = bounds_for(concrete_field(PhysicalGoal, goal_column("planned", 1)))


def plan_months(plan: OperationalPlan) -> list[int]:
    """The month columns a plan uses: 1–12 for a POA, 0 (the whole year) for a POM."""
    return sorted({month for _year, month in plan.periods()})


def year_total(plan: OperationalPlan, attr: str) -> Cast | CombinedExpression:
    """A goal row's total for its year: the sum of the plan's month columns (a POM's single year column), as a
    bigint (twelve months of up to 2,147,483,647 pass PostgreSQL's integer)."""
    columns = [Cast(goal_column(attr, month), BigIntegerField()) for month in plan_months(plan)]
    total: Cast | CombinedExpression = columns[0]
    for column in columns[1:]:
        total = total + column
    return total


class GoalsError(ValidationError):
    """The goals cannot be written; the message is for the person."""


@dataclass
class Conflict:
    subproduct: Subproduct
    cost_center: CenterRow
    year: int
    month: int
    seen: int
    theirs: int
    mine: int
    by: str


@dataclass
class SaveResult:
    changed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def lock_plan(plan: OperationalPlan) -> OperationalPlan:
    return OperationalPlan.objects.select_for_update().get(pk=plan.pk)


def require_draft(plan: OperationalPlan) -> None:
    if plan.is_approved:
        raise GoalsError(
            _("%(plan)s está aprobado: sus metas programadas no cambian. Solicite una reprogramación.")
            % {"plan": plan.code}
        )
    if not plan.is_editable:
        raise GoalsError(
            _("%(plan)s no está en borrador (%(status)s); las metas se editan cuando vuelve a borrador.")
            % {"plan": plan.code, "status": plan.get_status_display()}
        )


class CenterRow(NamedTuple):
    """A cost center as a row of a subproduct's grid names it."""

    pk: int
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def grid_rows(
    plan: OperationalPlan, subproduct: Subproduct, attr: str = "planned"
) -> list[tuple[CenterRow, dict[tuple[int, int], int]]]:
    """The rows of a subproduct's grid, by code: the cost centers that deliver it, plus any that already hold its
    goals, each with its stored values by (year, month). One query: the grid's sixty rows as model instances and
    their goals read apart cost more than the rest of its reading."""
    months = plan_months(plan)
    quote = connection.ops.quote_name
    through = Subproduct.cost_centers.through._meta
    values = ", ".join(f"g.{quote(goal_column(attr, month))}" for month in months)
    sql = f"""
        SELECT cc.id, cc.code, cc.name, g.year, {values}
        FROM {quote(CostCenter._meta.db_table)} cc
        LEFT JOIN {quote(PhysicalGoal._meta.db_table)} g
               ON g.cost_center_id = cc.id AND g.plan_id = %s AND g.subproduct_id = %s
        WHERE g.id IS NOT NULL OR cc.id IN (
            SELECT d.{quote(through.get_field("costcenter").column)} FROM {quote(through.db_table)} d
            WHERE d.{quote(through.get_field("subproduct").column)} = %s)
        ORDER BY cc.code, g.year
    """
    rows: dict[int, tuple[CenterRow, dict[tuple[int, int], int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan.pk, subproduct.pk, subproduct.pk])
        for pk, code, name, year, *stored in cursor.fetchall():
            _center, by_period = rows.setdefault(pk, (CenterRow(pk, code, name), {}))
            if year is not None:
                by_period.update({(year, month): value for month, value in zip(months, stored, strict=True)})
    return list(rows.values())


def grid_cost_centers(plan: OperationalPlan, subproduct: Subproduct) -> list[CenterRow]:
    """The cost centers of a subproduct's grid (`grid_rows` without the values)."""
    return [center for center, _values in grid_rows(plan, subproduct)]


def values_of(
    plan: OperationalPlan, subproducts: Iterable[int] | None = None, *, attr: str = "planned"
) -> dict[Key, int]:
    """The plan's stored goals as cells: (subproduct, cost center, year, month) → value."""
    goals = PhysicalGoal.objects.filter(plan=plan).order_by()  # callers key the cells; no join for an ordering
    if subproducts is not None:
        goals = goals.filter(subproduct_id__in=list(subproducts))
    months = plan_months(plan)
    columns = [goal_column(attr, month) for month in months]
    cells = {}
    # Read at once: a national POA is 6,000 rows (a server-side cursor costs the grid's 60 rows three round trips).
    for s, c, y, *values in goals.values_list("subproduct_id", "cost_center_id", "year", *columns):
        for month, value in zip(months, values, strict=True):
            cells[(s, c, y, month)] = value
    return cells


def _check_periods(plan: OperationalPlan, keys: Iterable[Key]) -> None:
    periods = set(plan.periods())
    for _s, _c, year, month in keys:
        if (year, month) not in periods:
            raise GoalsError(
                _("El período %(y)s-%(m)s no es del plan %(plan)s.") % {"y": year, "m": month, "plan": plan}
            )


# A change set up to this many cells is audited cell by cell; a larger one (an import at national scale changes
# 72,000) by subproduct: how many cells changed and the totals before and after.
DETAIL_LIMIT = 1000

RowKey = tuple[int, int, int]  # subproduct id, cost center id, year: one stored row of goals


# The audit summary of a write, given the number of cells that changed.
type Summary = str | Callable[[int], str]


def write(
    plan: OperationalPlan,
    new_values: dict[Key, int],
    *,
    actor: Person | None,
    action: str,
    summary: Summary,
    source: dict[str, str] | None = None,
) -> int:
    """`write_rows` of cells: a month not given is left as stored."""
    _check_periods(plan, new_values)
    months = plan_months(plan)
    by_row: dict[RowKey, dict[int, int]] = {}
    for (s, c, y, m), v in new_values.items():
        by_row.setdefault((s, c, y), {})[m] = v
    rows = {key: [given.get(m) for m in months] for key, given in by_row.items()}
    return write_rows(plan, rows, actor=actor, action=action, summary=summary, source=source)


def write_rows(
    plan: OperationalPlan,
    rows: Mapping[RowKey, Sequence[int | None]],
    *,
    actor: Person | None,
    action: str,
    summary: Summary,
    source: dict[str, str] | None = None,
) -> int:
    """Set programmed (and, while a draft, current) goals with set-based SQL, and write one audit event of the
    change. `rows` holds a value per month of the plan (`plan_months`), None where the stored one stays. The
    caller holds the plan lock and has checked the plan is a draft; `source` names the file, if any; `summary` is
    the event's text for the number of cells changed (a function of it, for a plural, or a text with %(n)s).

    The rows are staged and compared column by column: one aggregate for the audit record, one UPDATE of the rows
    that change, one INSERT of the new ones."""
    years, months = set(plan.years), plan_months(plan)
    for _s, _c, year in rows:
        if year not in years:
            raise GoalsError(_("El año %(y)s no es del plan %(plan)s.") % {"y": year, "plan": plan})
    if not rows:
        return 0
    staged_rows = ((*key, *values) for key, values in rows.items())
    with staged(["s", "c", "y", *(f"v{m}" for m in months)], staged_rows) as stage:
        sql = _StagedSql(plan, stage, months)
        changes = _changes(sql)
        if changes.cells:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            actor_id = actor.pk if actor is not None and actor.is_authenticated else None
            _apply(sql, actor_id, now)
    if changes.cells:
        after = changes.after()
        if source:
            after["file"] = source
        record(
            actor=actor,
            action=action,
            instance=plan,
            before=changes.before(),
            after=after,
            summary=summary(changes.cells) if callable(summary) else summary % {"n": changes.cells},
        )
    return changes.cells


class ChangedSince(NamedTuple):
    """A stored row of goals saved after a moment, with who saved it and when."""

    key: RowKey
    values: list[int]
    by: str
    at: Any


def changed_since(
    plan: OperationalPlan, moment: Any, *, other_than: int | None = None, attr: str = "planned"
) -> list[ChangedSince]:
    """The plan's rows of goals saved after `moment` (a template downloaded then does not hold them), by someone
    other than the person `other_than` when given."""
    columns = [goal_column(attr, month) for month in plan_months(plan)]
    found = PhysicalGoal.objects.filter(plan=plan, updated_at__gt=moment)
    if other_than is not None:
        found = found.exclude(updated_by_id=other_than)
    found = (
        found.select_related("updated_by")
        .only("subproduct_id", "cost_center_id", "year", "updated_at", "updated_by", *columns)
        .order_by()
    )
    return [
        ChangedSince(
            (g.subproduct_id, g.cost_center_id, g.year),
            [getattr(g, column) for column in columns],
            str(g.updated_by) if g.updated_by else "",
            g.updated_at,
        )
        for g in found
    ]


@dataclass
class ChangeSet:
    """What a write changes: per subproduct code (cells, total before, total after) and, for a small change,
    each cell as «subproduct|cost center|year-month» with its old and new value."""

    by_subproduct: dict[str, tuple[int, int, int]]
    detail: list[tuple[str, int, int]] | None

    @property
    def cells(self) -> int:
        return sum(n for n, _b, _a in self.by_subproduct.values())

    def before(self) -> dict[str, Any]:
        if self.detail is not None:
            return {"cells": {label: old for label, old, _new in self.detail}}
        return {"totals": {code: b for code, (_n, b, _a) in self.by_subproduct.items()}}

    def after(self) -> dict[str, Any]:
        if self.detail is not None:
            return {"cells": {label: new for label, _old, new in self.detail}}
        return {
            "cells_changed": self.cells,
            "totals": {code: a for code, (_n, _b, a) in self.by_subproduct.items()},
            "cells_by_subproduct": {code: n for code, (n, _b, _a) in self.by_subproduct.items()},
        }


@dataclass
class _StagedSql:
    """SQL over a stage of goal rows (s, c, y and a value per month of the plan, NULL where not given) joined to
    the stored rows `g`. Column names come from the plan's months, never from input."""

    plan: OperationalPlan
    stage: str
    months: list[int]

    def names(self) -> dict[str, str]:
        quote = connection.ops.quote_name
        return {
            "goal": quote(PhysicalGoal._meta.db_table),
            "sub": quote(Subproduct._meta.db_table),
            "cc": quote(CostCenter._meta.db_table),
            "stage": self.stage,
        }

    def differs(self, month: int, stored: str = "g") -> str:
        """The staged value of `month` is given and differs from the stored one (a missing row counts as 0)."""
        return f"(t.v{month} IS NOT NULL AND t.v{month} <> COALESCE({stored}.planned_{month}, 0))"

    def any_differs(self, stored: str = "g") -> str:
        return "(" + " OR ".join(self.differs(m, stored) for m in self.months) + ")"

    def over_changes(self, select: str, joins: str, tail: str) -> tuple[str, list[int]]:
        """A query over the staged rows that change something."""
        sql = f"""
            SELECT {select}
            FROM {{stage}} t
            LEFT JOIN {{goal}} g ON g.plan_id = %s AND g.subproduct_id = t.s AND g.cost_center_id = t.c
                                AND g.year = t.y
            JOIN {{sub}} sp ON sp.id = t.s {joins}
            WHERE {self.any_differs()}
            {tail}
        """
        return sql.format(**self.names()), [self.plan.pk]

    def summed(self, value: str) -> str:
        """The sum, over the changing cells of a row, of `value` (a template of the month)."""
        # Bigint before adding: twelve months of up to 2,147,483,647 pass PostgreSQL's integer.
        return " + ".join(
            f"CASE WHEN {self.differs(m)} THEN CAST({value.format(m=m)} AS BIGINT) ELSE 0 END" for m in self.months
        )


def _changes(sql: _StagedSql) -> ChangeSet:
    with connection.cursor() as cursor:
        cursor.execute(
            *sql.over_changes(
                f"sp.code, SUM({sql.summed('1')}), SUM({sql.summed('COALESCE(g.planned_{m}, 0)')}), "
                f"SUM({sql.summed('t.v{m}')})",
                "",
                "GROUP BY sp.code ORDER BY sp.code",
            )
        )
        by_subproduct = {code: (int(n), int(b), int(a)) for code, n, b, a in cursor.fetchall()}
        detail = None
        if sum(n for n, _b, _a in by_subproduct.values()) <= DETAIL_LIMIT:
            stored = ", ".join(f"COALESCE(g.planned_{m}, 0)" for m in sql.months)
            staged_values = ", ".join(f"t.v{m}" for m in sql.months)
            cursor.execute(
                *sql.over_changes(
                    f"sp.code, cc.code, t.y, {stored}, {staged_values}",
                    "JOIN {cc} cc ON cc.id = t.c",
                    "ORDER BY sp.code, cc.code, t.y",
                )
            )
            width = len(sql.months)
            detail = [
                (f"{s}|{c}|{y}-{m:02d}" if m else f"{s}|{c}|{y}", int(old), int(new))
                for s, c, y, *values in cursor.fetchall()
                for m, old, new in zip(sql.months, values[:width], values[width:], strict=True)
                if new is not None and new != old
            ]
    return ChangeSet(by_subproduct, detail)


def _apply(sql: _StagedSql, actor_id: int | None, now: Any) -> None:
    """One UPDATE of the stored rows that change (a cell not given, or not changed, keeps its values), one INSERT
    of the new rows that hold a goal."""
    names = sql.names()
    goal = names["goal"]
    assignments = ", ".join(
        f"planned_{m} = COALESCE(t.v{m}, {goal}.planned_{m}), "
        f"current_{m} = CASE WHEN {sql.differs(m, goal)} THEN t.v{m} ELSE {goal}.current_{m} END"
        for m in sql.months
    )
    # Every column is written: the months the plan does not use hold 0 (defaults are Django's, not the database's).
    columns = ", ".join(f"planned_{m}, current_{m}" for m in MONTHS)
    values = ", ".join(f"COALESCE(t.v{m}, 0), COALESCE(t.v{m}, 0)" if m in sql.months else "0, 0" for m in MONTHS)
    holds_goal = " OR ".join(f"COALESCE(t.v{m}, 0) <> 0" for m in sql.months)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {goal} SET {assignments}, updated_by_id = %s, updated_at = %s
            FROM {names["stage"]} t
            WHERE {goal}.plan_id = %s AND {goal}.subproduct_id = t.s AND {goal}.cost_center_id = t.c
              AND {goal}.year = t.y AND {sql.any_differs(goal)}
            """,
            [actor_id, now, sql.plan.pk],
        )
        cursor.execute(
            f"""
            INSERT INTO {goal} (plan_id, subproduct_id, cost_center_id, year, {columns}, updated_by_id, updated_at)
            SELECT %s, t.s, t.c, t.y, {values}, %s, %s
            FROM {names["stage"]} t
            WHERE ({holds_goal}) AND NOT EXISTS (
                SELECT 1 FROM {goal} g WHERE g.plan_id = %s AND g.subproduct_id = t.s AND g.cost_center_id = t.c
                                         AND g.year = t.y)
            """,
            [sql.plan.pk, actor_id, now, sql.plan.pk],
        )


@transaction.atomic
def save_grid(
    plan: OperationalPlan,
    subproduct: Subproduct,
    posted: dict[tuple[int, int, int], tuple[int, int]],
    *,
    actor: Person,
    allowed_cost_centers: set[int] | None = None,
) -> SaveResult:
    """`posted` maps (cost center, year, month) to (value seen when the page opened, value now)."""
    plan = lock_plan(plan)
    require_draft(plan)
    rows = {c.pk: c for c in grid_cost_centers(plan, subproduct)}
    for (cost_center_id, _y, _m), (seen, mine) in posted.items():
        # Only what the person changed is checked: the grid also posts the rows they may only read.
        if mine != seen and (
            cost_center_id not in rows
            or (allowed_cost_centers is not None and cost_center_id not in allowed_cost_centers)
        ):
            raise GoalsError(_("No puede registrar metas de ese centro de costo en este subproducto."))
    stored = {
        (g.cost_center_id, g.year): g
        for g in PhysicalGoal.objects.filter(plan=plan, subproduct=subproduct).select_related("updated_by")
    }
    result = SaveResult()
    changes: dict[Key, int] = {}
    for (cost_center_id, year, month), (seen, mine) in posted.items():
        if mine == seen:
            continue  # this person did not touch the cell: keep whatever is stored
        goal = stored.get((cost_center_id, year))
        theirs = goal.value("planned", month) if goal else 0
        if theirs != seen and theirs != mine:
            result.conflicts.append(
                Conflict(
                    subproduct,
                    rows[cost_center_id],
                    year,
                    month,
                    seen,
                    theirs,
                    mine,
                    str(goal.updated_by) if goal and goal.updated_by else "",
                )
            )
            continue
        changes[(subproduct.pk, cost_center_id, year, month)] = mine
    if result.conflicts:
        return result
    result.changed = write(
        plan,
        changes,
        actor=actor,
        action="goals_saved",
        summary=lambda n: (
            ngettext("%(n)s meta de %(sub)s guardada en %(plan)s", "%(n)s metas de %(sub)s guardadas en %(plan)s", n)
            % {"n": n, "sub": subproduct.code, "plan": plan.code}
        ),
    )
    return result
