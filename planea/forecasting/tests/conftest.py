"""A small statistics dataset for the forecast runs: three cost centers in two areas (0201 and 0202 of 10.02.U0,
0101 of 10.01.U0), five years of monthly values up to October 2026 (deterministic and seasonal), and an
institution-wide variable; today is fixed in November 2026, so the last closed month is October 2026."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from planea.forecasting import runs
from planea.org.models import CostCenter
from planea.statistics.models import StatisticalVariable, StatisticsBatch, StatisticValue
from planea.strategy.models import UnitOfMeasure

CENTERS = {"0201": 60_000, "0202": 30_000, "0101": 90_000}
FIRST, LAST = (2021, 11), (2026, 10)


@pytest.fixture(autouse=True)
def november_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "current_month", lambda: (2026, 11))


def months() -> list[tuple[int, int]]:
    out = []
    year, month = FIRST
    while (year, month) <= LAST:
        out.append((year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return out


def level(base: int, index: int, month: int) -> Decimal:
    """A seasonal value with a gentle trend and a fixed wiggle: the same every time."""
    value = base * (1 + 0.25 * math.sin(2 * math.pi * month / 12) + 0.004 * index) + (index * 37) % 101
    return Decimal(round(value))


@pytest.fixture
def dataset(demo: dict[str, Any]) -> dict[str, Any]:
    persons = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    documents = UnitOfMeasure.objects.get_or_create(name="Documento")[0]
    control = StatisticalVariable.objects.create(code="CTRL", name="Personas controladas", unit=persons)
    passports = StatisticalVariable.objects.create(
        code="PAS", name="Pasaportes emitidos", unit=documents, per_cost_center=False
    )
    batch = StatisticsBatch.objects.create(
        loaded_by=demo["estadistica"], loaded_at=timezone.now(), file_name="prueba.csv", sha256="0" * 64, rows=0
    )
    centers = {c.code: c for c in CostCenter.objects.filter(code__in=CENTERS)}
    rows = []
    for index, (year, month) in enumerate(months()):
        for code, base in CENTERS.items():
            rows.append(
                StatisticValue(
                    variable=control,
                    cost_center=centers[code],
                    year=year,
                    month=month,
                    value=level(base, index, month),
                    batch=batch,
                )
            )
        rows.append(
            StatisticValue(variable=passports, year=year, month=month, value=level(40_000, index, month), batch=batch)
        )
    StatisticValue.objects.bulk_create(rows)
    return {"control": control, "passports": passports, "centers": centers, "batch": batch, **demo}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
