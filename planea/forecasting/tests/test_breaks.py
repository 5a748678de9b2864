"""Level shifts: found where they are, not where they are not; snapped to the end of an excluded period."""

import math
from datetime import date

import numpy as np

from planea.forecasting.breaks import find_shifts
from planea.forecasting.cleaning import prepare

from .series_factory import seasonal, series


def test_known_level_shift_is_found_and_the_history_rescaled():
    y = seasonal(96, seed=1)
    y[72:] *= 0.5  # a counting change: from 2025-01 half as many
    adjusted, shifts = find_shifts(y, seams=[])
    assert [s.position for s in shifts] == [72]
    assert abs(shifts[0].log_step - math.log(0.5)) < 0.08
    assert abs(np.mean(adjusted[60:72]) / np.mean(y[60:72]) - 0.5) < 0.05


def test_no_shift_in_an_ordinary_series():
    for seed in range(5):
        _, shifts = find_shifts(seasonal(96, seed=seed, noise=0.06), seams=[])
        assert shifts == []


def test_a_break_near_the_end_of_an_excluded_period_is_snapped_to_it():
    y = seasonal(108, seed=2)
    y[48:72] *= 0.1  # 2023-01 … 2024-12 excluded by the planner
    y[75:] *= 0.4  # the new level shows three months after
    prepared = prepare(y.tolist(), date(2019, 1, 1), [(date(2023, 1, 1), date(2024, 12, 1))], None)
    assert prepared.seams == [48]
    _, shifts = find_shifts(prepared.y, seams=prepared.seams)
    assert [prepared.months[s.position] for s in shifts] == [date(2025, 1, 1)]


def test_the_pipeline_says_so():
    from planea.forecasting.pipeline import forecast

    y = seasonal(84, seed=3)
    y[66:] *= 0.55
    (result,) = forecast([series("quiebre", y)], horizon=12)
    assert result.level_shift == date(2024, 7, 1)
    assert "Cambio de nivel detectado en 2024-07: se ajustó la historia anterior." in result.note
    # Forecasts at the new level, not the old one.
    assert np.mean([f.yhat for f in result.forecasts]) < 0.7 * np.mean(y[:66])
