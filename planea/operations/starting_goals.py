"""The goals a new POA starts with: none, the annual goals of its POM spread over the months as the previous POA
spread them (evenly where it has no pattern), or a copy of the previous POA's months.

Rows are matched by the codes of the subproduct and the cost center, so a POA under a new PEI version takes the
goals of the subproducts that keep their code; an inactive cost center is left out. The previous POA's current
goals (after its approved reprogrammings) are the ones taken: they are what the areas really planned last."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from planea.org.models import CostCenter, Person
from planea.strategy.models import StrategicPlan, Subproduct

from . import goals
from .models import WHOLE_YEAR, OperationalPlan, PhysicalGoal, PlanKind, goal_column
from .plans import OperationsError, create_plan

MONTHS = range(1, 13)
type RowCodes = tuple[str, str]  # subproduct code, cost center code


class Start(models.TextChoices):
    EMPTY = "empty", gettext_lazy("Vacío: las áreas escriben sus metas")
    FROM_POM = "pom", gettext_lazy("Metas anuales del POM, repartidas por mes como en el POA del año anterior")
    FROM_PREVIOUS = "previous", gettext_lazy("Copia de las metas mensuales del POA del año anterior")


def previous_poa(year: int) -> OperationalPlan | None:
    return OperationalPlan.objects.filter(kind=PlanKind.ANNUAL, start_year=year - 1).first()


def spread(total: int, pattern: Sequence[int]) -> list[int]:
    """`total` over twelve months in the proportions of `pattern` (evenly when it is all zeros), in whole numbers
    that add up to `total`: each month gets its share rounded down, and what is left goes one by one to the months
    with the largest remainders (the earliest first on a tie)."""
    weights = list(pattern) if any(pattern) else [1] * 12
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    remainders = sorted(range(12), key=lambda m: (-(total * weights[m] % whole), m))
    for m in remainders[: total - sum(shares)]:
        shares[m] += 1
    return shares


def _monthly_rows(plan: OperationalPlan) -> dict[RowCodes, list[int]]:
    """The current monthly goals of a POA by the codes of their row."""
    columns = [goal_column("current", m) for m in MONTHS]
    return {
        (s, c): list(values)
        for s, c, *values in PhysicalGoal.objects.filter(plan=plan, year=plan.start_year)
        .order_by()
        .values_list("subproduct__code", "cost_center__code", *columns)
    }


def _annual_rows(pom: OperationalPlan, year: int) -> dict[RowCodes, int]:
    return dict(
        ((s, c), value)
        for s, c, value in PhysicalGoal.objects.filter(plan=pom, year=year)
        .order_by()
        .values_list("subproduct__code", "cost_center__code", goal_column("current", WHOLE_YEAR))
    )


def _cells(poa: OperationalPlan, rows: Mapping[RowCodes, list[int]]) -> dict[goals.Key, int]:
    """The rows as cells of the new POA: rows whose subproduct its PEI lacks or whose cost center is inactive are
    left out, and so are rows of zeros."""
    subproducts = dict(Subproduct.objects.filter(plan=poa.strategic_plan).values_list("code", "pk"))
    centers = dict(CostCenter.objects.filter(active=True).values_list("code", "pk"))
    cells: dict[goals.Key, int] = {}
    for (sub_code, center_code), months in rows.items():
        sub, center = subproducts.get(sub_code), centers.get(center_code)
        if sub is None or center is None or not any(months):
            continue
        for month, value in zip(MONTHS, months, strict=True):
            cells[(sub, center, poa.start_year, month)] = value
    return cells


def goals_from_pom(poa: OperationalPlan, pom: OperationalPlan) -> dict[goals.Key, int]:
    previous = previous_poa(poa.start_year)
    patterns = _monthly_rows(previous) if previous is not None else {}
    annual = _annual_rows(pom, poa.start_year)
    return _cells(poa, {row: spread(total, patterns.get(row, [0] * 12)) for row, total in annual.items()})


def goals_from_previous(poa: OperationalPlan, previous: OperationalPlan) -> dict[goals.Key, int]:
    return _cells(poa, _monthly_rows(previous))


@transaction.atomic
def create_poa(
    *,
    start: str,
    start_year: int,
    strategic_plan: StrategicPlan,
    actor: Person,
    multiannual: OperationalPlan | None = None,
) -> tuple[OperationalPlan, int]:
    """Create a POA in draft and give it its starting goals, in one transaction: the plan's creation and the goals
    written are one audit event each. Returns the plan and how many monthly goals it starts with. Refused, with
    nothing created, when the source it starts from is missing."""
    previous = previous_poa(start_year)
    if start == Start.FROM_POM and (multiannual is None or start_year not in multiannual.years):
        raise OperationsError(
            {"multiannual": _("Para partir del POM, elija un POM de referencia que abarque %(y)s.") % {"y": start_year}}
        )
    if start == Start.FROM_PREVIOUS and previous is None:
        raise OperationsError({"start": _("No hay un POA %(y)s que copiar.") % {"y": start_year - 1}})
    poa = create_plan(
        kind=PlanKind.ANNUAL, start_year=start_year, strategic_plan=strategic_plan, actor=actor, multiannual=multiannual
    )
    if start == Start.FROM_POM and multiannual is not None:
        source, action = goals_from_pom(poa, multiannual), "goals_started_from_pom"
        how = (
            _("repartidas como en %(prev)s") % {"prev": previous.code}
            if previous is not None
            else _("repartidas por igual entre los meses")
        )

        def summary(n: int) -> str:
            return ngettext(
                "%(n)s meta de %(plan)s a partir de %(pom)s, %(how)s",
                "%(n)s metas de %(plan)s a partir de %(pom)s, %(how)s",
                n,
            ) % {"n": n, "plan": poa.code, "pom": multiannual.code, "how": how}
    elif start == Start.FROM_PREVIOUS and previous is not None:
        source, action = goals_from_previous(poa, previous), "goals_copied_from_previous"

        def summary(n: int) -> str:
            return ngettext(
                "%(n)s meta de %(plan)s copiada de %(prev)s", "%(n)s metas de %(plan)s copiadas de %(prev)s", n
            ) % {"n": n, "plan": poa.code, "prev": previous.code}
    else:
        return poa, 0
    return poa, goals.write(goals.lock_plan(poa), source, actor=actor, action=action, summary=summary)
