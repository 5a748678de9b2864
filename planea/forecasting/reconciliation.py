"""Coherent forecasts across a hierarchy (cost centers → area → institution).

Method: MinT with a diagonal covariance (Wickramasuriya, Athanasopoulos & Hyndman 2019; hierarchicalforecast's
`MinTrace(method="wls_var")`), the variance of each series estimated by its backtest mean squared error
(`SeriesResult.error_scale`: out-of-sample errors, more honest than in-sample residuals). With S the summing matrix
(every node as a sum of the bottom series) and W = diag(variances), the bottom forecasts are

    b̃ = (Sᵀ W⁻¹ S)⁻¹ Sᵀ W⁻¹ ŷ

and every node's forecast is S b̃: each series moves in proportion to how wrong it tends to be, so a noisy cost
center absorbs more of the discrepancy than a steady institution total. `tests/test_reconciliation.py` checks the
same algebra against hierarchicalforecast's MinTrace. Nonnegative: bottom forecasts below zero are set to zero
before summing up (the set-negative-to-zero heuristic, which Wickramasuriya et al. 2020 find close to the
quadratic-programming solution). The bottom series are rounded to cents and every parent is the exact sum of its
children's cents.

Intervals: each bound moves by the same amount as its series' mean (ỹ − ŷ), then is clipped at 0 — the width of
a series' interval is its own (base) uncertainty; interval bounds are not meant to add up (a sum of 95 % lows is
not a 95 % low). Without a backtest error the variance comes from the series' 80 % half-width.

The hierarchy is solved per connected component (per variable in a forecast run), so a run with thousands of
series solves many small systems."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .pipeline import SeriesResult

Z80 = 1.2816


def _variance(result: SeriesResult) -> float:
    level = float(np.mean([abs(f.yhat) for f in result.forecasts])) if result.forecasts else 0.0
    floor = 1e-9 * (1.0 + level) ** 2
    if result.error_scale is not None and result.error_scale > 0:
        return max(result.error_scale, floor)
    if result.forecasts:
        half = float(np.mean([f.hi80 - f.yhat for f in result.forecasts])) / Z80
        return max(half * half, floor)
    return 1.0


def summing_matrix(hierarchy: dict[str, list[str]]) -> tuple[list[str], list[str], np.ndarray]:
    """(nodes, bottom, S): every node of the hierarchy (bottom first, then parents in the hierarchy's order), the
    bottom series (nodes without children) and S with S[i, j] = 1 when bottom j adds into node i."""
    order: list[str] = []
    for parent, children in hierarchy.items():
        for key in (parent, *children):
            if key not in order:
                order.append(key)
    bottom = [k for k in order if not hierarchy.get(k)]
    leaves: dict[str, set[str]] = {}

    def collect(node: str, trail: tuple[str, ...]) -> set[str]:
        if node in trail:
            raise ValueError(f"the hierarchy has a cycle through {node}")
        if node not in leaves:
            children = hierarchy.get(node) or []
            leaves[node] = {node} if not children else set().union(*(collect(c, (*trail, node)) for c in children))
        return leaves[node]

    nodes = bottom + [k for k in order if hierarchy.get(k)]
    column = {b: j for j, b in enumerate(bottom)}
    matrix = np.zeros((len(nodes), len(bottom)))
    for i, node in enumerate(nodes):
        for leaf in collect(node, ()):
            matrix[i, column[leaf]] = 1.0
    return nodes, bottom, matrix


def mint_diagonal(matrix: np.ndarray, base: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """Bottom-level MinT-WLS forecasts (bottom × horizon) from base forecasts (nodes × horizon)."""
    weights = 1.0 / variances
    gram = matrix.T @ (weights[:, None] * matrix)
    return np.linalg.solve(gram, matrix.T @ (weights[:, None] * base))


def _components(hierarchy: dict[str, list[str]]) -> list[dict[str, list[str]]]:
    root: dict[str, str] = {}

    def find(x: str) -> str:
        root.setdefault(x, x)
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for parent, children in hierarchy.items():
        for child in children:
            root[find(child)] = find(parent)
    groups: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for parent, children in hierarchy.items():
        groups[find(parent)][parent] = list(children)
    return list(groups.values())


def reconcile_results(results: dict[str, SeriesResult], hierarchy: dict[str, list[str]]) -> dict[str, SeriesResult]:
    out = dict(results)
    for part in _components({p: c for p, c in hierarchy.items() if c}):
        nodes, bottom, matrix = summing_matrix(part)
        missing = [k for k in nodes if k not in results]
        if missing:
            raise KeyError(f"no forecast for {', '.join(missing)}")
        months = [f.month for f in results[nodes[0]].forecasts]
        if any([f.month for f in results[k].forecasts] != months for k in nodes):
            raise ValueError("the series of a hierarchy must be forecast for the same months")
        base = np.array([[f.yhat for f in results[k].forecasts] for k in nodes], dtype=float)
        variances = np.array([_variance(results[k]) for k in nodes])
        leaves = np.round(np.clip(mint_diagonal(matrix, base, variances), 0.0, None), 2)
        coherent = np.round(matrix @ leaves, 2)
        for i, key in enumerate(nodes):
            result = results[key]
            forecasts = []
            for h, f in enumerate(result.forecasts):
                yhat = float(coherent[i, h])
                shift = yhat - f.yhat
                forecasts.append(
                    replace(
                        f,
                        yhat=yhat,
                        lo80=round(min(max(f.lo80 + shift, 0.0), yhat), 2),
                        hi80=round(max(f.hi80 + shift, yhat), 2),
                        lo95=round(min(max(f.lo95 + shift, 0.0), yhat), 2),
                        hi95=round(max(f.hi95 + shift, yhat), 2),
                    )
                )
            out[key] = replace(result, forecasts=tuple(forecasts))
    return out
