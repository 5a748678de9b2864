"""Backtest arithmetic on series with a known answer."""

import numpy as np
import pytest

from planea.forecasting import backtest
from planea.forecasting.pipeline import forecast

from .series_factory import PATTERN, series


def test_windows_and_origins():
    assert backtest.windows_for(35) == 0
    assert backtest.windows_for(36) == 1
    assert backtest.windows_for(42) == 2
    assert backtest.windows_for(120) == 3
    # Origins n−24, n−18, n−12: the last window forecasts the last 12 months.
    assert backtest.origins(120, 3) == [96, 102, 108]


def test_mase_by_hand():
    """y = pattern + t: every seasonal difference is 12, so seasonal naive's in-sample MAE is 12 in every training
    cut and its 12-month forecast misses each month by exactly 12 (MASE 1); a forecast 6 off is MASE 0.5."""
    t = np.arange(60)
    y = PATTERN[t % 12] + t
    windows = backtest.Windows.of(y, 3)
    assert windows.scales.tolist() == [12.0, 12.0, 12.0]
    naive = np.stack([y[c - 12 : c] for c in backtest.origins(60, 3)])
    assert windows.mase(naive) == pytest.approx(1.0)
    assert windows.mase(windows.actual + 6) == pytest.approx(0.5)
    assert windows.mse(windows.actual - 3) == pytest.approx(9.0)


def test_perfectly_seasonal_series_seasonal_naive_scores_zero():
    y = np.tile(PATTERN, 5)  # 60 months, the same year five times
    (result,) = forecast([series("perfecta", y)], horizon=12)
    assert result.details["mase:SeasonalNaive"] == 0
    assert result.windows == 3
    assert result.model == "SeasonalNaive"
    assert result.mase == 0 and result.mase_ratio == 1.0
    assert [f.yhat for f in result.forecasts] == PATTERN.tolist()
    assert [f.month.isoformat() for f in result.forecasts][:2] == ["2024-01-01", "2024-02-01"]
