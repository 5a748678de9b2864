"""The forecasting pipeline, free of Django: monthly series in, chosen model, backtest error and forecasts with
80 % and 95 % intervals out. The forecast runs of P5 and `forecast_csv` both call `forecast` (one code path).

For every series (each step written in the series' `note`, in Spanish, for the planner):

1. `cleaning.prepare`: excluded periods, missing months and `train_after` leave the training (long runs cut out as
   whole years so the seasonal phase survives, short ones filled from the neighbouring years).
2. `breaks.find_shifts`: confirmed level shifts rescale the history before them (or, with at least
   MIN_AFTER_BREAK months after the latest one, the training starts there).
3. Series with fewer than 36 training months are not backtested: SeasonalNaive with a year or more, else the mean.
   Intermittent series (`candidates.intermittency`) get CrostonOptimized, ADIDA and TSB.
4. `backtest`: the cheap tier (SeasonalNaive, AutoETS, AutoTheta and their combination) is backtested on every
   regular series (3 rolling origins, horizon 12, MASE); AutoARIMA is backtested only where the best cheap MASE is
   above ARIMA_TRIGGER × SeasonalNaive's, and then the combination becomes the median of ETS, Theta and ARIMA.
5. Choice: the combination unless a single model's MASE is more than 10 % lower (combinations are the safer bet
   out of sample: ties go to them). `mase_ratio` is the chosen MASE over SeasonalNaive's on the same windows.
6. `intervals`: conformal from the chosen model's backtest errors. Forecasts are clipped at 0 and rounded to cents.

Deterministic: no randomness anywhere (statsforecast's fits are deterministic), series processed in a fixed order,
the split across processes does not change any series' numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from . import backtest, candidates, engine, intervals
from .breaks import find_shifts
from .cleaning import prepare
from .months import label, month_add
from .reconciliation import reconcile_results

METHOD_VERSION = "1.0"

MIN_AFTER_BREAK = 60  # months after the latest break to train only on them: a full backtest (3 windows) with
# at least three years of training in each; with fewer, the rescaled longer history forecasts better
ARIMA_TRIGGER = 0.85  # AutoARIMA is tried where the best cheap model's MASE > 0.85 × SeasonalNaive's
PREFER_SINGLE = 0.90  # a single model beats the combination only when its MASE is below 0.9 × the combination's

type ProgressFn = Callable[[int, int], None]

__all__ = [
    "METHOD_VERSION",
    "MonthForecast",
    "ProgressFn",
    "Series",
    "SeriesResult",
    "forecast",
    "month_add",
    "reconcile",
]


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
    reconciliation. `details` holds every candidate's backtest MASE (`mase:<model>`) and each break's log step."""

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


@dataclass
class _Work:
    """One series on its way through the pipeline."""

    series: Series
    y: np.ndarray
    months: list[date]
    tail: int
    notes: list[str]
    level_shift: date | None = None
    shifts: dict[str, float] = field(default_factory=dict)
    kind: str = "regular"  # regular, intermittent, short
    intermittent: bool = False
    windows: int = 0
    bt: backtest.Windows | None = None
    cv: dict[str, np.ndarray] = field(default_factory=dict)
    final: dict[str, np.ndarray] = field(default_factory=dict)
    mase: dict[str, float] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return self.series.key


def _number(x: float) -> str:
    """Two decimals with a point, as every number of Planea is written (the MASE columns beside the note)."""
    return f"{x:.2f}"


def _prepare(one: Series) -> _Work:
    prepared = prepare(one.values, one.start, one.excluded, one.train_after)
    work = _Work(one, prepared.y, prepared.months, prepared.tail, list(prepared.notes))
    intermittent, zeros = candidates.intermittency(work.y)
    if intermittent:
        work.kind, work.intermittent = "intermittent", True
        work.notes.append(
            f"Serie intermitente ({round(zeros * 100)} % de meses en cero en los últimos años): métodos para "
            "demanda intermitente."
        )
    else:
        adjusted, shifts = find_shifts(work.y, seams=prepared.seams)
        if shifts:
            latest = max(s.position for s in shifts)
            for shift in sorted(shifts, key=lambda s: s.position):
                work.shifts[f"level_shift:{label(work.months[shift.position])}"] = round(shift.log_step, 6)
            work.level_shift = work.months[latest]
            found = ", ".join(label(work.months[s.position]) for s in sorted(shifts, key=lambda s: s.position))
            word = "Cambio de nivel detectado" if len(shifts) == 1 else "Cambios de nivel detectados"
            if len(adjusted) - latest >= MIN_AFTER_BREAK:
                work.y, work.months = adjusted[latest:], work.months[latest:]
                work.notes.append(f"{word} en {found}: entrena desde {label(work.level_shift)}.")
            else:
                work.y = adjusted
                work.notes.append(f"{word} en {found}: se ajustó la historia anterior.")
    work.windows = backtest.windows_for(len(work.y))
    if work.windows == 0:
        work.kind = "short"
    else:
        work.bt = backtest.Windows.of(work.y, work.windows)
    return work


def _run(
    works: list[_Work], names: Sequence[str], horizon: int, clock: engine.Clock, stage: str, *, refit: bool = False
) -> None:
    """Backtest (grouped by number of windows) and final forecasts of `names` for `works`."""
    for windows in sorted({w.windows for w in works}):
        group = [w for w in works if w.windows == windows]
        with clock.stage(f"backtest {stage}"):
            cv = engine.cross_validate(
                {w.uid: w.y for w in group},
                names,
                horizon=backtest.HORIZON,
                windows=windows,
                step=backtest.STEP,
                refit=refit or backtest.REFIT,
            )
        for w in group:
            w.cv.update(cv[w.uid])
    steps = horizon + max((w.tail for w in works), default=0)
    with clock.stage(f"forecast {stage}"):
        final = engine.predict({w.uid: w.y for w in works}, names, horizon=steps)
    for w in works:
        w.final.update(final[w.uid])
        bt = w.bt
        assert bt is not None
        for name in names:
            w.mase[name] = bt.mase(w.cv[name])


def _add_combination(w: _Work, members: Sequence[str]) -> str:
    name = candidates.combination_name(members)
    w.cv[name] = candidates.combine([w.cv[m] for m in members])
    w.final[name] = candidates.combine([w.final[m] for m in members])
    assert w.bt is not None
    w.mase[name] = w.bt.mase(w.cv[name])
    return name


def _choose(w: _Work, singles: Sequence[str], combination: str | None) -> str:
    best = min(singles, key=lambda n: (w.mase[n], singles.index(n)))
    if combination is None or w.mase[best] < PREFER_SINGLE * w.mase[combination]:
        return best
    return combination


def _short(w: _Work, horizon: int) -> SeriesResult:
    y, steps = w.y, horizon + w.tail
    if len(y) and w.intermittent:
        model = "Media"
        path = np.full(steps, float(np.mean(y[-12:])))
        how = "la media de los últimos 12 meses (serie intermitente)"
    elif len(y) >= 12:
        model = candidates.SN
        path = np.array([y[len(y) - 12 + (h % 12)] for h in range(steps)])
        how = "SeasonalNaive (el mismo mes del año anterior)"
    elif len(y):
        model = "Media"
        path = np.full(steps, float(np.mean(y)))
        how = "la media de los meses disponibles"
    else:
        model = "Sin datos"
        path = np.zeros(steps)
        how = "cero (no hay meses para entrenar)"
    w.notes.append(
        f"Serie corta ({len(y)} {'mes útil' if len(y) == 1 else 'meses útiles'}; el backtest necesita "
        f"{backtest.MIN_BACKTEST}): sin backtest, "
        f"se usa {how}."
    )
    widths = intervals.from_history(y, steps)
    variance = (widths[0][0] / intervals.Z80) ** 2
    return _result(w, model, path, widths, None, None, variance, horizon)


def _result(
    w: _Work,
    model: str,
    path: np.ndarray,
    widths: list[tuple[float, float]],
    mase: float | None,
    ratio: float | None,
    error_scale: float | None,
    horizon: int,
) -> SeriesResult:
    one = w.series
    rows = []
    for h in range(1, horizon + 1):
        step = w.tail + h - 1
        values = intervals.bounds(float(path[step]), *widths[step])
        yhat, lo80, hi80, lo95, hi95 = (round(v, 2) for v in values)
        rows.append(MonthForecast(month_add(one.end, h), yhat, lo80, hi80, lo95, hi95))
    details = {f"mase:{k}": round(v, 6) for k, v in sorted(w.mase.items())}
    details.update(w.shifts)
    return SeriesResult(
        key=one.key,
        model=model,
        note=" ".join(w.notes),
        mase=None if mase is None else round(mase, 6),
        mase_ratio=None if ratio is None else round(ratio, 6),
        windows=w.windows,
        training_start=w.months[0] if w.months else one.start,
        level_shift=w.level_shift,
        forecasts=tuple(rows),
        error_scale=None if error_scale is None else round(error_scale, 6),
        details=details,
    )


def _backtested(w: _Work, model: str, horizon: int) -> SeriesResult:
    bt = w.bt
    assert bt is not None
    mase, reference = w.mase[model], w.mase[candidates.SN]
    ratio = mase / reference if reference > 0 else (1.0 if mase == 0 else None)
    steps = horizon + w.tail
    widths = intervals.from_backtest(bt.scaled_errors(w.cv[model]), backtest.scale(w.y), steps)
    w.notes.append(
        f"Elegido por backtest ({w.windows} {'ventana' if w.windows == 1 else 'ventanas'}, horizonte 12): "
        f"MASE {_number(mase)} frente a {_number(reference)} de SeasonalNaive."
    )
    better = min((n for n in w.mase if w.mase[n] < mase), key=lambda n: w.mase[n], default=None)
    if better is not None:
        # The combination is kept unless a single model is more than 10 % better: say so, or the note reads as if
        # the backtest had chosen a model that lost to another (even to SeasonalNaive).
        w.notes.append(
            f"{better} tuvo un MASE menor ({_number(w.mase[better])}), pero no más de "
            f"{round((1 - PREFER_SINGLE) * 100)} % menor: se prefiere la combinación, que falla menos fuera de la "
            "muestra."
        )
    return _result(w, model, w.final[model], widths, mase, ratio, bt.mse(w.cv[model]), horizon)


def forecast(
    series: Sequence[Series],
    *,
    horizon: int,
    progress: ProgressFn | None = None,
    timings: dict[str, float] | None = None,
) -> list[SeriesResult]:
    """Forecast every series `horizon` months past its last month. Deterministic: same input, same output.
    `timings`, when given, receives the wall seconds of each stage (for the benchmarks)."""
    total = len(series)
    keys = [s.key for s in series]
    if len(set(keys)) != len(keys):
        raise ValueError("series keys must be unique")

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(total, int(total * fraction)), total)

    clock = engine.Clock()
    with clock.stage("preparation"):
        works = [_prepare(s) for s in series]
    report(0.05)
    regular = [w for w in works if w.kind == "regular"]
    _run(regular, candidates.CHEAP, horizon, clock, "cheap tier (SeasonalNaive, AutoETS, AutoTheta)")
    cheap_combination = [candidates.ETS, candidates.THETA]
    for w in regular:
        _add_combination(w, cheap_combination)
    report(0.55)
    costly = [w for w in regular if min(w.mase.values()) > ARIMA_TRIGGER * w.mase[candidates.SN] > 0]
    _run(costly, candidates.EXPENSIVE, horizon, clock, "AutoARIMA tier")
    report(0.9)
    intermittent = [w for w in works if w.kind == "intermittent" and w.windows > 0]
    # Croston, ADIDA and TSB cannot carry parameters forward: refit at each origin (they cost next to nothing).
    _run(intermittent, candidates.INTERMITTENT, horizon, clock, "intermittent (Croston, ADIDA, TSB)", refit=True)
    results: list[SeriesResult] = []
    with clock.stage("choice and intervals"):
        for w in works:
            if w.kind == "short" or w.windows == 0:
                results.append(_short(w, horizon))
            elif w.kind == "intermittent":
                singles = list(candidates.INTERMITTENT[1:])
                results.append(_backtested(w, _choose(w, singles, None), horizon))
            else:
                if candidates.ARIMA in w.mase:
                    members = [candidates.ETS, candidates.THETA, candidates.ARIMA]
                    combination = _add_combination(w, members)
                    singles = [candidates.SN, *members]
                else:
                    combination = candidates.combination_name(cheap_combination)
                    singles = list(candidates.CHEAP)
                results.append(_backtested(w, _choose(w, singles, combination), horizon))
    report(1.0)
    if timings is not None:
        timings.update(clock.seconds)
    return results


def reconcile(results: dict[str, SeriesResult], hierarchy: dict[str, list[str]]) -> dict[str, SeriesResult]:
    """Coherent forecasts: for each parent key, its children's forecasts add up to its own, month by month and
    for the interval bounds' centre. `hierarchy` maps a parent key to its children's keys (areas to cost centers,
    the institution to areas). Returns every result, reconciled; the base forecasts are the input's.
    Method: `reconciliation.reconcile_results` (MinT with a diagonal of backtest errors, nonnegative)."""
    return reconcile_results(results, hierarchy)
