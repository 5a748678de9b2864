"""Cost centers add up to their area and areas to the institution, to the cent."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from planea.forecasting.pipeline import MonthForecast, SeriesResult, reconcile
from planea.forecasting.reconciliation import mint_diagonal, summing_matrix

HIERARCHY = {"institucion": ["area_a", "area_b"], "area_a": ["cc1", "cc2"], "area_b": ["cc3"]}


def result(key: str, means: list[float], error_scale: float | None) -> SeriesResult:
    months = [date(2027, m, 1) for m in range(1, len(means) + 1)]
    return SeriesResult(
        key=key,
        model="AutoETS",
        note="",
        mase=0.5,
        mase_ratio=0.8,
        windows=3,
        training_start=date(2018, 1, 1),
        level_shift=None,
        forecasts=tuple(
            MonthForecast(m, v, max(v - 10, 0), v + 10, max(v - 20, 0), v + 20)
            for m, v in zip(months, means, strict=True)
        ),
        error_scale=error_scale,
    )


def cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_children_sum_to_parents_to_the_cent():
    base = {
        "institucion": result("institucion", [1000.13, 1100.0, 950.55], 400.0),
        "area_a": result("area_a", [610.37, 700.01, 500.0], 100.0),
        "area_b": result("area_b", [301.11, 333.33, 420.0], 90.0),
        "cc1": result("cc1", [250.47, 300.0, 260.0], 50.0),
        "cc2": result("cc2", [333.33, 410.0, 0.5], None),
        "cc3": result("cc3", [305.0, 330.0, 430.0], 80.0),
        "otra": result("otra", [1.0, 2.0, 3.0], 1.0),
    }
    out = reconcile(base, HIERARCHY)
    assert out["otra"] == base["otra"]
    for parent, children in HIERARCHY.items():
        for h in range(3):
            assert cents(out[parent].forecasts[h].yhat) == sum(cents(out[c].forecasts[h].yhat) for c in children)
    for r in out.values():
        for f in r.forecasts:
            assert 0 <= f.lo95 <= f.lo80 <= f.yhat <= f.hi80 <= f.hi95
    # The interval moves with the mean: same half-width where nothing was clipped.
    f, g = base["institucion"].forecasts[1], out["institucion"].forecasts[1]
    assert g.hi95 - g.yhat == pytest.approx(f.hi95 - f.yhat, abs=0.011)


def test_nonnegative():
    base = {
        "area_a": result("area_a", [10.0], 1.0),
        "cc1": result("cc1", [0.0], 100.0),
        "cc2": result("cc2", [30.0], 100.0),
    }
    out = reconcile(base, {"area_a": ["cc1", "cc2"]})
    assert all(r.forecasts[0].yhat >= 0 for r in out.values())
    assert out["area_a"].forecasts[0].yhat == out["cc1"].forecasts[0].yhat + out["cc2"].forecasts[0].yhat


def test_same_algebra_as_hierarchicalforecast_mintrace():
    from hierarchicalforecast.methods import MinTrace  # type: ignore[import-untyped]

    nodes, bottom, matrix = summing_matrix(HIERARCHY)
    assert bottom == ["cc1", "cc2", "cc3"]
    rng = np.random.default_rng(0)
    base = rng.uniform(50, 500, size=(len(nodes), 4))
    ours = matrix @ mint_diagonal(matrix, base, matrix.sum(axis=1))
    top_down = list(range(len(bottom), len(nodes))) + list(range(len(bottom)))  # hierarchicalforecast: bottom last
    theirs = MinTrace(method="wls_struct").fit_predict(S=matrix[top_down], y_hat=base[top_down])["mean"]
    ours = ours[top_down]
    assert np.allclose(ours, theirs)
