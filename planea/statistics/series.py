"""The read side of the statistics: the monthly series of a variable at a cost center, an area (the cost centers
whose org unit is the area or one below it) or the whole institution (totals computed from the cost-center values),
the excluded periods that apply to it, the levels that have data, and the revisions behind its values. The series
page reads these, and so do the apps above (forecasting, P5): keep the names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from planea.org.models import CostCenter, OrgUnit

from .models import (
    MONTHS,
    VALUE_COLUMNS,
    ExcludedPeriod,
    StatisticalVariable,
    StatisticRevision,
    StatisticsBatch,
    StatisticYear,
    value_column,
)

type Month = tuple[int, int]  # (year, month)


def _center_ids(org_unit: OrgUnit) -> list[int]:
    """The cost centers of an area: those whose org unit is the area or lies below it."""
    units = OrgUnit.objects.subtree_ids([org_unit.pk])
    return list(CostCenter.objects.filter(org_unit_id__in=units).values_list("pk", flat=True))


def _values(
    variable: StatisticalVariable, *, cost_center: CostCenter | None = None, org_unit: OrgUnit | None = None
) -> Q:
    where = Q(variable=variable)
    if cost_center is not None:
        where &= Q(cost_center=cost_center)
    elif org_unit is not None:
        where &= Q(cost_center_id__in=_center_ids(org_unit))
    return where


def monthly_series(
    variable: StatisticalVariable, *, cost_center: CostCenter | None = None, org_unit: OrgUnit | None = None
) -> dict[Month, Decimal]:
    """(year, month) → value of the variable at a cost center, or the sum over the cost centers of an area
    (`org_unit` and the units below it), or over the whole institution when neither is given; months without any
    value are absent. In chronological order."""
    return month_totals(StatisticYear.objects.filter(_values(variable, cost_center=cost_center, org_unit=org_unit)))


def month_totals(rows: QuerySet[StatisticYear]) -> dict[Month, Decimal]:
    """(year, month) → the sum of the values of `rows` in that month, for the months with any value, in order."""
    sums = {column: Sum(column) for column in VALUE_COLUMNS}
    years = cast(Iterable[dict[str, Any]], rows.values("year").annotate(**sums).order_by("year"))
    return {
        (row["year"], month): row[column]
        for row in years
        for month, column in zip(MONTHS, VALUE_COLUMNS, strict=True)
        if row[column] is not None
    }


def last_loaded(until: Month | None = None) -> Month | None:
    """The last month with any statistic (of any variable), not after `until` when given."""
    rows = StatisticYear.objects.all()
    if until is None:
        last = rows.aggregate(last=Max(F("year") * 100 + F("last_month")))["last"]
        return divmod(last, 100) if last else None
    year, month = until
    counts = rows.filter(year=year).aggregate(**{str(m): Count(value_column(m)) for m in range(1, month + 1)})
    in_year = [m for m in range(1, month + 1) if counts[str(m)]]
    if in_year:
        return year, max(in_year)
    before = rows.filter(year__lt=year).aggregate(last=Max(F("year") * 100 + F("last_month")))["last"]
    return divmod(before, 100) if before else None


def last_months(variables: Iterable[StatisticalVariable] | None = None) -> dict[int, Month]:
    """Variable id → the last month it has a value for (variables without any are absent)."""
    rows = StatisticYear.objects.all() if variables is None else StatisticYear.objects.filter(variable__in=variables)
    found = rows.values("variable_id").annotate(last=Max(F("year") * 100 + F("last_month"))).order_by()
    return {row["variable_id"]: divmod(row["last"], 100) for row in found}


def exclusions_for(variable: StatisticalVariable, cost_center: CostCenter | None = None) -> list[ExcludedPeriod]:
    """The excluded periods that apply to the variable's series at `cost_center` (None: an area or the
    institution total): those of this variable or of every variable, and of this cost center or of every one.
    A mark of one cost center does not apply to the totals above it."""
    centers = Q(cost_center__isnull=True)
    if cost_center is not None:
        centers |= Q(cost_center=cost_center)
    return list(
        ExcludedPeriod.objects.filter(Q(variable=variable) | Q(variable__isnull=True), centers)
        .select_related("variable", "cost_center", "marked_by")
        .order_by("first_year", "first_month", "pk")
    )


def months_of_period(period: ExcludedPeriod) -> list[Month]:
    """Every month of a marked span, first and last included."""
    first = period.first_year * 12 + period.first_month - 1
    last = period.last_year * 12 + period.last_month - 1
    return [(index // 12, index % 12 + 1) for index in range(first, last + 1)]


@dataclass(frozen=True)
class LevelChoice:
    """One entry of the level selector: `kind` «centro» or «area», the code that selects it, and its label."""

    kind: str
    code: str
    label: str


@dataclass
class Levels:
    """The levels of a variable that have data: the areas (org units) whose cost centers have values, then the
    cost centers with values. An area that covers every center with data is the institution and is left out."""

    areas: list[LevelChoice] = field(default_factory=list)
    centers: list[LevelChoice] = field(default_factory=list)


def levels(variable: StatisticalVariable) -> Levels:
    """The level selector of a variable's series page."""
    if not variable.per_cost_center:
        return Levels()
    with_data = set(
        StatisticYear.objects.filter(variable=variable, cost_center__isnull=False)
        .values_list("cost_center_id", flat=True)
        .distinct()
    )
    centers = list(CostCenter.objects.filter(pk__in=with_data).order_by("code"))
    units = {u.pk: u for u in OrgUnit.objects.all()}
    covered: dict[int, set[int]] = defaultdict(set)  # unit → centers with data at it or below it
    for center in centers:
        unit_id: int | None = center.org_unit_id
        seen = 0
        while unit_id is not None and seen < 20:
            covered[unit_id].add(center.pk)
            parent = units.get(unit_id)
            unit_id = parent.parent_id if parent is not None else None
            seen += 1
    everything = {c.pk for c in centers}
    areas = [
        LevelChoice("area", units[pk].code, str(units[pk]))
        for pk in sorted(covered, key=lambda pk: units[pk].code)
        if covered[pk] != everything
    ]
    return Levels(areas=areas, centers=[LevelChoice("centro", c.code, str(c)) for c in centers])


@dataclass(frozen=True)
class EarlierValue:
    """A value a later load replaced, and the batch that had brought it."""

    value: Decimal
    batch: StatisticsBatch


@dataclass
class RevisedValue:
    """A «dato revisado»: the current value of one cost center (None: the institution) in a month, the batch that
    brought it, and the values it replaced, oldest first."""

    cost_center: CostCenter | None
    value: Decimal
    batch: StatisticsBatch | None = None
    earlier: list[EarlierValue] = field(default_factory=list)


def revisions(
    variable: StatisticalVariable, *, cost_center: CostCenter | None = None, org_unit: OrgUnit | None = None
) -> dict[Month, list[RevisedValue]]:
    """The revised values behind a series (at a center, or the centers of an area or of the institution), by
    month: every value loaded again with a different number, with its earlier values and their batches."""
    found = (
        StatisticRevision.objects.filter(
            statistic__in=StatisticYear.objects.filter(_values(variable, cost_center=cost_center, org_unit=org_unit))
        )
        .select_related("batch__loaded_by", "statistic__cost_center")
        .order_by("statistic__year", "month", "statistic__cost_center__code", "pk")
    )
    by_value: dict[tuple[int, int], RevisedValue] = {}
    by_month: dict[Month, list[RevisedValue]] = defaultdict(list)
    revised_now: list[tuple[RevisedValue, int | None]] = []
    for revision in found:
        statistic, month = revision.statistic, revision.month
        revised = by_value.get((statistic.pk, month))
        if revised is None:
            current = statistic.value(month)
            assert current is not None  # a revised month keeps its later value
            revised = by_value[(statistic.pk, month)] = RevisedValue(statistic.cost_center, current)
            revised_now.append((revised, statistic.batch_id_of(month)))
            by_month[(statistic.year, month)].append(revised)
        revised.earlier.append(EarlierValue(revision.value, revision.batch))
    batches = StatisticsBatch.objects.select_related("loaded_by").in_bulk({pk for _r, pk in revised_now if pk})
    for revised, batch_id in revised_now:
        revised.batch = batches.get(batch_id) if batch_id else None
    return dict(by_month)


@dataclass(frozen=True)
class CatalogEntry:
    variable: StatisticalVariable
    last_month: Month | None


def catalog() -> list[CatalogEntry]:
    """Every statistical variable with the last month it has a value for."""
    last = last_months()
    variables = StatisticalVariable.objects.select_related("unit", "subproduct").order_by("code")
    return [CatalogEntry(v, last.get(v.pk)) for v in variables]


def as_csv(values: dict[Month, Decimal]) -> str:
    """A monthly series as CSV: a `mes,valor` header, then one line per month (2024-03,1520) in order."""
    lines = ["mes,valor"]
    for (year, month), value in sorted(values.items()):
        number = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        lines.append(f"{year}-{month:02d},{number:f}")
    return "\n".join(lines) + "\n"


def years_of(months: Iterable[Month]) -> list[int]:
    return sorted({year for year, _month in months})
