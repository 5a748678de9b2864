"""Statistics written straight into their rows of a year, for tests that need values in place without a load (the
loads themselves are tested through `loading` and the pages)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from planea.org.models import CostCenter
from planea.statistics.models import (
    MONTHS,
    StatisticalVariable,
    StatisticsBatch,
    StatisticYear,
    batch_column,
    value_column,
)

type Entry = tuple[StatisticalVariable, CostCenter | None, int, int, Decimal | int]  # variable, center, year, month


def create(entries: Iterable[Entry], batch: StatisticsBatch) -> list[StatisticYear]:
    """The rows holding `entries`, created at once (none of them may exist yet)."""
    rows: dict[tuple[int, int | None, int], StatisticYear] = {}
    for variable, center, year, month, value in entries:
        key = (variable.pk, center.pk if center else None, year)
        row = rows.get(key)
        if row is None:
            row = rows[key] = StatisticYear(variable=variable, cost_center=center, year=year, last_month=month)
        _set(row, month, value, batch)
    return StatisticYear.objects.bulk_create(rows.values())


def put(
    variable: StatisticalVariable,
    year: int,
    month: int,
    value: Decimal | int,
    batch: StatisticsBatch,
    cost_center: CostCenter | None = None,
) -> StatisticYear:
    """One value, in the row of its year (created when missing)."""
    row = StatisticYear.objects.filter(variable=variable, cost_center=cost_center, year=year).first()
    row = row or StatisticYear(variable=variable, cost_center=cost_center, year=year, last_month=month)
    _set(row, month, value, batch)
    row.save()
    return row


def clear(rows: QuerySet[StatisticYear], months: Iterable[int]) -> None:
    """Take the values of `months` out of `rows` (a row left without any value goes)."""
    gone = set(months)
    for row in rows:
        for month in gone:
            setattr(row, value_column(month), None)
            setattr(row, f"{batch_column(month)}_id", None)
        left = [month for month in MONTHS if row.value(month) is not None]
        if left:
            row.last_month = left[-1]
            row.save()
        else:
            row.delete()


def value(
    variable: StatisticalVariable, year: int, month: int, cost_center: CostCenter | None = None
) -> Decimal | None:
    row = StatisticYear.objects.filter(variable=variable, cost_center=cost_center, year=year).first()
    return row.value(month) if row else None


def _set(row: StatisticYear, month: int, value: Decimal | int, batch: StatisticsBatch) -> None:
    setattr(row, value_column(month), Decimal(value))
    setattr(row, batch_column(month), batch)
    row.last_month = max(row.last_month, month)
