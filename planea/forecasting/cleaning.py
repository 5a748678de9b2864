"""From a planner's series to the training series: months marked as excluded, missing months and the months up to
`train_after` leave the training, without breaking the seasonal phase the models rely on.

Rules (each one written in the series' note, so the planner sees what was done):

- `train_after`: every month up to and including it is dropped.
- A run of excluded or missing months at the start or the end of the series is dropped (at the end the forecast
  horizon grows by the same number of months, so the forecasts still start the month after the series' last month).
- A short run inside the series (≤ SHORT_GAP months: a strike, a closed post, a month not reported) is filled with
  the same month of the neighbouring years (the mean of the year before and the year after when both are there,
  else the one that is, else a straight line between the neighbours): the model sees a plausible month instead of
  a hole or a collapse.
- A longer run (a pandemic) is cut out as WHOLE YEARS: the cut is rounded up to a multiple of 12 months, extending
  back from the run's last month, so that the month after the cut follows the month before it in the seasonal
  cycle (January still follows December). If fewer than MIN_SEGMENT months would remain before the cut, the
  training restarts after it instead (an old fragment is not worth a seam).

Positions in the result are contiguous (0 … n−1); `months[i]` keeps the calendar month of each position so that
a break found at a position can be reported as a month, and `seams` the positions right after each cut (a break
found near one is snapped to it: a counting change often coincides with the end of an atypical period)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .months import label, month_add, months_between

SHORT_GAP = 5  # months: shorter runs inside the series are filled, longer ones cut out as whole years
MIN_SEGMENT = 24  # months: a fragment before a cut shorter than this is dropped


@dataclass
class Prepared:
    y: np.ndarray  # training values, contiguous positions
    months: list[date]  # the calendar month of each position
    tail: int  # months after the last training month up to the series' last month (dropped at the end)
    seams: list[int] = field(default_factory=list)  # positions right after each cut
    notes: list[str] = field(default_factory=list)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, flag in enumerate(mask):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(mask) - 1))
    return runs


def _span(start: date, first: int, last: int) -> str:
    a, b = label(month_add(start, first)), label(month_add(start, last))
    return a if a == b else f"{a} a {b}"


def prepare(
    values: Sequence[float | None], start: date, excluded: Sequence[tuple[date, date]], train_after: date | None
) -> Prepared:
    n = len(values)
    y = np.array([math.nan if v is None else float(v) for v in values], dtype=float)
    missing = np.isnan(y)
    marked = np.zeros(n, dtype=bool)
    for span_first, span_last in excluded:
        a, b = max(months_between(start, span_first), 0), min(months_between(start, span_last), n - 1)
        if a <= b:
            marked[a : b + 1] = True
    drop = np.zeros(n, dtype=bool)
    notes: list[str] = []
    if train_after is not None:
        k = min(months_between(start, train_after), n - 1)
        if k >= 0:
            drop[: k + 1] = True
            notes.append(f"Entrena solo con los meses posteriores a {label(train_after)}.")
    hole = (marked | missing) & ~drop
    if any(marked & ~drop):
        spans = "; ".join(_span(start, a, b) for a, b in _runs(marked & ~drop))
        notes.append(f"Periodos excluidos por la planificación: {spans}.")
    kept = ~drop
    active = np.flatnonzero(kept & ~hole)
    if len(active) == 0:
        return Prepared(np.zeros(0), [], n, [], notes)
    lead, last_good = int(active[0]), int(active[-1])
    kept[:lead] = False
    tail = n - 1 - last_good
    kept[last_good + 1 :] = False
    if tail:
        notes.append(f"Los últimos {tail} meses ({_span(start, last_good + 1, n - 1)}) no entran al entrenamiento.")
    cut_after: list[int] = []  # original index of the first month after each cut
    filled: list[str] = []
    for a, b in _runs(hole & kept):
        length = b - a + 1
        if length <= SHORT_GAP:
            for i in range(a, b + 1):
                around = [y[j] for j in (i - 12, i + 12) if 0 <= j < n and kept[j] and not hole[j]]
                if around:
                    y[i] = float(np.mean(around))
                else:
                    left, right = a - 1, b + 1
                    y[i] = y[left] + (y[right] - y[left]) * (i - left) / (right - left)
            filled.append(_span(start, a, b))
            continue
        cut = math.ceil(length / 12) * 12
        first = max(b - cut + 1, 0)
        before = int(np.count_nonzero(kept[:first]))
        if before < MIN_SEGMENT:
            kept[: b + 1] = False
            notes.append(
                f"Se descartan {_span(start, a, b)} y la historia anterior (menos de {MIN_SEGMENT} meses): "
                f"entrena desde {label(month_add(start, b + 1))}."
            )
            cut_after = []
        else:
            kept[first : b + 1] = False
            cut_after.append(b + 1)
            notes.append(
                f"Se recortan {b - first + 1} meses ({_span(start, first, b)}), años completos para conservar la "
                "estacionalidad."
            )
    if filled:
        notes.append(f"Meses completados con el mismo mes de los años vecinos: {'; '.join(filled)}.")
    index = np.flatnonzero(kept)
    position = {int(i): p for p, i in enumerate(index)}
    seams = [position[i] for i in cut_after if i in position]
    return Prepared(
        y=y[index].copy(), months=[month_add(start, int(i)) for i in index], tail=tail, seams=seams, notes=notes
    )
