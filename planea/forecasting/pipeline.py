"""The forecasting pipeline, free of Django: monthly series in, chosen model, backtest error and forecasts with
80 % and 95 % intervals out. The forecast runs of P5 and `forecast_csv` both call `forecast` (one code path).

PLACEHOLDER (seasonal naive only) until the real pipeline lands; the interface below is the contract."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

METHOD_VERSION = "0-placeholder"

type ProgressFn = Callable[[int, int], None]


def month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Series:
    """A monthly series: `values[i]` is the month `start + i` (day 1); None where the month is missing.
    `excluded` are spans (first month, last month, inclusive) the planner marked to leave out of training;
    `train_after` (a month) means only months after it are used (a counting-method change, a post reopened)."""

    key: str
    start: date
    values: Sequence[float | None]
    excluded: Sequence[tuple[date, date]] = ()
    train_after: date | None = None

    @property
    def end(self) -> date:
        return month_add(self.start, len(self.values) - 1)


@dataclass(frozen=True)
class MonthForecast:
    month: date
    yhat: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


@dataclass(frozen=True)
class SeriesResult:
    """What the pipeline did with one series: the chosen model (a name a planner can read), a note in Spanish saying
    why when the choice is not a plain backtest winner (short series, intermittent, break detected), the backtest
    MASE and its ratio to SeasonalNaive's on the same windows (None when not backtested), and the forecasts of the
    `horizon` months after the series' last month. `error_scale` is the backtest mean squared error, used to weight
    reconciliation."""

    key: str
    model: str
    note: str
    mase: float | None
    mase_ratio: float | None
    windows: int
    training_start: date
    level_shift: date | None
    forecasts: tuple[MonthForecast, ...]
    error_scale: float | None = None
    details: dict[str, float] = field(default_factory=dict)


def forecast(series: Sequence[Series], *, horizon: int, progress: ProgressFn | None = None) -> list[SeriesResult]:
    """Forecast every series `horizon` months past its last month. Deterministic: same input, same output."""
    results = []
    for done, one in enumerate(series):
        values = [0.0 if v is None else float(v) for v in one.values]
        last_year = values[-12:] if len(values) >= 12 else values or [0.0]
        forecasts = tuple(
            MonthForecast(
                month_add(one.end, h), last_year[(h - 1) % len(last_year)], *(last_year[(h - 1) % len(last_year)],) * 4
            )
            for h in range(1, horizon + 1)
        )
        results.append(
            SeriesResult(
                key=one.key,
                model="SeasonalNaive",
                note="",
                mase=None,
                mase_ratio=None,
                windows=0,
                training_start=one.start,
                level_shift=None,
                forecasts=forecasts,
            )
        )
        if progress is not None:
            progress(done + 1, len(series))
    return results


def reconcile(results: dict[str, SeriesResult], hierarchy: dict[str, list[str]]) -> dict[str, SeriesResult]:
    """Coherent forecasts: for each parent key, its children's forecasts add up to its own, month by month and
    for the interval bounds' centre. `hierarchy` maps a parent key to its children's keys (areas to cost centers,
    the institution to areas). Returns every result, reconciled; the base forecasts are the input's."""
    return dict(results)
