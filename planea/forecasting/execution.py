"""Executing a forecast run (the task worker's part): every statistical series up to the run's last month is read
in one query — per variable × cost center (or per variable, for an institution-wide variable), with the area totals
(the cost centers of one org unit) and the institution totals computed from the centers, each with the excluded
periods that apply to it — then forecast by the pipeline, reconciled so that the centers add up to their area and
the areas to the institution, and the twelve months of the target year are stored in one transaction, with one
audit event. The digest of the input (`input_sha256`) lets anyone check that a rerun used the same data and
method."""

from __future__ import annotations

import hashlib
import json
import math
import statistics as stats
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections, transaction
from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.org.models import CostCenter, OrgUnit
from planea.statistics.models import (
    MONTHS,
    VALUE_COLUMNS,
    ExcludedPeriod,
    StatisticalVariable,
    StatisticYear,
    Treatment,
)
from planea.statistics.series import last_loaded

from . import pipeline
from .models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel

CENTS = Decimal("0.01")

type ProgressFn = Callable[..., None]


class ForecastingError(Exception):
    """A forecast run cannot be started or finished; the message is a Spanish sentence for the person."""


def data_until(closed: date) -> date | None:
    """The last month with statistics, not after the last closed month."""
    last = last_loaded((closed.year, closed.month))
    return date(last[0], last[1], 1) if last else None


def horizon_of(until: date, target_year: int) -> int:
    """Months from the one after `until` to December of the target year."""
    return (target_year * 12 + 12) - (until.year * 12 + until.month)


# --- Reading the series ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    """What a series of a run is: its variable, level and where (cost center or org unit), and its input."""

    variable_id: int
    level: str
    cost_center_id: int | None
    org_unit_id: int | None
    series: pipeline.Series


@dataclass
class RunInput:
    specs: list[SeriesSpec]
    hierarchy: dict[str, list[str]]
    digest: str
    horizon: int


def _month(year: int, month: int) -> date:
    return date(year, month, 1)


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _spans(periods: Iterable[ExcludedPeriod]) -> tuple[tuple[tuple[date, date], ...], date | None]:
    """The excluded spans (EXCLUDE) and the month after which to train (the latest BREAK's last month)."""
    excluded: list[tuple[date, date]] = []
    train_after: date | None = None
    for period in periods:
        first, last = _month(period.first_year, period.first_month), _month(period.last_year, period.last_month)
        if period.treatment == Treatment.BREAK:
            train_after = last if train_after is None else max(train_after, last)
        else:
            excluded.append((first, last))
    return tuple(sorted(excluded)), train_after


def read_input(until: date, target_year: int) -> RunInput:
    """Every series up to `until` (one query over the statistics), with its exclusions, the hierarchy of each
    per-center variable (institution → areas → cost centers) and the digest of it all."""
    variables = {v.pk: v for v in StatisticalVariable.objects.all()}
    centers = dict(CostCenter.objects.values_list("pk", "org_unit_id"))
    center_codes = dict(CostCenter.objects.values_list("pk", "code"))
    unit_codes = dict(OrgUnit.objects.values_list("pk", "code"))
    periods = list(ExcludedPeriod.objects.all())
    end = _index(until)
    # One query: (variable, center) → {month index: value}. The values come as floats straight from the database
    # (the double nearest the 15,2 decimal, the same on SQLite and PostgreSQL): converting 120,000 Decimals would
    # take most of the time. Stray rows of the other kind (a per-center variable without a center, or the reverse)
    # are not part of any series.
    raw: dict[tuple[int, int | None], dict[int, float]] = defaultdict(dict)
    rows = (
        StatisticYear.objects.filter(year__lte=until.year)
        .filter(
            Q(variable__per_cost_center=True, cost_center__isnull=False)
            | Q(variable__per_cost_center=False, cost_center__isnull=True)
        )
        .order_by()
        .annotate(
            **{f"amount_{m}": Cast(column, FloatField()) for m, column in zip(MONTHS, VALUE_COLUMNS, strict=True)}
        )
        .values_list("variable_id", "cost_center_id", "year", *(f"amount_{m}" for m in MONTHS))
    )
    sql, params = rows.query.sql_with_params()  # read through the cursor: no per-row converters for 10,000 rows
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5_000):
            for row_variable, row_center, year, *amounts in chunk:
                points = raw[(row_variable, row_center)]
                last = until.month if year == until.year else 12
                for month, amount in enumerate(amounts[:last]):
                    if amount is not None:
                        points[year * 12 + month] = float(amount)

    def exclusions(variable_id: int, center_id: int | None) -> tuple[tuple[tuple[date, date], ...], date | None]:
        return _spans(
            p
            for p in periods
            # a period marked for one cost center applies to that center only, not to the area and institution
            if p.variable_id in (None, variable_id) and p.cost_center_id in (None, center_id)
        )

    def build(key: str, points: dict[int, float], variable_id: int, center_id: int | None) -> pipeline.Series:
        first = min(points)
        excluded, train_after = exclusions(variable_id, center_id)
        return pipeline.Series(
            key=key,
            start=date(first // 12, first % 12 + 1, 1),
            values=[points.get(i) for i in range(first, end + 1)],
            excluded=excluded,
            train_after=train_after,
        )

    specs: list[SeriesSpec] = []
    hierarchy: dict[str, list[str]] = {}
    by_variable: dict[int, list[tuple[int | None, dict[int, float]]]] = defaultdict(list)
    for (series_variable, series_center), points in raw.items():
        by_variable[series_variable].append((series_center, points))
    for variable_id in sorted(by_variable, key=lambda pk: variables[pk].code):
        code = variables[variable_id].code
        entries = sorted(by_variable[variable_id], key=lambda e: center_codes.get(e[0], "") if e[0] else "")
        institution_key = f"{code}|institucion"
        if not variables[variable_id].per_cost_center:
            points = entries[0][1]
            specs.append(
                SeriesSpec(
                    variable_id, SeriesLevel.INSTITUTION, None, None, build(institution_key, points, variable_id, None)
                )
            )
            continue
        areas: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        area_children: dict[int, list[str]] = defaultdict(list)
        institution: dict[int, float] = defaultdict(float)
        for center_id, points in entries:
            assert center_id is not None
            unit_id = centers[center_id]
            key = f"{code}|centro_costo|{center_codes[center_id]}"
            specs.append(
                SeriesSpec(
                    variable_id, SeriesLevel.COST_CENTER, center_id, None, build(key, points, variable_id, center_id)
                )
            )
            area_children[unit_id].append(key)
            # A total is the sum of the centers that reported the month; a month none reported stays missing.
            for i, value in points.items():
                areas[unit_id][i] += value
                institution[i] += value
        area_keys = []
        for unit_id in sorted(areas, key=lambda pk: unit_codes[pk]):
            key = f"{code}|area|{unit_codes[unit_id]}"
            area_keys.append(key)
            hierarchy[key] = area_children[unit_id]
            specs.append(
                SeriesSpec(variable_id, SeriesLevel.AREA, None, unit_id, build(key, areas[unit_id], variable_id, None))
            )
        hierarchy[institution_key] = area_keys
        specs.append(
            SeriesSpec(
                variable_id, SeriesLevel.INSTITUTION, None, None, build(institution_key, institution, variable_id, None)
            )
        )
    horizon = horizon_of(until, target_year)
    return RunInput(specs, hierarchy, input_digest(specs, horizon), horizon)


def input_digest(specs: Iterable[SeriesSpec], horizon: int) -> str:
    """SHA-256 of the method version, the horizon and every series (key, first month, values, exclusions), in
    the order of the keys: the same statistics and marks give the same digest, whatever order they were loaded."""
    payload = {
        "method_version": pipeline.METHOD_VERSION,
        "horizon": horizon,
        "series": [
            [
                s.key,
                s.start.isoformat(),
                [None if v is None else repr(float(v)) for v in s.values],
                [[a.isoformat(), b.isoformat()] for a, b in s.excluded],
                s.train_after.isoformat() if s.train_after else None,
            ]
            for s in sorted((spec.series for spec in specs), key=lambda s: s.key)
        ],
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Executing a run -------------------------------------------------------------------------------


def _money(value: float, key: str) -> Decimal:
    if not math.isfinite(value):
        raise ForecastingError(_("La serie %(key)s produjo un pronóstico no numérico.") % {"key": key})
    return Decimal(repr(value)).quantize(CENTS)


class _Stages:
    """Progress in stages over one bar: reading (1), forecasting (one step per series), reconciling (1), writing
    (1). The job row is written only when the bar moves by a percent or the stage changes."""

    def __init__(self, progress: ProgressFn | None) -> None:
        self.progress = progress
        self.total = 3
        self.last = -1

    def __call__(self, done: int, message: str, force: bool = True) -> None:
        if self.progress is None:
            return
        percent = 100 * done // max(self.total, 1)
        if force or percent != self.last:
            self.last = percent
            self.progress(done, self.total, message)


def execute_run(run_id: int, progress: ProgressFn | None = None) -> ForecastRun:
    """Forecast every series of the run, reconcile and store the target year's months; ForecastingError (the run
    marked failed with the message) when it cannot."""
    updated = ForecastRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING)
    run = ForecastRun.objects.select_related("created_by").get(pk=run_id)
    if not updated:
        raise ForecastingError(
            _("La corrida ya se ejecutó (estado: %(status)s).") % {"status": run.get_status_display()}
        )
    try:
        return _execute(run, _Stages(progress))
    except Exception as error:
        message = (
            str(error)
            if isinstance(error, ForecastingError)
            else _("La corrida no pudo terminar por un error del servidor (%(kind)s).") % {"kind": type(error).__name__}
        )
        with transaction.atomic():  # a run already stored as done (a failure after its commit) stays done
            if ForecastRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED, finished_at=timezone.now(), summary={"error": message}
            ):
                record(actor=run.created_by, action="forecast_run_failed", instance=run, summary=message[:500])
        raise


def _execute(run: ForecastRun, stage: _Stages) -> ForecastRun:
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    stage(0, _("Leyendo las estadísticas…"))
    read_at = timezone.now()  # loads and marks after this are not in the run (freshness.py)
    data = read_input(run.data_until, run.target_year)
    if not data.specs:
        raise ForecastingError(_("No hay series estadísticas que pronosticar."))
    count = len(data.specs)
    stage.total = count + 3
    seconds["reading"] = time.perf_counter() - clock

    def forecasting(done: int, total: int) -> None:
        stage(1 + done, _("Pronosticando la serie %(done)s de %(total)s…") % {"done": done, "total": total}, False)

    clock = time.perf_counter()
    stage(1, _("Pronosticando la serie %(done)s de %(total)s…") % {"done": 0, "total": count})
    results = pipeline.forecast([s.series for s in data.specs], horizon=data.horizon, progress=forecasting)
    seconds["forecasting"] = time.perf_counter() - clock

    clock = time.perf_counter()
    stage(count + 1, _("Conciliando los totales por área e institución…"))
    base = {r.key: r for r in results}
    reconciled = pipeline.reconcile(base, data.hierarchy)
    seconds["reconciling"] = time.perf_counter() - clock

    clock = time.perf_counter()
    stage(count + 2, _("Guardando los pronósticos…"))
    first_month = date(run.target_year, 1, 1)
    series_rows: list[SeriesForecast] = []
    months: list[list[tuple[int, pipeline.MonthForecast, pipeline.MonthForecast]]] = []
    for spec in data.specs:
        result, adjusted = base[spec.series.key], reconciled[spec.series.key]
        own = {f.month: f for f in result.forecasts}
        observed, missing = _observed(spec.series, first_month, run.data_until)
        kept = observed + [(f.month.month, own[f.month], f) for f in adjusted.forecasts if f.month >= first_month]
        note = result.note
        if missing:
            note = " ".join(
                part
                for part in (
                    note,
                    ngettext(
                        "%(n)s mes ya cerrado de %(year)s no tiene dato y cuenta como 0.",
                        "%(n)s meses ya cerrados de %(year)s no tienen dato y cuentan como 0.",
                        missing,
                    )
                    % {"n": missing, "year": run.target_year},
                )
                if part
            )
        if len(kept) != 12:
            raise ForecastingError(
                _("La serie %(key)s no tiene los doce meses de %(year)s.")
                % {"key": spec.series.key, "year": run.target_year}
            )
        months.append(kept)
        series_rows.append(
            SeriesForecast(
                run=run,
                variable_id=spec.variable_id,
                level=spec.level,
                cost_center_id=spec.cost_center_id,
                org_unit_id=spec.org_unit_id,
                model=result.model[:120],
                note=note,
                mase=_finite(result.mase),
                mase_ratio=_finite(result.mase_ratio),
                windows=result.windows,
                training_start=result.training_start,
                level_shift=result.level_shift,
            )
        )
    ratios = [r for s in series_rows if (r := s.mase_ratio) is not None]
    summary: dict[str, Any] = {
        "models": dict(sorted(Counter(s.model for s in series_rows).items(), key=lambda kv: (-kv[1], kv[0]))),
        "levels": dict(Counter(str(s.level) for s in series_rows)),
        "backtested": len(ratios),
        "beat_seasonal_naive": sum(1 for r in ratios if r < 1),
        "median_ratio": round(stats.median(ratios), 4) if ratios else None,
        "horizon": data.horizon,
        "observed_months": max(0, _index(run.data_until) - _index(first_month) + 1),
        "read_at": read_at.isoformat(),
    }
    with transaction.atomic():
        stored = SeriesForecast.objects.bulk_create(series_rows, batch_size=500)
        values = [
            ForecastValue(
                series=row,
                month=month,
                base=_money(own.yhat, row_key),
                yhat=_money(f.yhat, row_key),
                lo80=_money(f.lo80, row_key),
                hi80=_money(f.hi80, row_key),
                lo95=_money(f.lo95, row_key),
                hi95=_money(f.hi95, row_key),
            )
            for row, spec, kept in zip(stored, data.specs, months, strict=True)
            for row_key in (spec.series.key,)
            for month, own, f in kept
        ]
        ForecastValue.objects.bulk_create(values, batch_size=2000)
        seconds["writing"] = time.perf_counter() - clock
        summary["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
        summary["seconds"]["total"] = round(sum(seconds.values()), 2)
        finished = timezone.now()
        ForecastRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.DONE,
            finished_at=finished,
            series_count=len(stored),
            input_sha256=data.digest,
            summary=summary,
        )
        run.refresh_from_db()
        record(
            actor=run.created_by,
            action="forecast_run_done",
            instance=run,
            after={"series": len(stored), "input_sha256": data.digest, **summary},
            summary=_("%(n)s series pronosticadas para %(year)s.") % {"n": len(stored), "year": run.target_year},
        )
    stage(stage.total, _("Pronósticos guardados."))
    return run


def _observed(
    series: pipeline.Series, first_month: date, until: date
) -> tuple[list[tuple[int, pipeline.MonthForecast, pipeline.MonthForecast]], int]:
    """The months of the target year that have already closed (a run for the current year): their statistics, as
    they are (no interval), so that the year's total is what was counted plus what is forecast. A month without a
    value counts as zero; how many did is returned to be said in the series' note."""
    kept, missing = [], 0
    month = first_month
    while month <= until:
        index = _index(month) - _index(series.start)
        value = series.values[index] if 0 <= index < len(series.values) else None
        if value is None:
            missing += 1
        actual = pipeline.MonthForecast(month, *(float(value or 0.0),) * 5)
        kept.append((month.month, actual, actual))
        month = pipeline.month_add(month, 1)
    return kept, missing


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
