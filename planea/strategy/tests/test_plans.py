"""PEI versions (strategy/plans.py): a new PEI and the header and frames of a draft, through the service and through
the PEI forms."""

import pytest
from django.core.exceptions import ValidationError

from planea.audit.models import AuditEvent
from planea.strategy.models import StrategicPlan
from planea.strategy.plans import create_plan, update_plan

pytestmark = pytest.mark.django_db


def test_the_horizon_spans_at_least_five_years(demo):
    with pytest.raises(ValidationError) as error:
        create_plan(actor=demo["jefe_planes_programas"], code="PEI-X", name="Corto", start_year=2026, end_year=2029)
    assert "al menos 5 años" in str(error.value)


def test_rich_text_is_sanitized(draft, demo):
    update_plan(
        draft,
        actor=demo["jefe_planes_programas"],
        data={"conceptual_frame": '<p onclick="x()">Hola <script>alert(1)</script><strong>mundo</strong></p>'},
    )
    draft.refresh_from_db()
    assert draft.conceptual_frame == "<p>Hola <strong>mundo</strong></p>"


def test_a_pei_is_created_and_edited_through_its_forms(demo, client_as):
    client = client_as("jefe_planes_programas")
    form = {"code": "PEI-2031-2040", "name": "PEI 2031-2040", "start_year": "2031", "end_year": "2040"}
    response = client.post("/pei/nuevo/", form)
    plan = StrategicPlan.objects.get(code="PEI-2031-2040")
    assert response["Location"] == f"/pei/{plan.pk}/" and (plan.version, plan.status) == (1, "draft")
    response = client.post("/pei/nuevo/", form)
    assert response.status_code == 400 and "con este Código y Versión ya existe" in response.content.decode()
    response = client.post(f"/pei/{plan.pk}/editar/", {**form, "mission": "<p>Servir <em>bien</em>.</p>"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.mission == "<p>Servir <em>bien</em>.</p>"
    assert list(
        AuditEvent.objects.filter(object_type="strategy.strategicplan", object_id=str(plan.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "pei_created",
        "pei_updated",
    ]


def test_a_horizon_that_ends_before_it_starts_is_told_so(demo):
    from django.core.exceptions import ValidationError

    from planea.strategy.models import StrategicPlan

    plan = StrategicPlan(code="PEI-X", name="PEI X", start_year=2040, end_year=2031)
    with pytest.raises(ValidationError, match="El año final \\(2031\\) es anterior al inicial \\(2040\\)."):
        plan.clean()
