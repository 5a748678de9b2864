"""A finished forecast run for the P5 tests: one variable measuring the land posts' subproduct (P02-02) of the
demo PEI, forecast for 2026 at every cost center that has goals in the POA 2026, with known numbers: the POM goal
of the year spread evenly plus 10 % at the first center, and with bounds ±10 % (80 %) and ±20 % (95 %)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from planea.forecasting.models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel
from planea.operations.models import PhysicalGoal
from planea.statistics.models import StatisticalVariable


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
