"""P5 steps 6 and 7: the forecast becomes the POA's goals.

What a planner expects, and what Planea does:

- **Step 6 arrives pre-filled** (on completing step 5): every line of the proposal (subproduct × cost center of the
  POA's PEI) that the draft POA holds no goal for — no row of goals, or a row whose twelve months are all 0 — takes
  the rounded monthly forecast (`ProposalLine.rounded`) as its programmed (and, in a draft, current) goals. One
  write through `operations.goals.write`, audited as one event (`p5_goals_prefilled`, with the cells); lines
  that already hold goals (a liaison's, an earlier programming's) are never touched. The jefe then adjusts the goals
  in the POA's own grid, with the forecast and its interval beside each cell; a line set to 0 there stays 0.
- **Step 7 incorporates** (on completing it): the goals as they stand in the POA after step 6 are the adjusted
  goals. Incorporating records and freezes in the audit trail what was incorporated: one event
  (`p5_goals_incorporated`) with the number of lines and cells, how many lines differ from the forecast, the
  totals per subproduct (programmed and forecast) and a SHA-256 of every incorporated cell, so that anyone can tell
  later whether the POA still holds them; `Programming.incorporated_by/at` are set. A proposal line still without
  any row (step 6 was reached while the POA was not a draft) is filled from the forecast first, with its own
  `p5_goals_prefilled` event. Refused unless the POA is a draft. `goals.write` keeps the current goals equal to the
  programmed ones while the POA is a draft; the programmed ones freeze when P2 approves the POA."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.operations import goals
from planea.operations.models import OperationalPlan, PhysicalGoal, goal_column
from planea.org.models import Person
from planea.procedures.errors import ProcedureError
from planea.strategy.models import Subproduct

from .models import Programming
from .programming import require_run
from .proposal import ProposalLine, proposal

MONTHS = range(1, 13)
type LineKey = tuple[int, int]  # subproduct, cost center


@dataclass
class Incorporation:
    """What step 7 incorporated into the POA (the audit event's figures)."""

    lines: int = 0
    cells: int = 0
    from_forecast: int = 0  # lines equal to the rounded forecast, month by month
    adjusted: int = 0  # lines that differ from it
    prefilled_cells: int = 0  # cells filled from the forecast at step 7 (normally none: step 6 did it)
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # subproduct code → programmed, forecast
    sha256: str = ""


def _proposal_lines(programming: Programming) -> dict[LineKey, ProposalLine]:
    """The proposal of the chosen run, for the subproducts of the POA's PEI."""
    return proposal(require_run(programming), programming.plan.strategic_plan_id)


def _stored(plan: OperationalPlan, keys: set[LineKey]) -> dict[LineKey, list[int]]:
    """The POA's programmed goals of the lines, month by month (only the lines that have a row)."""
    subproducts = {s for s, _c in keys}
    columns = [goal_column("planned", m) for m in MONTHS]
    rows = PhysicalGoal.objects.filter(plan=plan, year=plan.start_year, subproduct_id__in=subproducts).values_list(
        "subproduct_id", "cost_center_id", *columns
    )
    return {(s, c): list(values) for s, c, *values in rows if (s, c) in keys}


def _require_draft(plan: OperationalPlan) -> None:
    try:
        goals.require_draft(plan)
    except goals.GoalsError as error:
        raise ProcedureError(" ".join(error.messages)) from error


def _fill(
    programming: Programming, plan: OperationalPlan, lines: dict[LineKey, ProposalLine], *, actor: Person, empty: str
) -> int:
    """Write the rounded forecast into the lines without goals (`empty`: "absent" lines without a row, or "blank"
    ones without a row or with every month at 0); the caller holds the plan's lock. One audit event."""
    stored = _stored(plan, set(lines))
    values: dict[goals.Key, int] = {}
    for key, line in lines.items():
        months = stored.get(key)
        if months is not None and (empty == "absent" or any(months)):
            continue
        for month in MONTHS:
            values[(key[0], key[1], plan.start_year, month)] = max(line.rounded(month), 0)
    if not values:
        return 0
    case = programming.case.number
    return goals.write(
        plan,
        values,
        actor=actor,
        action="p5_goals_prefilled",
        summary=lambda n: (
            ngettext(
                "%(plan)s: %(n)s meta sin programar tomada del pronóstico (%(case)s)",
                "%(plan)s: %(n)s metas sin programar tomadas del pronóstico (%(case)s)",
                n,
            )
            % {"plan": plan.code, "n": n, "case": case}
        ),
    )


@transaction.atomic
def prefill(programming: Programming, *, actor: Person) -> int:
    """Step 6 arrives: the POA lines without goals take the rounded forecast; returns the cells written."""
    plan = goals.lock_plan(programming.plan)
    _require_draft(plan)
    return _fill(programming, plan, _proposal_lines(programming), actor=actor, empty="blank")


def preview(programming: Programming) -> Incorporation:
    """What completing step 7 would incorporate now (the figures of its audit event), without writing."""
    return _figures(programming.plan, _proposal_lines(programming))


def _figures(plan: OperationalPlan, lines: dict[LineKey, ProposalLine], prefilled: int = 0) -> Incorporation:
    """The POA's goals of every subproduct the proposal covers (all their lines, the ones the forecast does not
    cover too), against the rounded forecast."""
    subproducts = {s for s, _c in lines}
    codes = dict(Subproduct.objects.filter(pk__in=subproducts).values_list("pk", "code"))
    columns = [goal_column("planned", m) for m in MONTHS]
    rows = (
        PhysicalGoal.objects.filter(plan=plan, year=plan.start_year, subproduct_id__in=subproducts)
        .order_by("subproduct_id", "cost_center_id")
        .values_list("subproduct_id", "cost_center_id", *columns)
    )
    result = Incorporation(prefilled_cells=prefilled)
    digest = hashlib.sha256()
    totals: dict[str, dict[str, int]] = {}
    for s, c, *months in rows:
        if not any(months) and (s, c) not in lines:
            continue
        result.lines += 1
        result.cells += sum(1 for value in months if value)
        digest.update(f"{s}|{c}|{'|'.join(str(v) for v in months)}\n".encode())
        line = lines.get((s, c))
        forecast = [line.rounded(m) for m in MONTHS] if line is not None else None
        if forecast == list(months):
            result.from_forecast += 1
        else:
            result.adjusted += 1
        total = totals.setdefault(codes[s], {"programmed": 0, "forecast": 0})
        total["programmed"] += sum(months)
    for (s, _c), line in lines.items():
        totals.setdefault(codes[s], {"programmed": 0, "forecast": 0})["forecast"] += sum(
            line.rounded(m) for m in MONTHS
        )
    result.totals = dict(sorted(totals.items()))
    result.sha256 = digest.hexdigest()
    return result


def incorporate(programming: Programming, *, actor: Person) -> Incorporation:
    """Step 7: incorporate the adjusted goals into the draft POA (runs inside the step's transaction)."""
    with transaction.atomic():
        programming = (
            Programming.objects.select_for_update(of=("self",))
            .select_related("case", "plan", "run")
            .get(pk=programming.pk)
        )
        plan = goals.lock_plan(programming.plan)
        _require_draft(plan)
        programming.plan = plan
        lines = _proposal_lines(programming)
        prefilled = _fill(programming, plan, lines, actor=actor, empty="absent")
        figures = _figures(plan, lines, prefilled)
        now = timezone.now()
        programming.incorporated_by, programming.incorporated_at = actor, now
        programming.save(update_fields=["incorporated_by", "incorporated_at"])
        after: dict[str, Any] = {
            "case": programming.case.number,
            "run": programming.run_id,
            "lines": figures.lines,
            "cells": figures.cells,
            "from_forecast": figures.from_forecast,
            "adjusted": figures.adjusted,
            "prefilled_cells": figures.prefilled_cells,
            "totals": figures.totals,
            "sha256": figures.sha256,
        }
        record(
            actor=actor,
            action="p5_goals_incorporated",
            instance=plan,
            after=after,
            summary=ngettext(
                "%(plan)s: %(n)s línea de metas físicas incorporada por %(case)s (%(adjusted)s ajustada)",
                "%(plan)s: %(n)s líneas de metas físicas incorporadas por %(case)s (%(adjusted)s ajustadas)",
                figures.lines,
            )
            % {"plan": plan.code, "n": figures.lines, "case": programming.case.number, "adjusted": figures.adjusted},
        )
        return figures
