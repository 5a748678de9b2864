"""80 % and 95 % intervals, conformal from the backtest.

For a backtested series: the chosen model's absolute backtest errors, each divided by the seasonal-naive scale of
its window (so that windows at different levels pool), are pooled per lead time h with the neighbouring lead times
(h−2 … h+2: with 3 windows, up to 15 errors per lead time). The half-width at h is the split-conformal quantile of
that pool (the ⌈(N+1)·p⌉-th smallest error) times the scale of the final training series; where N is too small for
the 95 % rank, the largest error is used, and never less than the 80 % half-width × 1.96/1.28 (the normal ratio).
Half-widths never shrink with the lead time; beyond the backtest horizon they grow with √(h/12).

For a series too short to backtest, the same is done with the errors seasonal naive made in-sample (each month
against the same month a year earlier), or, with less than two years, with the deviations from the mean; years
further ahead widen by √(years).

The interval is symmetric around the forecast and clipped at 0, so lo95 ≤ lo80 ≤ yhat ≤ hi80 ≤ hi95 ≥ 0 always.
Symmetric conformal intervals are a defensible default for monthly service demand; they are empirical, which is
what the planner needs to trust (they are as wide as the errors the model actually made on this series)."""

from __future__ import annotations

import math

import numpy as np

Z80, Z95 = 1.2816, 1.9600
POOL = 2


def _rank_quantile(values: np.ndarray, p: float) -> float:
    ordered = np.sort(values)
    n = len(ordered)
    if n == 0:
        return 0.0
    rank = math.ceil((n + 1) * p)
    return float(ordered[min(rank, n) - 1])


def _widen(q80: float, q95: float) -> tuple[float, float]:
    q95 = max(q95, q80 * Z95 / Z80)
    return q80, q95


def from_backtest(scaled_errors: np.ndarray, scale: float, steps: int) -> list[tuple[float, float]]:
    """Half-widths (80 %, 95 %) for lead times 1 … steps from the (windows, horizon) scaled backtest errors."""
    horizon = scaled_errors.shape[1]
    widths: list[tuple[float, float]] = []
    best80 = best95 = 0.0
    for h in range(1, steps + 1):
        k = min(h, horizon) - 1
        pool = scaled_errors[:, max(0, k - POOL) : k + POOL + 1].ravel()
        q80, q95 = _widen(_rank_quantile(pool, 0.8), _rank_quantile(pool, 0.95))
        growth = math.sqrt(h / horizon) if h > horizon else 1.0
        best80, best95 = max(best80, q80 * growth), max(best95, q95 * growth)
        widths.append((best80 * scale, best95 * scale))
    return widths


def from_history(y: np.ndarray, steps: int, season: int = 12) -> list[tuple[float, float]]:
    """Half-widths for a series forecast without a backtest."""
    if len(y) >= 2 * season:
        errors = np.abs(y[season:] - y[:-season])
    elif len(y) >= 2:
        errors = np.abs(y - np.mean(y))
    else:
        errors = np.abs(y) * 0.5
    q80, q95 = _widen(_rank_quantile(errors, 0.8), _rank_quantile(errors, 0.95))
    return [
        (q80 * math.sqrt(math.ceil(h / season)), q95 * math.sqrt(math.ceil(h / season))) for h in range(1, steps + 1)
    ]


def bounds(yhat: float, half80: float, half95: float) -> tuple[float, float, float, float, float]:
    """(yhat, lo80, hi80, lo95, hi95), clipped at 0 and ordered."""
    yhat = max(yhat, 0.0)
    half95 = max(half95, half80)
    return yhat, max(yhat - half80, 0.0), yhat + half80, max(yhat - half95, 0.0), yhat + half95
