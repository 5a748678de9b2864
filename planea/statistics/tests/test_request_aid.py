"""The requests for statistics (P5 step 2, P6 step 1) lead Estadística to the load page and say how far the
statistics reach against the last closed month (request_aid.py)."""

from datetime import date

import pytest

from planea.procedures import cases
from planea.procedures.manual import P6
from planea.procedures.models import StepRequest
from planea.statistics.loading import last_closed_month
from planea.statistics.models import StatisticalVariable, StatisticsBatch
from planea.statistics.tests import rows as statistic_rows
from planea.strategy.models import UnitOfMeasure

pytestmark = pytest.mark.django_db


@pytest.fixture
def p6(demo):
    jefe = demo["jefe_planes_programas"]
    return cases.start_case(code=P6.code, title="Ejecución de octubre", subject="Octubre", actor=jefe)


def test_the_request_page_leads_to_the_statistics_load_and_says_how_far_they_reach(p6, client_as, demo):
    sent = StepRequest.objects.get(task__case=p6)
    page = client_as("estadistica").get(f"/solicitudes/{sent.pk}/").content.decode()
    year, month = last_closed_month()
    assert 'data-testid="request-aids"' in page and 'href="/estadisticas/cargar/"' in page
    assert f"no hay estadísticas cargadas; último mes cerrado: {month:02d}/{year}" in page
    variable = StatisticalVariable.objects.create(
        code="V", name="V", unit=UnitOfMeasure.objects.get_or_create(name="Persona")[0], per_cost_center=False
    )
    batch = StatisticsBatch.objects.create(
        loaded_by=demo["estadistica"], loaded_at=sent.created_at, file_name="a.csv", sha256="0" * 64, rows=1
    )
    statistic_rows.put(variable, 2024, 7, 1, batch)
    page = client_as("estadistica").get(f"/solicitudes/{sent.pk}/").content.decode()
    assert "cargadas hasta 07/2024" in page
    StepRequest.objects.filter(pk=sent.pk).update(due_date=date(2020, 1, 1))
    page = client_as("estadistica").get(f"/solicitudes/{sent.pk}/").content.decode()
    assert "Vencida, sin respuesta" in page
