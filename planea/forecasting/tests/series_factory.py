"""Small deterministic monthly series for the forecasting tests."""

from __future__ import annotations

from datetime import date

import numpy as np

from planea.forecasting.pipeline import Series

PATTERN = np.array([120, 100, 110, 130, 125, 115, 140, 150, 105, 95, 100, 160], dtype=float)


def seasonal(
    months: int, *, seed: int = 0, noise: float = 0.04, level: float = 10.0, growth: float = 0.002
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    return np.round(level * PATTERN[t % 12] * (1 + growth) ** t * np.exp(rng.normal(0, noise, months)), 2)


def series(key: str, values: np.ndarray | list[float | None], **kwargs: object) -> Series:
    return Series(key=key, start=date(2019, 1, 1), values=[None if v is None else float(v) for v in values], **kwargs)  # type: ignore[arg-type]
