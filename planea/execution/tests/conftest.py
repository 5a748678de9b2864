from typing import Any

import pytest

from planea.operations import lifecycle


@pytest.fixture
def poa(plans: dict[str, Any], demo: dict[str, Any]) -> Any:
    """POA-2026 approved, with the demo goals of the land posts (P02-02)."""
    plan = plans["poa"]
    lifecycle.approve([plan], actor=demo["subdirector_planificacion"])
    plan.refresh_from_db()
    return plan
