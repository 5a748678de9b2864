"""The consistency of a POA at its approval (operations/consistency.py): P2 step 10 shows the report of the plan's
consistency page, and its visto bueno is refused while observations are not acknowledged; the acknowledgement is
explicit and recorded (who, when, the figures, why) with its audit event, and holds only for the figures seen.
Through the case page and its forms, as the Subdirector works."""

from decimal import Decimal

import pytest

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.operations import case_link, consistency, inputs
from planea.operations.ceilings import set_ceilings
from planea.operations.models import ConsistencyAcknowledgement, InputRequirement
from planea.procedures import cases
from planea.procedures.drive import step_through, supply_documents
from planea.procedures.errors import ProcedureError
from planea.strategy.models import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_review(plans, demo):
    """The POA in its P2 case at step 10 (the Subdirector's visto bueno)."""
    case = case_link.start_case(plans["poa"], actor=demo["subdirector_planificacion"])
    step_through(case, until="10", people=demo)
    task = case.tasks.get(number="10", status="ready")
    supply_documents(task, demo["subdirector_planificacion"])  # the oficio to the Director: only the decision is left
    return task


@pytest.fixture
def over_ceiling(plans, demo):
    """Product P02's ceiling at Q 100.00 while its inputs add up to Q 3,150.00."""
    land = plans["land"]
    set_ceilings(plans["poa"], {(land.product_id, None): Decimal("100.00")}, actor=demo["subdireccion_financiera"])


def complete(client, task, decision):
    prefix = f"c{task.pk}"
    return client.post(
        f"/pasos/{task.pk}/completar/",
        {f"{prefix}-decision": decision, f"{prefix}-observations": "", f"{prefix}-comment": ""},
        follow=True,
    )


def acknowledge(client, task, note):
    return client.post(f"/pasos/{task.pk}/consistencia/", {"note": note}, follow=True)


def test_the_visto_bueno_of_an_inconsistent_plan_waits_for_a_recorded_acknowledgement(
    over_ceiling, at_review, plans, demo, client_as
):
    poa, task = plans["poa"], at_review
    subdirector = client_as("subdirector_planificacion")
    page = subdirector.get(f"/expedientes/{task.case_id}/").content.decode()
    assert 'data-testid="step-consistency"' in page
    assert "1 observación · insumos Q 3,050.00 por encima de los techos" in page
    assert 'data-testid="acknowledge-form"' in page

    refused = complete(subdirector, task, "10.1").content.decode()
    assert "La consistencia de POA-2026 tiene observaciones (Q 3,050.00 por encima de los techos)" in refused
    task.refresh_from_db()
    poa.refresh_from_db()
    assert task.status == "ready" and poa.status == PlanStatus.REVIEW

    assert "Escriba por qué el plan sigue adelante" in acknowledge(subdirector, task, "  ").content.decode()
    jefe = client_as("jefe_planes_programas")
    assert "corresponde al rol «Subdirector(a) de Planificación»" in acknowledge(jefe, task, "Sí.").content.decode()
    assert not ConsistencyAcknowledgement.objects.exists()

    page = acknowledge(subdirector, task, "Financiera ajusta el techo en la presentación.").content.decode()
    assert "Observaciones de consistencia reconocidas" in page
    assert "Reconocidas por" in page and "Financiera ajusta el techo en la presentación." in page
    item = ConsistencyAcknowledgement.objects.get()
    assert (item.plan, item.task, item.acknowledged_by) == (poa, task, demo["subdirector_planificacion"])
    assert item.figures["over_ceiling"] == [
        {"code": "P02", "amount": "3150.00", "ceiling": "100.00", "excess": "3050.00"}
    ]
    event = AuditEvent.objects.get(action="consistency_acknowledged")
    assert event.actor_username == "subdirector_planificacion" and event.object_id == str(poa.pk)
    assert event.summary.startswith("POA-2026: ") and event.summary.endswith(
        " reconoce 1 observación de consistencia al dar el visto bueno"
    )
    assert event.after["figures"] == item.figures and event.after["step"] == "10"

    assert "Paso 10 completado." in complete(subdirector, task, "10.1").content.decode()
    poa.refresh_from_db()
    assert poa.status == PlanStatus.ENDORSED
    presenting = task.case.tasks.get(number="10.1", status="ready")
    page = subdirector.get(f"/expedientes/{task.case_id}/").content.decode()
    assert 'data-testid="consistency-acknowledged"' in page and 'data-testid="acknowledge-form"' not in page
    assert presenting.pk and verify_chain().ok


def test_an_acknowledgement_holds_only_for_the_figures_it_acknowledged(over_ceiling, at_review, plans, demo):
    task, subdirector = at_review, demo["subdirector_planificacion"]
    consistency.acknowledge(task, actor=subdirector, note="Se ajusta en la presentación.")
    InputRequirement.objects.filter(plan=plans["poa"]).update(quantity=Decimal(200))  # the figures change
    assert consistency.acknowledgement(task, inputs.consistency(plans["poa"])) is None
    with pytest.raises(ProcedureError, match="Reconózcalas en este paso"):
        cases.complete(task, actor=subdirector, decision="10.1")
    consistency.acknowledge(task, actor=subdirector, note="Con el monto nuevo, igual.")
    cases.complete(task, actor=subdirector, decision="10.1")
    assert ConsistencyAcknowledgement.objects.count() == 2
    assert AuditEvent.objects.filter(action="consistency_acknowledged").count() == 2


def test_a_consistent_plan_and_a_return_need_no_acknowledgement(at_review, plans, demo, client_as):
    task = at_review
    subdirector = client_as("subdirector_planificacion")
    page = subdirector.get(f"/expedientes/{task.case_id}/").content.decode()
    assert 'data-testid="consistency-ok"' in page and 'data-testid="acknowledge-form"' not in page
    assert "no hay nada que reconocer" in acknowledge(subdirector, task, "Por si acaso.").content.decode()
    assert "Paso 10 completado." in complete(subdirector, task, "10.1").content.decode()
    plans["poa"].refresh_from_db()
    assert plans["poa"].status == PlanStatus.ENDORSED


def test_the_anteproyectos_of_an_inconsistent_plan_go_back_without_acknowledgement(
    over_ceiling, at_review, plans, client_as
):
    task = at_review
    prefix = f"c{task.pk}"
    response = client_as("subdirector_planificacion").post(
        f"/pasos/{task.pk}/completar/",
        {f"{prefix}-decision": "10.2", f"{prefix}-observations": "Ajuste los insumos de P02.", f"{prefix}-comment": ""},
        follow=True,
    )
    assert "Paso 10 completado." in response.content.decode()
    assert not ConsistencyAcknowledgement.objects.exists()
