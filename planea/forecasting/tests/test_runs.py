"""Forecast runs: started for a year within reach, with statistics up to the last closed month; executed by the
task worker in stages; series at three levels with the twelve months of the target year; reconciled; one
transaction and one audit event; the same data gives the same digest and the same numbers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from planea.audit.models import AuditEvent
from planea.forecasting import execution, pipeline
from planea.forecasting.execution import ForecastingError, execute_run
from planea.forecasting.models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel
from planea.forecasting.runs import start_run
from planea.forecasting.tasks import forecast_run_job
from planea.jobs.models import Job, JobStatus
from planea.statistics import loading
from planea.statistics.models import ExcludedPeriod, StatisticYear, Treatment
from planea.statistics.tests import rows as statistic_rows

from .conftest import run_worker

PLACEHOLDER = pipeline.METHOD_VERSION.endswith("placeholder")


def finished(dataset, year=2027):
    """A run started and executed by its task here (the job's own code, without the worker)."""
    run = start_run(target_year=year, actor=dataset["profesional_planes_programas"])
    forecast_run_job.call(str(run.job_id), run.pk)
    run.refresh_from_db()
    return run


def numbers(run):
    return sorted(
        ForecastValue.objects.filter(series__run=run).values_list(
            "series__variable__code",
            "series__level",
            "series__cost_center__code",
            "series__org_unit__code",
            "month",
            "base",
            "yhat",
            "lo80",
            "hi80",
            "lo95",
            "hi95",
        ),
        key=lambda r: tuple("" if v is None else str(v) for v in r),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2029, 1990])
def test_a_year_out_of_reach_is_refused(dataset, year):
    with pytest.raises(ForecastingError, match="entre 2026 y 2028"):
        start_run(target_year=year, actor=dataset["profesional_planes_programas"])
    assert not ForecastRun.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_without_statistics_nothing_is_started(demo):
    with pytest.raises(ForecastingError, match="No hay estadísticas cargadas hasta 10/2026"):
        start_run(target_year=2027, actor=demo["profesional_planes_programas"])
    assert not ForecastRun.objects.exists()


@pytest.mark.django_db
def test_data_until_is_the_last_month_with_statistics_not_after_the_last_closed_one(dataset):
    statistic_rows.put(dataset["passports"], 2026, 11, Decimal(5), dataset["batch"])
    run = start_run(target_year=2026, actor=dataset["profesional_planes_programas"])
    assert run.data_until == date(2026, 10, 1)
    assert (run.status, run.method_version) == (RunStatus.QUEUED, pipeline.METHOD_VERSION)
    event = AuditEvent.objects.get(action="forecast_run_started")
    assert event.after["target_year"] == 2026 and event.after["data_until"] == "2026-10-01"
    assert run.job.kind == "forecast_run" and run.job.next_url == f"/pronosticos/{run.pk}/"


@pytest.mark.django_db
def test_a_second_run_for_the_same_year_waits_for_the_first(dataset):
    start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    with pytest.raises(ForecastingError, match="Ya hay una corrida de pronósticos para 2027 en curso"):
        start_run(target_year=2027, actor=dataset["jefe_planes_programas"])
    start_run(target_year=2028, actor=dataset["jefe_planes_programas"])  # another year may run alongside
    assert ForecastRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_run_end_to_end_through_the_job(dataset):
    run = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    assert Job.objects.get().status == JobStatus.QUEUED
    run_worker()
    run.refresh_from_db()
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert run.status == RunStatus.DONE and run.finished_at is not None
    # CTRL: 3 cost centers, 2 areas, the institution; PAS (institution-wide): the institution.
    assert run.series_count == 7 == SeriesForecast.objects.filter(run=run).count()
    levels = sorted(SeriesForecast.objects.filter(run=run).values_list("variable__code", "level"))
    assert levels == sorted(
        [("CTRL", SeriesLevel.COST_CENTER)] * 3
        + [("CTRL", SeriesLevel.AREA)] * 2
        + [("CTRL", SeriesLevel.INSTITUTION), ("PAS", SeriesLevel.INSTITUTION)]
    )
    areas = SeriesForecast.objects.filter(run=run, level=SeriesLevel.AREA).values_list("org_unit__code", flat=True)
    assert sorted(areas) == ["10.01.U0", "10.02.U0"]
    for series in SeriesForecast.objects.filter(run=run):
        assert list(series.values.values_list("month", flat=True)) == list(range(1, 13))
        assert series.model
    assert len(run.input_sha256) == 64
    assert sum(run.summary["models"].values()) == 7 and run.summary["horizon"] == 14
    assert set(run.summary["seconds"]) == {"reading", "forecasting", "reconciling", "writing", "total"}
    assert job.result == {"run": run.pk, "series": 7, "input_sha256": run.input_sha256}
    assert job.progress == job.total == 7 + 3 and "7 series pronosticadas para 2027" in job.message
    done = AuditEvent.objects.filter(action="forecast_run_done", object_id=str(run.pk))
    assert done.count() == 1 and done.get().after["input_sha256"] == run.input_sha256


@pytest.mark.django_db
def test_the_pipeline_gets_every_month_up_to_december_and_the_hierarchy(dataset, monkeypatch):
    seen: dict[str, Any] = {}
    forecast, reconcile = pipeline.forecast, pipeline.reconcile

    def spy_forecast(series, *, horizon, progress=None):
        seen["series"], seen["horizon"] = list(series), horizon
        return forecast(series, horizon=horizon, progress=progress)

    def spy_reconcile(results, hierarchy):
        seen["hierarchy"] = hierarchy
        return reconcile(results, hierarchy)

    monkeypatch.setattr(pipeline, "forecast", spy_forecast)
    monkeypatch.setattr(pipeline, "reconcile", spy_reconcile)
    run = finished(dataset, 2028)
    assert seen["horizon"] == 26  # November 2026 … December 2028
    keys = {s.key: s for s in seen["series"]}
    assert seen["hierarchy"] == {
        "CTRL|area|10.01.U0": ["CTRL|centro_costo|0101"],
        "CTRL|area|10.02.U0": ["CTRL|centro_costo|0201", "CTRL|centro_costo|0202"],
        "CTRL|institucion": ["CTRL|area|10.01.U0", "CTRL|area|10.02.U0"],
    }
    center = keys["CTRL|centro_costo|0201"]
    assert (center.start, center.end, len(center.values)) == (date(2021, 11, 1), date(2026, 10, 1), 60)
    # Totals are computed from the centers, month by month.
    expected = [a + b for a, b in zip(center.values, keys["CTRL|centro_costo|0202"].values, strict=True)]
    assert list(keys["CTRL|area|10.02.U0"].values) == expected
    institution = keys["CTRL|institucion"].values
    assert institution[0] == sum(keys[f"CTRL|centro_costo|{c}"].values[0] for c in ("0101", "0201", "0202"))
    # The stored months are those of the target year (the forecasts of 2026-11 … 2027-12 are not kept).
    assert set(ForecastValue.objects.filter(series__run=run).values_list("month", flat=True)) == set(range(1, 13))


@pytest.mark.django_db
def test_excluded_periods_reach_the_series_they_apply_to(dataset):
    person, now = dataset["estadistica"], timezone.now()
    common = {"marked_by": person, "marked_at": now, "reason": "prueba"}
    ExcludedPeriod.objects.create(first_year=2022, first_month=3, last_year=2022, last_month=6, **common)
    ExcludedPeriod.objects.create(
        variable=dataset["control"],
        cost_center=dataset["centers"]["0201"],
        first_year=2023,
        first_month=1,
        last_year=2023,
        last_month=2,
        treatment=Treatment.BREAK,
        **common,
    )
    ExcludedPeriod.objects.create(
        variable=dataset["passports"], first_year=2024, first_month=5, last_year=2024, last_month=5, **common
    )
    data = execution.read_input(date(2026, 10, 1), 2027)
    by_key = {spec.series.key: spec.series for spec in data.specs}
    pandemic = (date(2022, 3, 1), date(2022, 6, 1))
    assert by_key["CTRL|centro_costo|0201"].excluded == (pandemic,)
    assert by_key["CTRL|centro_costo|0201"].train_after == date(2023, 2, 1)
    # A break marked at one cost center is that center's: the others and the totals keep their history.
    for key in ("CTRL|centro_costo|0202", "CTRL|area|10.02.U0", "CTRL|institucion"):
        assert by_key[key].excluded == (pandemic,) and by_key[key].train_after is None
    assert by_key["PAS|institucion"].excluded == (pandemic, (date(2024, 5, 1), date(2024, 5, 1)))


@pytest.mark.django_db
def test_the_same_data_gives_the_same_digest_and_the_same_numbers(dataset):
    first = finished(dataset)
    second = finished(dataset)
    assert first.input_sha256 == second.input_sha256
    assert numbers(first) == numbers(second) and len(numbers(first)) == 7 * 12
    # The digest follows the data, the marks and the horizon.
    ExcludedPeriod.objects.create(
        first_year=2022,
        first_month=1,
        last_year=2022,
        last_month=2,
        reason="pandemia",
        marked_by=dataset["estadistica"],
        marked_at=timezone.now(),
    )
    marked = finished(dataset)
    StatisticYear.objects.filter(year=2025, cost_center__code="0101").update(value_3=Decimal(1))
    revised = finished(dataset)
    other_year = finished(dataset, 2028)
    digests = {r.input_sha256 for r in (first, marked, revised, other_year)}
    assert len(digests) == 4


@pytest.mark.django_db
@pytest.mark.skipif(PLACEHOLDER, reason="the placeholder reconcile() returns the base forecasts unchanged")
def test_cost_centers_add_up_to_their_area_and_areas_to_the_institution(dataset):
    run = finished(dataset)
    totals: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    centers_of_area = {"10.02.U0": ["0201", "0202"], "10.01.U0": ["0101"]}
    rows = ForecastValue.objects.filter(series__run=run, series__variable__code="CTRL").values_list(
        "series__level", "series__cost_center__code", "series__org_unit__code", "month", "yhat"
    )
    for level, center, unit, month, yhat in rows:
        totals[(level, center or unit or "")][month] = yhat
    for month in range(1, 13):
        for unit, centers in centers_of_area.items():
            children = sum(totals[(SeriesLevel.COST_CENTER, c)][month] for c in centers)
            assert abs(children - totals[(SeriesLevel.AREA, unit)][month]) <= Decimal("0.01") * len(centers)
        areas = sum(totals[(SeriesLevel.AREA, u)][month] for u in centers_of_area)
        assert abs(areas - totals[(SeriesLevel.INSTITUTION, "")][month]) <= Decimal("0.02")


@pytest.mark.django_db(transaction=True)
def test_a_failure_marks_the_run_failed_with_its_message(dataset, monkeypatch):
    def broken(series, *, horizon, progress=None):
        raise ValueError("memoria agotada en /srv/planea")

    monkeypatch.setattr(pipeline, "forecast", broken)
    run = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    run_worker()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "error del servidor (ValueError)" in run.summary["error"]
    assert "/srv/planea" not in run.summary["error"]
    assert not SeriesForecast.objects.exists()
    assert Job.objects.get().status == JobStatus.FAILED
    assert AuditEvent.objects.filter(action="forecast_run_failed", object_id=str(run.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="forecast_run_done").exists()


@pytest.mark.django_db(transaction=True)
def test_a_forecast_that_is_not_a_number_is_refused_by_name(dataset, monkeypatch):
    forecast = pipeline.forecast

    def not_a_number(series, *, horizon, progress=None):
        results = forecast(series, horizon=horizon, progress=progress)
        bad = results[0]
        months = tuple(
            pipeline.MonthForecast(f.month, float("nan"), f.lo80, f.hi80, f.lo95, f.hi95) for f in bad.forecasts
        )
        return [pipeline.SeriesResult(**{**bad.__dict__, "forecasts": months}), *results[1:]]

    monkeypatch.setattr(pipeline, "forecast", not_a_number)
    run = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    run_worker()
    run.refresh_from_db()
    job = Job.objects.get()
    assert run.status == RunStatus.FAILED and job.status == JobStatus.FAILED
    assert "produjo un pronóstico no numérico" in job.message and job.message == run.summary["error"]
    assert not SeriesForecast.objects.exists()  # nothing half-written


@pytest.mark.django_db
def test_a_run_executes_once(dataset):
    run = finished(dataset)
    with pytest.raises(ForecastingError, match="ya se ejecutó"):
        execute_run(run.pk)


@pytest.mark.django_db
def test_a_run_for_the_current_year_keeps_what_was_counted_and_forecasts_the_rest(dataset, monkeypatch):
    statistic_rows.clear(
        StatisticYear.objects.filter(year=2026, cost_center__code="0201"), [3]
    )  # a month without a value
    run = finished(dataset, 2026)
    assert run.status == RunStatus.DONE and run.summary["observed_months"] == 10 and run.summary["horizon"] == 2
    center = SeriesForecast.objects.get(run=run, cost_center__code="0202")
    counted = StatisticYear.objects.get(year=2026, cost_center__code="0202").months()
    for value in center.values.filter(month__lte=10):
        assert value.yhat == value.base == value.lo95 == value.hi95 == counted[value.month]
    assert center.values.count() == 12
    gap = SeriesForecast.objects.get(run=run, cost_center__code="0201")
    assert gap.values.get(month=3).yhat == 0 and "1 mes ya cerrado de 2026 no tiene dato y cuenta como 0" in gap.note


@pytest.mark.django_db
def test_a_year_whose_statistics_are_complete_is_not_forecast(dataset, monkeypatch):
    monkeypatch.setattr(loading, "current_month", lambda: (2027, 1))
    for month in (11, 12):
        statistic_rows.put(dataset["passports"], 2026, month, Decimal(5), dataset["batch"])
    with pytest.raises(ForecastingError, match="Las estadísticas de 2026 ya están completas"):
        start_run(target_year=2026, actor=dataset["profesional_planes_programas"])
