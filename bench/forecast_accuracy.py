"""Benchmark: forecast accuracy on real monthly service-demand series (issue 13, point 6).

The four series of international traveller entries (total = air + land + sea), read from PLANEA_TRAVELLERS_DATA
(default ../shared/data/ingresos_viajeros; the benchmark is skipped with a message when it is absent). Rolling
origins every 3 months from 2023-07 to 2025-04 (8 origins), horizon 12, each forecast trained on every month
before its origin:

- the pipeline (`planea.forecasting.pipeline.forecast`, the same call a forecast run makes), given what a planner
  would mark: the pandemic 2020-03 … 2022-12 as an excluded period; the 2023 counting break is left for the
  pipeline to find;
- the pipeline without its AutoARIMA tier (cheaper; to show what the expensive tier buys);
- SeasonalNaive, AutoETS, AutoTheta, AutoARIMA and the median of ETS/Theta/ARIMA, by statsforecast on the whole
  raw history (no exclusions), as a forecaster would run them off the shelf.

Metrics per series and overall (means over the 8 origins, then over the series): MASE scaled by the in-sample
seasonal-naive MAE of each (raw) training cut, sMAPE (%), and the absolute error of the 12-month total (% of the
actual total). Targets: overall MASE ≤ 0.85 × SeasonalNaive's, and on no series a MASE above 1.25 × the best single
model's (SeasonalNaive, AutoETS, AutoTheta, AutoARIMA) on that series."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PLANEA_TRAVELLERS_DATA", ROOT.parent / "shared" / "data" / "ingresos_viajeros"))
SERIES = ("aerea", "terrestre", "maritima", "total")
START = date(2009, 1, 1)
FIRST_ORIGIN, ORIGINS, EVERY, HORIZON = date(2023, 7, 1), 8, 3, 12
PANDEMIC = (date(2020, 3, 1), date(2022, 12, 1))
STOCK = ("SeasonalNaive", "AutoETS", "AutoTheta", "AutoARIMA")
MEDIAN = "Mediana ETS/Theta/ARIMA"
TARGET_OVERALL, TARGET_WORST = 0.85, 1.25
COVERAGE: list[tuple[bool, bool]] = []  # (inside 80 %, inside 95 %) of each month forecast by the pipeline


def read(name: str) -> np.ndarray:
    with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    first = date.fromisoformat(rows[0][0])
    assert first == START, f"{name} starts {first}"
    return np.array([float(r[1]) for r in rows])


def offset(month: date) -> int:
    return (month.year - START.year) * 12 + month.month - START.month


def metrics(train: np.ndarray, actual: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    scale = float(np.mean(np.abs(train[12:] - train[:-12])))
    mase = float(np.mean(np.abs(actual - predicted))) / scale
    denominator = np.abs(actual) + np.abs(predicted)
    smape = float(np.mean(np.where(denominator > 0, 200 * np.abs(actual - predicted) / denominator, 0.0)))
    total = abs(float(predicted.sum()) - float(actual.sum())) / float(actual.sum()) * 100
    return mase, smape, total


def stock_forecasts(data: dict[str, np.ndarray], cuts: list[int]) -> dict[str, dict[str, list[np.ndarray]]]:
    """Per method, per series, the forecast of each origin (statsforecast's cross-validation, one call)."""
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    end = cuts[-1] + HORIZON
    frame = pd.concat(
        pd.DataFrame({"unique_id": name, "ds": np.arange(end), "y": values[:end]}) for name, values in data.items()
    )
    models = [SeasonalNaive(12), AutoETS(season_length=12), AutoTheta(season_length=12), AutoARIMA(season_length=12)]
    cv = StatsForecast(models=models, freq=1, n_jobs=2).cross_validation(
        df=frame, h=HORIZON, n_windows=len(cuts), step_size=EVERY
    )
    cv = cv.sort_values(["unique_id", "cutoff", "ds"])
    out: dict[str, dict[str, list[np.ndarray]]] = {m: {} for m in (*STOCK, MEDIAN)}
    for name in data:
        rows = cv[cv.unique_id == name]
        assert sorted(rows.cutoff.unique().tolist()) == [c - 1 for c in cuts]
        for model in STOCK:
            values = np.clip(rows[model].to_numpy().reshape(len(cuts), HORIZON), 0, None)
            out[model][name] = list(values)
        stacked = np.stack([np.array(out[m][name]) for m in ("AutoETS", "AutoTheta", "AutoARIMA")])
        out[MEDIAN][name] = list(np.median(stacked, axis=0))
    return out


def pipeline_forecasts(
    data: dict[str, np.ndarray], cuts: list[int], *, arima: bool
) -> tuple[dict[str, list[np.ndarray]], dict[str, list[str]], float]:
    from planea.forecasting import pipeline

    trigger = pipeline.ARIMA_TRIGGER
    if not arima:
        pipeline.ARIMA_TRIGGER = float("inf")
    forecasts: dict[str, list[np.ndarray]] = {name: [] for name in data}
    chosen: dict[str, list[str]] = {name: [] for name in data}
    COVERAGE.clear()
    started = time.perf_counter()
    values_of = data
    try:
        for cut in cuts:
            series = [
                pipeline.Series(key=name, start=START, values=values[:cut].tolist(), excluded=[PANDEMIC])
                for name, values in data.items()
            ]
            for result in pipeline.forecast(series, horizon=HORIZON):
                forecasts[result.key].append(np.array([f.yhat for f in result.forecasts]))
                chosen[result.key].append(result.model)
                actual = values_of[result.key][cut : cut + HORIZON]
                for f, y in zip(result.forecasts, actual, strict=True):
                    COVERAGE.append((f.lo80 <= y <= f.hi80, f.lo95 <= y <= f.hi95))
    finally:
        pipeline.ARIMA_TRIGGER = trigger
    return forecasts, chosen, time.perf_counter() - started


def main() -> int:
    sys.path.insert(0, str(ROOT))
    if not all((DATA / f"{name}.csv").exists() for name in SERIES):
        print(f"forecast_accuracy: no data in {DATA} (PLANEA_TRAVELLERS_DATA); skipped.")
        return 0
    data = {name: read(name) for name in SERIES}
    origins = [
        date(
            FIRST_ORIGIN.year + (FIRST_ORIGIN.month - 1 + EVERY * k) // 12,
            (FIRST_ORIGIN.month - 1 + EVERY * k) % 12 + 1,
            1,
        )
        for k in range(ORIGINS)
    ]
    cuts = [offset(o) for o in origins]
    print(f"Origins: {', '.join(o.strftime('%Y-%m') for o in origins)}; horizon {HORIZON}; series {', '.join(SERIES)}")
    started = time.perf_counter()
    methods: dict[str, dict[str, list[np.ndarray]]] = stock_forecasts(data, cuts)
    stock_seconds = time.perf_counter() - started
    methods["Pipeline"], chosen, pipeline_seconds = pipeline_forecasts(data, cuts, arima=True)
    coverage = (float(np.mean([c[0] for c in COVERAGE])), float(np.mean([c[1] for c in COVERAGE])))
    methods["Pipeline sin ARIMA"], _, cheap_seconds = pipeline_forecasts(data, cuts, arima=False)
    order = ["Pipeline", "Pipeline sin ARIMA", *STOCK, MEDIAN]
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    for method in order:
        table[method] = {}
        for name, values in data.items():
            scores = [
                metrics(values[:cut], values[cut : cut + HORIZON], f)
                for cut, f in zip(cuts, methods[method][name], strict=True)
            ]
            table[method][name] = tuple(float(np.mean([s[i] for s in scores])) for i in range(3))  # type: ignore[assignment]
        table[method]["overall"] = tuple(  # type: ignore[assignment]
            float(np.mean([table[method][n][i] for n in SERIES])) for i in range(3)
        )
    columns = [*SERIES, "overall"]
    for index, title in enumerate(("MASE", "sMAPE %", "Error del total anual %")):
        print(f"\n{title:<26}" + "".join(f"{c:>11}" for c in columns))
        for method in order:
            print(f"{method:<26}" + "".join(f"{table[method][c][index]:>11.3f}" for c in columns))
    overall = table["Pipeline"]["overall"][0] / table["SeasonalNaive"]["overall"][0]
    overall_cheap = table["Pipeline sin ARIMA"]["overall"][0] / table["SeasonalNaive"]["overall"][0]
    worst = {n: table["Pipeline"][n][0] / min(table[m][n][0] for m in STOCK) for n in SERIES}
    worst_cheap = {n: table["Pipeline sin ARIMA"][n][0] / min(table[m][n][0] for m in STOCK) for n in SERIES}
    print("\nModels chosen by the pipeline (per origin):")
    for name in SERIES:
        print(f"  {name:<10} {', '.join(chosen[name])}")
    print(
        f"\nPipeline intervals, share of actual months inside: 80 % interval {coverage[0]:.0%}, "
        f"95 % interval {coverage[1]:.0%} ({len(COVERAGE)} months: 4 series × 8 origins × 12)"
    )
    print(
        f"\nTime: pipeline {pipeline_seconds:.1f} s, without ARIMA {cheap_seconds:.1f} s, "
        f"stock models (cross-validation, 2 processes) {stock_seconds:.1f} s"
    )
    passed_overall, passed_worst = overall <= TARGET_OVERALL, max(worst.values()) <= TARGET_WORST
    print(
        f"Pipeline MASE / SeasonalNaive MASE, overall: {overall:.3f} (target ≤ {TARGET_OVERALL}) "
        f"{'PASS' if passed_overall else 'FAIL'}   [without ARIMA: {overall_cheap:.3f}]"
    )
    print(
        f"Worst series, pipeline MASE / best single model: {max(worst.values()):.3f} on "
        f"{max(worst, key=lambda n: worst[n])} (target ≤ {TARGET_WORST}) {'PASS' if passed_worst else 'FAIL'}   "
        f"[without ARIMA: {max(worst_cheap.values()):.3f}]"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "forecast_accuracy.json").write_text(
        json.dumps(
            {
                "benchmark": "forecast_accuracy",
                "origins": [o.isoformat() for o in origins],
                "table": {
                    m: {c: dict(zip(("mase", "smape", "total_error"), v, strict=True)) for c, v in t.items()}
                    for m, t in table.items()
                },
                "overall_ratio": overall,
                "worst_ratio": worst,
                "overall_ratio_without_arima": overall_cheap,
                "worst_ratio_without_arima": worst_cheap,
                "seconds": {
                    "pipeline": pipeline_seconds,
                    "pipeline_without_arima": cheap_seconds,
                    "stock": stock_seconds,
                },
                "chosen": chosen,
                "interval_coverage": {"80": coverage[0], "95": coverage[1]},
            },
            indent=2,
        )
    )
    return 0 if passed_overall and passed_worst else 1


if __name__ == "__main__":
    sys.exit(main())
