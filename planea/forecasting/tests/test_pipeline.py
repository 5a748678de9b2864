"""The pipeline's decisions: excluded periods, short and intermittent series, intervals, determinism."""

from datetime import date

import numpy as np
import pytest

from planea.forecasting import candidates
from planea.forecasting.cleaning import prepare
from planea.forecasting.pipeline import forecast

from .series_factory import seasonal, series


def test_excluded_periods_are_cut_as_whole_years():
    y = seasonal(96, seed=4).tolist()
    prepared = prepare(y, date(2019, 1, 1), [(date(2021, 3, 1), date(2022, 12, 1))], None)
    # 22 months marked, 24 cut (2021-01 … 2022-12): the month after the cut follows the month before it.
    assert len(prepared.y) == 72 and prepared.seams == [24]
    assert prepared.months[23:25] == [date(2020, 12, 1), date(2023, 1, 1)]
    assert "Se recortan 24 meses (2021-01 a 2022-12)" in " ".join(prepared.notes)
    # With less than two years before it, the training restarts after the excluded period instead.
    prepared = prepare(y, date(2019, 1, 1), [(date(2020, 3, 1), date(2021, 12, 1))], None)
    assert prepared.months[0] == date(2022, 1, 1) and prepared.seams == []


def test_short_gaps_are_filled_from_neighbouring_years_and_train_after_drops_the_start():
    y: list[float | None] = [float(v) for v in seasonal(48, seed=5)]
    y[20] = None
    prepared = prepare(y, date(2019, 1, 1), [], date(2019, 6, 1))
    assert len(prepared.y) == 42 and prepared.months[0] == date(2019, 7, 1)
    assert prepared.y[20 - 6] == pytest.approx((y[8] + y[32]) / 2)  # type: ignore[operator]
    assert "Entrena solo con los meses posteriores a 2019-06." in prepared.notes


def test_excluded_periods_change_the_forecast():
    y = seasonal(72, seed=6)
    y[36:48] *= 0.2  # a collapse in 2022
    plain, marked = forecast(
        [series("sin", y), series("con", y, excluded=[(date(2022, 1, 1), date(2022, 12, 1))])], horizon=12
    )
    assert [f.yhat for f in plain.forecasts] != [f.yhat for f in marked.forecasts]
    assert "Periodos excluidos por la planificación: 2022-01 a 2022-12." in marked.note
    assert marked.training_start == date(2019, 1, 1)


def test_short_series_fall_back_and_say_so():
    year_and_a_half, few = forecast(
        [series("corta", seasonal(30, seed=7)), series("muy_corta", seasonal(8, seed=8))], horizon=12
    )
    assert (year_and_a_half.model, year_and_a_half.mase, year_and_a_half.mase_ratio, year_and_a_half.windows) == (
        "SeasonalNaive",
        None,
        None,
        0,
    )
    assert "Serie corta (30 meses útiles; el backtest necesita 36): sin backtest" in year_and_a_half.note
    assert [f.yhat for f in year_and_a_half.forecasts] == seasonal(30, seed=7)[18:30].tolist()
    assert few.model == "Media" and "la media de los meses disponibles" in few.note
    assert len({f.yhat for f in few.forecasts}) == 1


def test_intermittent_series_get_an_intermittent_method():
    rng = np.random.default_rng(9)
    y = rng.poisson(0.4, 60).astype(float)
    (result,) = forecast([series("rara", y)], horizon=12)
    assert result.model in (candidates.CROSTON, candidates.ADIDA, candidates.TSB)
    assert "Serie intermitente" in result.note
    assert result.mase is not None and result.windows == 3


def test_intervals_are_ordered_and_nonnegative_and_runs_are_reproducible():
    rng = np.random.default_rng(10)
    batch = [
        series("regular", seasonal(60, seed=11, noise=0.15)),
        series("rara", rng.poisson(0.3, 48).astype(float)),
        series("corta", seasonal(20, seed=12)),
        series("cola", [*seasonal(58, seed=13).tolist(), None, None]),
    ]
    first = forecast(batch, horizon=14)
    for result in first:
        assert len(result.forecasts) == 14
        for f in result.forecasts:
            assert 0 <= f.lo95 <= f.lo80 <= f.yhat <= f.hi80 <= f.hi95
    tail = first[3]
    assert tail.forecasts[0].month == date(2024, 1, 1)  # after the series' last month, though it was missing
    assert forecast(batch, horizon=14) == first
    calls: list[tuple[int, int]] = []
    forecast(batch[:1], horizon=12, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (1, 1)


def test_the_split_across_processes_does_not_change_the_numbers(monkeypatch):
    batch = [series(f"s{i}", seasonal(40, seed=30 + i)) for i in range(4)]
    monkeypatch.setenv("PLANEA_FORECAST_JOBS", "1")
    alone = forecast(batch, horizon=12)
    monkeypatch.setenv("PLANEA_FORECAST_JOBS", "2")
    assert forecast(batch, horizon=12) == alone


def test_the_note_says_why_a_combination_is_kept_over_a_slightly_better_single_model():
    # Seed 8: AutoTheta's backtest MASE is 0.98 and the combination's 1.00; the combination is kept (a single model
    # must be more than 10 % better). The note said only "Elegido por backtest: MASE 1,00 …", in decimal commas
    # beside MASE columns written with a point.
    [result] = forecast([series("a", seasonal(72, seed=8, noise=0.12))], horizon=12)
    assert result.model == "Media(AutoETS, AutoTheta)"
    assert "MASE 1.00 frente a 1.25 de SeasonalNaive." in result.note
    assert "AutoTheta tuvo un MASE menor (0.98), pero no más de 10 % menor: se prefiere la combinación" in result.note
