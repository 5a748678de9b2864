"""Fixtures of the forecasting tests.

A small statistics dataset for the forecast runs: three cost centers in two areas (0201 and 0202 of 10.02.U0,
0101 of 10.01.U0), five years of monthly values up to October 2026 (deterministic and seasonal), and an
institution-wide variable; today is fixed in November 2026, so the last closed month is October 2026.

And a finished forecast run for the P5 tests (`done_run`): one variable measuring the land posts' subproduct
(P02-02) of the demo PEI, forecast for 2026 at every cost center that has goals in the POA 2026, with known
numbers: the POM goal of the year spread evenly plus 10 % at the first center, and with bounds ±10 % (80 %) and
±20 % (95 %)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from planea.forecasting.models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel
from planea.operations.models import PhysicalGoal
from planea.org.models import CostCenter
from planea.statistics import loading
from planea.statistics.models import StatisticalVariable, StatisticsBatch
from planea.statistics.tests import rows as statistic_rows
from planea.strategy.models import UnitOfMeasure

CENTERS = {"0201": 60_000, "0202": 30_000, "0101": 90_000}
FIRST, LAST = (2021, 11), (2026, 10)


@pytest.fixture(autouse=True)
def november_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "current_month", lambda: (2026, 11))


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
    entries: list[statistic_rows.Entry] = []
    for index, (year, month) in enumerate(months()):
        for code, base in CENTERS.items():
            entries.append((control, centers[code], year, month, level(base, index, month)))
        entries.append((passports, None, year, month, level(40_000, index, month)))
    statistic_rows.create(entries, batch)
    return {"control": control, "passports": passports, "centers": centers, "batch": batch, **demo}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def build_done_run(plans: dict[str, Any], people: dict[str, Any], *, target_year: int = 2026) -> ForecastRun:
    land = plans["land"]
    variable, _ = StatisticalVariable.objects.get_or_create(
        code="CTRL-TERR",
        defaults={"name": "Personas controladas en puestos terrestres", "unit": land.unit, "subproduct": land},
    )
    run = ForecastRun.objects.create(
        target_year=target_year,
        data_until=date(target_year - 1, 12, 1),
        status=RunStatus.RUNNING,
        created_by=people["profesional_planes_programas"],
        created_at=timezone.now(),
        method_version="test",
    )
    goals = PhysicalGoal.objects.filter(plan=plans["pom"], subproduct=land, year=target_year).order_by(
        "cost_center__code"
    )
    for index, goal in enumerate(goals):
        series = SeriesForecast.objects.create(
            run=run,
            variable=variable,
            level=SeriesLevel.COST_CENTER,
            cost_center=goal.cost_center,
            model="AutoETS",
            mase=0.5,
            mase_ratio=0.8,
            windows=3,
        )
        annual = Decimal(goal.value("planned", 0)) * (Decimal("1.1") if index == 0 else 1)
        month_value = (annual / 12).quantize(Decimal("0.01"))
        ForecastValue.objects.bulk_create(
            ForecastValue(
                series=series,
                month=month,
                base=month_value,
                yhat=month_value,
                lo80=month_value * Decimal("0.9"),
                hi80=month_value * Decimal("1.1"),
                lo95=month_value * Decimal("0.8"),
                hi95=month_value * Decimal("1.2"),
            )
            for month in range(1, 13)
        )
    ForecastRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), series_count=goals.count()
    )
    run.refresh_from_db()
    return run


@pytest.fixture
def done_run(plans: dict[str, Any], demo: dict[str, Any]) -> ForecastRun:
    return build_done_run(plans, demo)
