"""Reading and writing physical goals of a plan, one subproduct at a time (the grid) or many rows at once (import).

Saving the grid is optimistic and cell by cell: each posted cell carries the value the person saw. A cell someone
else changed meanwhile, and that this person also changed to something else, is a conflict: nothing is written and
the person sees both values. Cells only one of them changed are merged, so nobody's work is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.core.numbers import bounds_for
from planea.org.models import CostCenter
from planea.strategy.models import Subproduct

from .models import OperationalPlan, PhysicalGoal

Key = tuple[int, int, int, int]  # subproduct id, cost center id, year, month
GOAL_BOUNDS = bounds_for(PhysicalGoal._meta.get_field("planned"))  # whole, 0 to 2,147,483,647 on both databases


class GoalsError(ValidationError):
    """The goals cannot be written; the message is for the person."""


@dataclass
class Conflict:
    subproduct: Subproduct
    cost_center: CostCenter
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
            _("%(plan)s está en revisión; las metas se editan cuando vuelve a borrador.") % {"plan": plan.code}
        )


def grid_cost_centers(plan: OperationalPlan, subproduct: Subproduct) -> list[CostCenter]:
    """The rows of a subproduct's grid: the cost centers that deliver it, plus any that already hold goals."""
    with_goals = PhysicalGoal.objects.filter(plan=plan, subproduct=subproduct).values("cost_center_id")
    delivers = subproduct.cost_centers.through.objects.filter(subproduct=subproduct).values("costcenter_id")
    return list(CostCenter.objects.filter(Q(pk__in=delivers) | Q(pk__in=with_goals)).order_by("code"))


def values_of(plan: OperationalPlan, subproducts: Iterable[int] | None = None, *, attr: str = "planned") -> dict:
    goals = PhysicalGoal.objects.filter(plan=plan)
    if subproducts is not None:
        goals = goals.filter(subproduct_id__in=list(subproducts))
    return {
        (s, c, y, m): v
        for s, c, y, m, v in goals.values_list("subproduct_id", "cost_center_id", "year", "month", attr).iterator(
            chunk_size=5000
        )
    }


def _check_periods(plan: OperationalPlan, keys: Iterable[Key]) -> None:
    periods = set(plan.periods())
    for _s, _c, year, month in keys:
        if (year, month) not in periods:
            raise GoalsError(
                _("El período %(y)s-%(m)s no es del plan %(plan)s.") % {"y": year, "m": month, "plan": plan}
            )


def write(plan: OperationalPlan, new_values: dict[Key, int], *, actor: Any, action: str, summary: str) -> int:
    """Set programmed (and, while a draft, current) goals; one audit event lists every cell with before and after.
    The caller holds the plan lock and has checked the plan is a draft."""
    _check_periods(plan, new_values)
    stored = {
        (g.subproduct_id, g.cost_center_id, g.year, g.month): g
        for g in PhysicalGoal.objects.filter(
            plan=plan, subproduct_id__in={k[0] for k in new_values}, cost_center_id__in={k[1] for k in new_values}
        )
    }
    now = timezone.now()
    creates, updates, before, after = [], [], {}, {}
    for key, value in new_values.items():
        goal = stored.get(key)
        old = goal.planned if goal else 0
        if goal is not None and old == value:
            continue
        if goal is None and value == 0:
            continue
        label = "|".join(str(part) for part in key)
        before[label], after[label] = old, value
        if goal is None:
            s, c, y, m = key
            creates.append(
                PhysicalGoal(
                    plan=plan,
                    subproduct_id=s,
                    cost_center_id=c,
                    year=y,
                    month=m,
                    planned=value,
                    current=value,
                    updated_by=actor,
                    updated_at=now,
                )
            )
        else:
            goal.planned = goal.current = value
            goal.updated_by, goal.updated_at = actor, now
            updates.append(goal)
    PhysicalGoal.objects.bulk_create(creates, batch_size=2000)
    PhysicalGoal.objects.bulk_update(updates, ["planned", "current", "updated_by", "updated_at"], batch_size=2000)
    if after:
        record(
            actor=actor,
            action=action,
            instance=plan,
            before={"cells": before},
            after={"cells": after},
            summary=summary % {"n": len(after)},
        )
    return len(after)


@transaction.atomic
def save_grid(
    plan: OperationalPlan,
    subproduct: Subproduct,
    posted: dict[tuple[int, int, int], tuple[int, int]],
    *,
    actor: Any,
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
        (g.cost_center_id, g.year, g.month): g
        for g in PhysicalGoal.objects.filter(plan=plan, subproduct=subproduct).select_related("updated_by")
    }
    result = SaveResult()
    changes: dict[Key, int] = {}
    for (cost_center_id, year, month), (seen, mine) in posted.items():
        if mine == seen:
            continue  # this person did not touch the cell: keep whatever is stored
        goal = stored.get((cost_center_id, year, month))
        theirs = goal.planned if goal else 0
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
        summary=_("%%(n)s metas de %(sub)s guardadas en %(plan)s") % {"sub": subproduct.code, "plan": plan.code},
    )
    return result
