"""Fixtures of the PEI tests: a draft version with the demo results chain."""

import pytest

from planea.strategy.demo import build_content
from planea.strategy.plans import create_plan


@pytest.fixture
def draft(demo):
    actor = demo["jefe_planes_programas"]
    plan = create_plan(
        actor=actor, code="PEI-2021-2030", name="PEI 2021-2030", start_year=2021, end_year=2030, mission="Servir."
    )
    build_content(plan, actor)
    return plan
