import pytest

from planea.statistics.loading import load_csv
from planea.statistics.models import StatisticalVariable
from planea.strategy.models import UnitOfMeasure

ROWS = [
    # land posts of 10.02.U0, and the airport La Aurora (10.01.U0)
    ("0201", "2024-01", 100),
    ("0201", "2024-02", 110),
    ("0202", "2024-01", 40),
    ("0202", "2024-02", 45),
    ("0101", "2024-01", 1000),
    ("0101", "2024-02", 1200),
    ("0201", "2025-01", 120),
    ("0202", "2025-01", 50),
    ("0101", "2025-01", 1300),
]


def csv_of(rows) -> bytes:
    lines = ["variable,centro_costo,mes,valor", *(f"CTRL,{c},{m},{v}" for c, m, v in rows)]
    return "\n".join(lines).encode()


@pytest.fixture
def loaded(demo):
    """Variable CTRL at 0201, 0202 (10.02.U0) and 0101 (10.01.U0) in 2024-01…2025-01; 0201's 2024-01 revised from
    100 to 105 by a second batch."""
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    variable = StatisticalVariable.objects.create(code="CTRL", name="Personas controladas", unit=unit)
    first = load_csv(csv_of(ROWS), file_name="primera.csv", actor=demo["estadistica"])
    revised = load_csv(csv_of([("0201", "2024-01", 105)]), file_name="revision.csv", actor=demo["estadistica"])
    return {"variable": variable, "first": first.batch, "revised": revised.batch}
