"""Runs statsforecast over panels of series: one call per stage for all the series of that stage, so that the work
is split across the cores by statsforecast itself (`n_jobs`) and the overhead of the pipeline over calling
statsforecast directly stays small.

Threads: every worker process runs single-threaded BLAS (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS
= 1, set here before the pools start and enforced in the current process with threadpoolctl): the parallelism is
one series per core; letting numpy start a thread pool per process on a 2-core machine only oversubscribes it.
Processes: PLANEA_FORECAST_JOBS (default: the machine's cores); panels of fewer than PARALLEL_FROM series run in
this process (a pool costs more than it saves). Results do not depend on how the series are split: each series is
fitted on its own, in a fixed order of ids."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import numpy as np

from .candidates import SN, build

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

PARALLEL_FROM = 4


def jobs(count: int) -> int:
    if count < PARALLEL_FROM:
        return 1
    return max(1, int(os.environ.get("PLANEA_FORECAST_JOBS", "0")) or os.cpu_count() or 1)


@contextmanager
def _single_threaded() -> Iterator[None]:
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - threadpoolctl comes with the scientific stack
        yield
        return
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _frame(panel: Mapping[str, np.ndarray]) -> object:
    import pandas as pd  # type: ignore[import-untyped]

    ids = sorted(panel)
    return pd.DataFrame(
        {
            "unique_id": np.repeat(ids, [len(panel[i]) for i in ids]),
            "ds": np.concatenate([np.arange(len(panel[i]), dtype=np.int64) for i in ids]),
            "y": np.concatenate([panel[i] for i in ids]).astype(float),
        }
    )


class Clock:
    """Wall time per stage, for the benchmark's breakdown."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def _statsforecast(names: Sequence[str], count: int) -> object:
    from statsforecast import StatsForecast

    return StatsForecast(models=[build(n) for n in names], freq=1, n_jobs=jobs(count), fallback_model=build(SN))


def cross_validate(
    panel: Mapping[str, np.ndarray], names: Sequence[str], *, horizon: int, windows: int, step: int, refit: bool
) -> dict[str, dict[str, np.ndarray]]:
    """Rolling-origin forecasts: per id, per model, an array (windows, horizon), the earliest origin first. Every
    series of the panel must hold at least `horizon + step × (windows − 1)` months plus a training stretch."""
    if not panel:
        return {}
    with _single_threaded():
        frame = _statsforecast(names, len(panel)).cross_validation(  # type: ignore[attr-defined]
            h=horizon, df=_frame(panel), n_windows=windows, step_size=step, refit=refit
        )
    frame = frame.sort_values(["unique_id", "cutoff", "ds"])
    out: dict[str, dict[str, np.ndarray]] = {}
    for uid, rows in frame.groupby("unique_id", sort=True):
        out[str(uid)] = {n: np.clip(rows[n].to_numpy(dtype=float).reshape(windows, horizon), 0, None) for n in names}
    return out


def predict(panel: Mapping[str, np.ndarray], names: Sequence[str], *, horizon: int) -> dict[str, dict[str, np.ndarray]]:
    """Forecasts `horizon` steps past each series' end: per id, per model, an array (horizon,)."""
    if not panel:
        return {}
    with _single_threaded():
        frame = _statsforecast(names, len(panel)).forecast(h=horizon, df=_frame(panel))  # type: ignore[attr-defined]
    frame = frame.sort_values(["unique_id", "ds"])
    return {
        str(uid): {n: np.clip(rows[n].to_numpy(dtype=float), 0, None) for n in names}
        for uid, rows in frame.groupby("unique_id", sort=True)
    }
