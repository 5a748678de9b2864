"""Demo statistics: one variable per service subproduct of the demo PEI (documents issued, persons attended), and
its monthly values per cost center from January 2015 to the last closed month, loaded by the Departamento de
Estadística through the same CSV path a person uses. The values follow the demo goals (operations/demo.py GOALS:
the 2026 level, its seasonality and yearly growth, the cost centers' shares), with the pandemic collapse from March
2020 and the recovery through 2022, and a small deterministic noise; a later load revises three values of the
month before the last, as a real revision does. The pandemic is marked as an atypical period. Idempotent."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

from django.db import transaction

from planea.operations.demo import GOALS
from planea.org.models import Person
from planea.strategy.models import PlanStatus, Subproduct

from .exclusions import Span, mark_period
from .loading import last_closed_month, load_csv
from .models import StatisticalVariable, StatisticYear, Treatment, value_column

FIRST_YEAR = 2015
PANDEMIC = ((2020, 3), (2022, 12))
PANDEMIC_REASON = (
    "Pandemia de COVID-19: cierre de fronteras desde marzo de 2020 y recuperación gradual hasta 2022. "
    "Meses atípicos que no representan la demanda normal de servicios."
)


def pandemic_factor(year: int, month: int, *, floor: float) -> float:
    """The share of a normal month that was attended: 1 before March 2020, `floor` at the bottom (April–June 2020),
    then a recovery to about 0.95 by the end of 2022 and 1 from 2023."""
    index = year * 12 + month - 1
    start, bottom_end, recovered = 2020 * 12 + 2, 2020 * 12 + 5, 2023 * 12
    if index < start or index >= recovered:
        return 1.0
    if index == start:
        return 0.5
    if index <= bottom_end:
        return floor
    progress = (index - bottom_end) / (recovered - bottom_end)
    return floor + (0.95 - floor) * progress**0.8


def monthly_values(
    annual_2026: int, season: tuple[float, ...], growth: float, share: float, seed: str, until: tuple[int, int]
) -> dict[tuple[int, int], int]:
    """The demo series of one subproduct at one cost center, deterministic for its seed."""
    noise = random.Random(seed)
    floor = 0.05 if sum(season) != len(season) else 0.3  # travel collapsed; documents and services less so
    values = {}
    for year in range(FIRST_YEAR, until[0] + 1):
        level = annual_2026 * share * (1 + growth) ** (year - 2026)
        for month in range(1, 13):
            if (year, month) > until:
                break
            expected = level * season[month - 1] / sum(season) * pandemic_factor(year, month, floor=floor)
            values[(year, month)] = max(0, round(expected * (1 + noise.uniform(-0.05, 0.05))))
    return values


def variable_code(subproduct_code: str) -> str:
    return "EST-" + subproduct_code


def demo_csv(goals: dict[str, tuple[int, tuple[float, ...], float, dict[str, float]]]) -> bytes:
    until = last_closed_month()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["variable", "centro_costo", "mes", "valor"])
    for code, (annual, season, growth, weights) in goals.items():
        total_weight = sum(weights.values())
        for center, weight in weights.items():
            series = monthly_values(annual, season, growth, weight / total_weight, f"{code}-{center}", until)
            for (year, month), value in series.items():
                writer.writerow([variable_code(code), center, f"{year}-{month:02d}", value])
    return out.getvalue().encode()


def revision_csv() -> bytes:
    """Three values of the month before the last closed one, revised up by 2 % (a late count)."""
    year, month = last_closed_month()
    year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = (
        StatisticYear.objects.filter(year=year, cost_center__isnull=False, **{f"{value_column(month)}__isnull": False})
        .select_related("variable", "cost_center")
        .order_by("variable__code", "cost_center__code")[:3]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["variable", "centro_costo", "mes", "valor"])
    for row in rows:
        revised = (Decimal(row.value(month) or 0) * Decimal("1.02")).quantize(Decimal(1))
        writer.writerow(
            [row.variable.code, row.cost_center.code if row.cost_center else "", f"{year}-{month:02d}", revised]
        )
    return out.getvalue().encode()


def seed_statistics(
    *, statistician: Person, goals: dict[str, tuple[int, tuple[float, ...], float, dict[str, float]]] = GOALS
) -> int:
    """Create the demo variables and load their statistics once; returns the number of values loaded (0 when they
    were already there)."""
    if StatisticYear.objects.exists():
        return 0
    # The subproducts of the approved PEI, which the POAs program (a later version under review in its P1 case copies
    # them with the same codes): the latest approved version's when there are several.
    measured = Subproduct.objects.filter(code__in=goals, plan__status=PlanStatus.APPROVED).order_by("plan__version")
    subproducts = {s.code: s for s in measured.select_related("unit")}
    service = {code: spec for code, spec in goals.items() if code in subproducts and not code.startswith("P06")}
    with transaction.atomic():
        for code in service:
            subproduct = subproducts[code]
            StatisticalVariable.objects.update_or_create(
                code=variable_code(code),
                defaults={"name": subproduct.name, "unit": subproduct.unit, "subproduct": subproduct},
            )
        until = last_closed_month()
        result = load_csv(demo_csv(service), file_name=f"estadisticas-{FIRST_YEAR}-{until[0]}.csv", actor=statistician)
        load_csv(revision_csv(), file_name="estadisticas-revision.csv", actor=statistician)
        pandemic = Span(PANDEMIC[0], PANDEMIC[1], Treatment.EXCLUDE, PANDEMIC_REASON, variable=None, cost_center=None)
        mark_period(pandemic, actor=statistician)  # audited as a person's mark is
    return result.created
