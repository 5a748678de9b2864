"""The lifecycle of the POA and its POM (operations/lifecycle.py over procedures/lifecycle.py): linked to their P2
case, in review, returned, approved and sent to the areas, each change one audit event, through the service, the
case and the page that starts the case."""

import pytest

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.jobs.models import Job
from planea.operations import case_link, lifecycle, tasks
from planea.operations.plans import OperationsError
from planea.procedures.drive import step_through
from planea.strategy.models import PlanStatus

pytestmark = pytest.mark.django_db


def summaries(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq").values_list("summary", flat=True))


def test_the_case_takes_the_poa_and_its_draft_pom_once(plans, demo):
    poa, pom = plans["poa"], plans["pom"]
    with pytest.raises(OperationsError, match="El expediente P2 se inicia desde el POA"):
        case_link.start_case(pom, actor=demo["subdirector_planificacion"])
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    poa.refresh_from_db()
    pom.refresh_from_db()
    assert poa.case == case and pom.case == case
    assert summaries("plan_case_linked") == [
        f"POA-2026 en trámite por el expediente {case.number}",
        f"POM-2026-2030 en trámite por el expediente {case.number}",
    ]
    with pytest.raises(OperationsError, match=f"POA-2026 ya está en el expediente {case.number}."):
        case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    assert lifecycle.plans_of_case(case) == [poa, pom]  # by kind: the annual first


def test_each_change_moves_the_plans_once_with_its_audit_event(plans, demo):
    poa, pom = plans["poa"], plans["pom"]
    actor = demo["subdirector_planificacion"]
    lifecycle.send_to_review([poa, pom], actor=actor)
    lifecycle.send_to_review([poa, pom], actor=actor)  # a step finished twice moves them once
    assert summaries("plan_in_review") == ["POA-2026 en revisión", "POM-2026-2030 en revisión"]
    lifecycle.return_to_draft([poa], actor=actor, observations="Falta el 50% del anexo.")
    assert summaries("plan_returned") == ["POA-2026 devuelto para corrección: Falta el 50% del anexo."]
    assert (poa.status, pom.status) == (PlanStatus.DRAFT, PlanStatus.REVIEW)
    lifecycle.approve([pom], actor=actor)  # never straight from review: the visto bueno and presentation first
    lifecycle.present([pom], actor=actor)
    assert pom.status == PlanStatus.REVIEW and not summaries("plan_approved") and not summaries("plan_presented")
    lifecycle.send_to_review([poa], actor=actor)
    lifecycle.endorse([poa, pom], actor=actor)
    assert summaries("plan_endorsed") == [
        "POA-2026 con visto bueno de la Subdirección de Planificación",
        "POM-2026-2030 con visto bueno de la Subdirección de Planificación",
    ]
    assert not poa.is_editable and not poa.is_approved and poa.approved_at is None
    lifecycle.present([poa, pom], actor=actor)
    assert summaries("plan_presented") == [
        "POA-2026 presentado a la Dirección General",
        "POM-2026-2030 presentado a la Dirección General",
    ]
    assert poa.status == PlanStatus.PRESENTED and poa.get_status_display() == "Presentado a la Dirección General"
    lifecycle.return_to_draft([poa], actor=actor, observations="Tarde.")  # a presented plan is not returned
    lifecycle.approve([poa, pom], actor=actor)
    assert summaries("plan_approved") == ["POA-2026 aprobado", "POM-2026-2030 aprobado"]
    assert poa.is_approved and poa.approved_at and pom.is_approved
    lifecycle.return_to_draft([poa], actor=actor, observations="Tarde.")  # an approved plan is not returned
    lifecycle.send_to_review([poa], actor=actor)
    poa.refresh_from_db()
    assert poa.is_approved and len(summaries("plan_returned")) == 1 and len(summaries("plan_in_review")) == 3
    event = AuditEvent.objects.filter(action="plan_approved").latest("seq")
    assert (event.before, event.after) == ({"status": "presented"}, {"status": "approved"})
    assert verify_chain().ok


def test_the_case_starts_from_the_plan_page_once(plans, client_as):
    poa = plans["poa"]
    client = client_as("subdirector_planificacion")
    response = client.post(f"/planes/{poa.pk}/expediente/")
    poa.refresh_from_db()
    assert response["Location"] == f"/expedientes/{poa.case_id}/"
    response = client.post(f"/planes/{poa.pk}/expediente/", follow=True)
    assert f"POA-2026 ya está en el expediente {poa.case.number}." in response.content.decode()
    assert client_as("jefe_planes_programas").post(f"/planes/{poa.pk}/expediente/").status_code == 403


def test_the_p2_case_generates_the_anteproyectos_and_approves_the_plans(plans, demo, client_as):
    poa, pom = plans["poa"], plans["pom"]
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    task = case.tasks.get(number="9", status="ready")
    page = client_as("jefe_planes_programas").get(f"/expedientes/{case.pk}/").content.decode()
    assert "Generar anteproyectos" in page and poa.name in page
    response = client_as("jefe_planes_programas").post(f"/pasos/{task.pk}/anteproyectos/")
    job = Job.objects.get(kind="anteproyectos")  # made by the task worker, never inside the request
    assert response["Location"] == f"/trabajos/{job.pk}/" and not task.attachments.exists()
    tasks.generate_anteproyectos_job.call(str(job.pk), task_pk=task.pk)  # what the worker runs
    documents = list(task.attachments.select_related("document"))
    assert sorted(d.document.original_name.rsplit(".", 1)[1] for d in documents) == ["pdf", "xlsx"]
    assert documents[0].document.file.read(4) in (b"%PDF", b"PK\x03\x04")
    step_through(case, until="10", people=demo)
    poa.refresh_from_db()
    pom.refresh_from_db()
    assert (poa.status, pom.status) == (PlanStatus.REVIEW, PlanStatus.REVIEW)
    step_through(case, {"10": ["10.2"]}, until="9", people=demo)
    poa.refresh_from_db()
    assert poa.status == PlanStatus.DRAFT
    case_link.generate_anteproyectos(case.tasks.get(number="9", status="ready"), actor=demo["jefe_planes_programas"])
    step_through(case, until="10.1", people=demo)  # "Está bien": the Subdirector's visto bueno, not the approval
    poa.refresh_from_db()
    pom.refresh_from_db()
    assert (poa.status, pom.status) == (PlanStatus.ENDORSED, PlanStatus.ENDORSED) and poa.approved_at is None
    page = client_as("subdirector_planificacion").get(f"/planes/{poa.pk}/").content.decode()
    assert "Con visto bueno" in page and "Plan aprobado" not in page
    step_through(case, until="11", people=demo)  # presented to the Dirección General, which approves it
    poa.refresh_from_db()
    assert poa.status == PlanStatus.PRESENTED and not poa.is_approved
    step_through(case, issue_oficios=True, people=demo)  # step 11 sends "el POA aprobado" to the areas
    poa.refresh_from_db()
    pom.refresh_from_db()
    assert (poa.status, pom.status) == (PlanStatus.APPROVED, PlanStatus.APPROVED) and poa.approved_at
    page = client_as("enlace_area").get(f"/planes/{poa.pk}/").content.decode()
    assert "Anteproyectos aprobados" in page and "anteproyecto-POA-2026-v2.pdf" in page
    approved = case.tasks.filter(number="9").order_by("-iteration").first().attachments.first().document
    response = client_as("enlace_area").get(f"/planes/{poa.pk}/anteproyectos/{approved.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")
    # The case concerns the liaison's area (its cost centers have goals in the POA): it reads it, and works no step.
    case_page = client_as("enlace_area").get(f"/expedientes/{case.pk}/")
    assert case_page.status_code == 200 and "Completar paso" not in case_page.content.decode()
    from planea.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="plan_sent_to_areas", object_id=str(poa.pk)).exists()
    assert verify_chain().ok
