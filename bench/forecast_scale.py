"""Benchmark: a forecast run at scale (issue 13, point 7) — 1,000 synthetic monthly series × 120 months, backtest
included, on this machine's cores.

The series are deterministic (numpy seed 13): seasonal with trend and multiplicative noise at levels from tens to
tens of thousands; 15 % with a level shift (a counting change), 10 % with a marked 22-month excluded period
(a pandemic), 10 % intermittent (mostly zeros), 5 % with only the last 30 months reported (too short to backtest).

Prints the wall time of `pipeline.forecast` and where it goes (per stage), the peak memory (max RSS of this
process and of the worker processes), and the ratio to calling statsforecast directly on the same training series
with the same models and windows — SeasonalNaive, AutoETS, AutoTheta cross-validated (3 windows of 12, every 6
months) and forecast on every regular series, AutoARIMA on the series where the pipeline used it, Croston/ADIDA/
TSB on the intermittent ones — timed per model. Targets: ≤ 15 minutes; ≤ 1.2 × the direct calls.
SCALE_SERIES / SCALE_MONTHS change the size."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SERIES = int(os.environ.get("SCALE_SERIES", "1000"))
MONTHS = int(os.environ.get("SCALE_MONTHS", "120"))
START = date(2016, 1, 1)
TARGET_MINUTES, TARGET_RATIO = 15.0, 1.2


def synthetic(count: int, months: int) -> list[object]:
    from planea.forecasting.pipeline import Series, month_add

    rng = np.random.default_rng(13)
    t = np.arange(months)
    out = []
    for i in range(count):
        kind = rng.random()
        level = float(np.exp(rng.uniform(np.log(20), np.log(50_000))))
        season = 1 + rng.uniform(0.05, 0.4) * np.sin(2 * np.pi * (t + rng.integers(12)) / 12)
        season *= 1 + rng.uniform(0, 0.15) * np.cos(4 * np.pi * t / 12)
        trend = (1 + rng.uniform(-0.004, 0.008)) ** t
        noise = np.exp(rng.normal(0, rng.uniform(0.03, 0.15), months))
        y = level * season * trend * noise
        excluded: list[tuple[date, date]] = []
        values: list[float | None]
        if kind < 0.10:
            y = rng.poisson(rng.uniform(0.1, 0.8), months).astype(float)
        elif kind < 0.25:
            at = int(rng.integers(48, months - 6))
            y[at:] *= rng.choice([0.4, 0.6, 1.6, 2.2])
        elif kind < 0.35:
            y[50:72] *= 0.1
            excluded = [(month_add(START, 50), month_add(START, 71))]
        values = [round(float(v), 2) for v in y]
        if 0.35 <= kind < 0.40:
            values = [None] * (months - 30) + values[-30:]
        out.append(Series(key=f"S{i:04d}", start=START, values=values, excluded=excluded))
    return out


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def direct(series: Sequence[object], results: Sequence[object]) -> tuple[float, dict[str, float]]:
    """The same statsforecast work, called directly: per model, cross-validation + forecast on the same training
    series the pipeline built."""
    import pandas as pd
    from statsforecast import StatsForecast

    from planea.forecasting import backtest, candidates, engine
    from planea.forecasting.pipeline import _prepare

    works = {w.uid: w for w in (_prepare(s) for s in series)}  # type: ignore[arg-type]
    chosen = {r.key: r for r in results}  # type: ignore[attr-defined]
    regular = [k for k, w in works.items() if w.kind == "regular"]
    arima = [k for k in regular if "mase:AutoARIMA" in chosen[k].details]
    intermittent = [k for k, w in works.items() if w.kind == "intermittent" and w.windows]
    plan = [(m, regular) for m in candidates.CHEAP] + [(candidates.ARIMA, arima)]
    plan += [(m, intermittent) for m in candidates.INTERMITTENT]
    seconds: dict[str, float] = {}
    for model, keys in plan:
        if not keys:
            continue
        started = time.perf_counter()
        for windows in sorted({works[k].windows for k in keys}):
            group = [k for k in keys if works[k].windows == windows]
            frame = pd.concat(
                pd.DataFrame({"unique_id": k, "ds": np.arange(len(works[k].y)), "y": works[k].y}) for k in group
            )
            sf = StatsForecast(models=[candidates.build(model)], freq=1, n_jobs=engine.jobs(len(group)))
            sf.cross_validation(
                df=frame,
                h=12,
                n_windows=windows,
                step_size=backtest.STEP,
                refit=backtest.REFIT or model in candidates.INTERMITTENT[1:],  # as the pipeline does
            )
        frame = pd.concat(
            pd.DataFrame({"unique_id": k, "ds": np.arange(len(works[k].y)), "y": works[k].y}) for k in keys
        )
        StatsForecast(models=[candidates.build(model)], freq=1, n_jobs=engine.jobs(len(keys))).forecast(
            df=frame, h=12 + max(works[k].tail for k in keys)
        )
        seconds[f"{model} ({len(keys)} series)"] = time.perf_counter() - started
    return sum(seconds.values()), seconds


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from planea.forecasting import engine, pipeline

    series = synthetic(SERIES, MONTHS)
    print(f"{SERIES} series × {MONTHS} months; {engine.jobs(SERIES)} processes; load {os.getloadavg()[0]:.1f}")
    timings: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), cpu_seconds()
    results = pipeline.forecast(series, horizon=12, timings=timings)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    print(
        f"\nPipeline: {wall:.1f} s ({wall / 60:.1f} min; target ≤ {TARGET_MINUTES:.0f} min); CPU {cpu:.1f} s; "
        f"load now {os.getloadavg()[0]:.1f} (other work on the machine slows the wall time)"
    )
    for stage, seconds in timings.items():
        print(f"  {stage:<62} {seconds:8.1f} s  {seconds / wall:6.1%}")
    kinds: dict[str, int] = {}
    for r in results:
        name = r.model if not r.model.startswith(("Media", "Mediana")) else r.model.split("(")[0] + " (combinación)"
        kinds[name] = kinds.get(name, 0) + 1
    arima = sum("mase:AutoARIMA" in r.details for r in results)
    print(
        f"  AutoARIMA tier on {arima} of {len(results)} series; breaks found on "
        f"{sum(r.level_shift is not None for r in results)}; not backtested {sum(r.windows == 0 for r in results)}"
    )
    print("  Chosen: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  Peak memory (max RSS): this process {own:.0f} MiB, largest worker {children:.0f} MiB")
    cpu_started = time.perf_counter(), cpu_seconds()
    direct_total, per_model = direct(series, results)
    direct_cpu = cpu_seconds() - cpu_started[1]
    print(
        f"\nstatsforecast called directly, same series, models and windows: {direct_total:.1f} s; "
        f"CPU {direct_cpu:.1f} s"
    )
    for model, seconds in per_model.items():
        print(f"  {model:<62} {seconds:8.1f} s  {seconds / direct_total:6.1%}")
    ratio = wall / direct_total
    print(f"CPU ratio (less sensitive to other load): {cpu / direct_cpu:.2f} ×")
    minutes_ok, ratio_ok = wall / 60 <= TARGET_MINUTES, ratio <= TARGET_RATIO
    print(
        f"\nTime {wall / 60:.1f} min (target ≤ {TARGET_MINUTES:.0f}) {'PASS' if minutes_ok else 'FAIL'}; "
        f"pipeline / direct statsforecast {ratio:.2f} × (target ≤ {TARGET_RATIO}) {'PASS' if ratio_ok else 'FAIL'}"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "forecast_scale.json").write_text(
        json.dumps(
            {
                "benchmark": "forecast_scale",
                "series": SERIES,
                "months": MONTHS,
                "seconds": wall,
                "stages": timings,
                "direct_seconds": direct_total,
                "direct_per_model": per_model,
                "ratio": ratio,
                "cpu_seconds": cpu,
                "direct_cpu_seconds": direct_cpu,
                "arima_series": arima,
                "max_rss_mib": own,
                "max_rss_children_mib": children,
            },
            indent=2,
        )
    )
    return 0 if minutes_ok and ratio_ok else 1


if __name__ == "__main__":
    sys.exit(main())
