from typing import Any

import pytest

from planea.operations import lifecycle
from planea.statistics.loading import load_csv
from planea.statistics.models import StatisticalVariable


@pytest.fixture
def poa(plans: dict[str, Any], demo: dict[str, Any]) -> Any:
    """POA-2026 approved, with the demo goals of the land posts (P02-02)."""
    plan = plans["poa"]
    lifecycle.approve([plan], actor=demo["subdirector_planificacion"])
    plan.refresh_from_db()
    return plan


@pytest.fixture
def statistics(poa: Any, plans: dict[str, Any], demo: dict[str, Any]) -> dict[str, Any]:
    """January's statistics of two land posts (and February's of one), measured by two variables of the subproduct."""
    land = plans["land"]
    for code in ("CTRL-TERR-E", "CTRL-TERR-S"):  # entries and exits both measure the land posts
        StatisticalVariable.objects.create(code=code, name=code, unit=land.unit, subproduct=land)
    centers = sorted(land.cost_centers.values_list("code", flat=True))[:2]
    rows = [f"CTRL-TERR-E,{centers[0]},2026-01,1000.6", f"CTRL-TERR-S,{centers[0]},2026-01,400"]
    rows += [f"CTRL-TERR-E,{centers[1]},2026-01,250", f"CTRL-TERR-E,{centers[1]},2026-02,260"]
    data = ("variable,centro_costo,mes,valor\n" + "\n".join(rows) + "\n").encode()
    batch = load_csv(data, file_name="enero.csv", actor=demo["estadistica"]).batch
    return {"centers": centers, "batch": batch, "land": land}
