"""The models a series can get, by name (the names a planner reads in the run), and which series get which.

- Regular series: the cheap tier everywhere — SeasonalNaive (the baseline every model must beat), AutoETS,
  AutoTheta and their combination (the median of the members, which for two members is their mean); AutoARIMA joins
  (and the combination becomes the median of ETS, Theta and ARIMA) only where the cheap tier does not beat
  SeasonalNaive clearly (see `pipeline.ARIMA_TRIGGER`): AutoARIMA costs ten times an AutoETS fit.
- Intermittent or near-zero series (ADI > 1.32 or a third of the months at zero in the recent years — Syntetos &
  Boylan's cut-off): CrostonOptimized, ADIDA and TSB; SeasonalNaive runs beside them only as the reference of the
  MASE ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

SEASON = 12
SN, ETS, THETA, ARIMA = "SeasonalNaive", "AutoETS", "AutoTheta", "AutoARIMA"
CROSTON, ADIDA, TSB = "CrostonOptimized", "ADIDA", "TSB"
CHEAP = (SN, ETS, THETA)
EXPENSIVE = (ARIMA,)
INTERMITTENT = (SN, CROSTON, ADIDA, TSB)
ADI_CUTOFF = 1.32
ZERO_SHARE = 1 / 3
RECENT = 36  # months looked at to call a series intermittent


def build(name: str) -> Any:
    """A fresh statsforecast model."""
    from statsforecast import models

    factories = {
        SN: lambda: models.SeasonalNaive(season_length=SEASON),
        ETS: lambda: models.AutoETS(season_length=SEASON),
        THETA: lambda: models.AutoTheta(season_length=SEASON),
        ARIMA: lambda: models.AutoARIMA(season_length=SEASON),
        CROSTON: lambda: models.CrostonOptimized(),
        ADIDA: lambda: models.ADIDA(),
        TSB: lambda: models.TSB(alpha_d=0.2, alpha_p=0.2),
    }
    return factories[name]()


def combination_name(members: Sequence[str]) -> str:
    return f"{'Mediana' if len(members) > 2 else 'Media'}({', '.join(members)})"


def combine(forecasts: Sequence[np.ndarray]) -> np.ndarray:
    return np.median(np.stack(forecasts), axis=0)


def intermittency(y: np.ndarray) -> tuple[bool, float]:
    """Whether the recent months are intermittent, and their share of zeros."""
    recent = y[-RECENT:]
    if len(recent) == 0:
        return False, 0.0
    nonzero = int(np.count_nonzero(recent > 0))
    zeros = 1 - nonzero / len(recent)
    adi = len(recent) / nonzero if nonzero else float("inf")
    return adi > ADI_CUTOFF or zeros >= ZERO_SHARE, zeros
