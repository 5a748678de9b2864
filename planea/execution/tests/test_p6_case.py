"""A month's P6 case, step by step as its role holders complete it: step 2 waits for the month's statistics and
pre-fills the month; step 4 registers it (complete only), step 5 authorizes it (causes written), step 6 approves and
locks it and starts the comprobantes; step 8 goes on with them and attaches them to step 9's oficio, which step 9
still needs; the verification page checks a comprobante by its number and names a changed figure."""

from typing import Any

import pytest
from django.db import transaction

from planea.documents.services import OficioContent
from planea.execution import comprobantes, executed, month_case, months
from planea.execution.models import ApprovedRevision, MonthStatus, Source
from planea.jobs.models import Job
from planea.procedures import attachments, cases
from planea.procedures.drive import supply_documents
from planea.procedures.errors import ProcedureError
from planea.procedures.models import CaseStatus, StepDocument, StepRequest
from planea.procedures.oficio_drafts import draft_for
from planea.procedures.step_requests import answer

from .p6 import current_goals

pytestmark = pytest.mark.django_db


def ready_step(case: Any) -> Any:
    return case.tasks.get(status="ready")


def complete(case: Any, people: dict[str, Any]) -> Any:
    task = ready_step(case)
    actor = people[task.role]
    supply_documents(task, actor)
    return cases.complete(task, actor=actor, comment="", decision="", observations="", return_to="")


def test_a_month_goes_through_its_case_to_the_comprobantes(
    poa, demo, statistics, client_as, django_capture_on_commit_callbacks
):
    january = month_case.start(poa, 1, actor=demo["jefe_planes_programas"])
    case = january.case
    request = StepRequest.objects.get(task__case=case)
    assert request.role == "estadistica"  # step 1's request reaches Estadística's inbox
    complete(case, demo)  # step 1
    answer(request, actor=demo["estadistica"], note="Enero cargado.")
    complete(case, demo)  # step 2: statistics loaded → pre-filled
    cells = executed.executed_of(poa, 1)
    assert len(cells) == 2
    complete(case, demo)  # step 3, analysis
    with pytest.raises(ProcedureError, match="Falta lo ejecutado de"):
        with transaction.atomic():
            complete(case, demo)  # step 4 refused: lines without their executed value
    rest = {(s, c, 1): v for (s, c), v in current_goals(poa, 1).items() if (s, c, 1) not in cells}
    executed.write(poa, rest, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    complete(case, demo)  # step 4: registered
    january.refresh_from_db()
    assert january.status == MonthStatus.REGISTERED
    with pytest.raises(ProcedureError, match="no tienen? su causa"):
        with transaction.atomic():
            complete(case, demo)  # step 5 refused: the statistics deviate from the goals
    for line in months.needing_cause(january):
        months.write_cause(
            january, line, "Cierre temporal del puesto por obras.", actor=demo["profesional_planes_programas"]
        )
    complete(case, demo)  # step 5: authorized
    with django_capture_on_commit_callbacks(execute=False):
        complete(case, demo)  # step 6: approved, the comprobantes' job started after the commit
    january.refresh_from_db()
    assert january.status == MonthStatus.APPROVED
    revision = ApprovedRevision.objects.get(execution_month=january)
    assert revision.registered_by == demo["profesional_planes_programas"]
    assert revision.authorized_by == demo["jefe_planes_programas"]
    assert Job.objects.filter(kind="p6_comprobantes").count() == 1
    complete(case, demo)  # step 7
    with pytest.raises(ProcedureError, match="todavía se están generando"):
        with transaction.atomic():
            complete(case, demo)  # step 8 waits for the comprobantes
    made = comprobantes.generate(revision, actor=demo["subdirector_planificacion"])
    areas = comprobantes.areas_of(revision)
    assert len(made) == 1 + len(areas) and made[0].number == "CE-POA-2026-01-R1-00"
    assert comprobantes.generate(revision, actor=demo["subdirector_planificacion"]) == []  # made once
    complete(case, demo)  # step 8: the comprobantes go to step 9's oficio
    notify = ready_step(case)
    linked = set(StepDocument.objects.filter(task=notify, slot="Oficio").values_list("document_id", flat=True))
    assert linked == {c.document_id for c in made}
    draft = draft_for(notify, "Oficio")
    assert "CE-POA-2026-01-R1-00" in draft["body"] and revision.sha256 in draft["body"]
    with pytest.raises(ProcedureError, match="Falta el oficio de notificación"):
        with transaction.atomic():
            complete(case, demo)
    jefe = demo["jefe_planes_programas"]
    content = OficioContent("Director General", "IGM", draft["subject"], draft["body"])
    attachments.attach_oficio(notify, slot="Oficio", content=content, actor=jefe)
    page = client_as("jefe_planes_programas").get(f"/expedientes/{case.pk}/")
    assert page.status_code == 200 and b"CE-POA-2026-01-R1-00" in page.content
    sub = demo["subdirector_planificacion"]
    months.reopen(january, reason="El puesto envió su reporte corregido.", actor=sub)
    with pytest.raises(ProcedureError, match="no está aprobado"):
        with transaction.atomic():
            complete(case, demo)  # step 9 waits for the month approved again
    months.register(january, actor=demo["profesional_planes_programas"])
    months.authorize(january, actor=jefe)
    again = comprobantes.generate(months.approve(january, actor=sub), actor=sub)
    complete(case, demo)  # step 9, with the comprobantes of revision 2 attached to its oficio
    linked = set(StepDocument.objects.filter(task=notify, slot="Oficio").values_list("document_id", flat=True))
    assert {c.document_id for c in again} <= linked
    complete(case, demo)  # step 10: archived
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


def test_step_2_waits_for_the_statistics_of_its_month(poa, demo, statistics):
    march = month_case.start(poa, 3, actor=demo["jefe_planes_programas"])
    complete(march.case, demo)
    with pytest.raises(ProcedureError, match="no ha cargado las estadísticas de marzo de 2026"):
        with transaction.atomic():
            complete(march.case, demo)


def test_a_month_sent_back_after_its_case_registered_it_asks_again_in_the_inbox(poa, demo, statistics, client_as):
    january = month_case.start(poa, 1, actor=demo["jefe_planes_programas"])
    case = january.case
    complete(case, demo)  # step 1
    url = f"/ejecucion/meses/{january.pk}/"
    waiting = client_as("profesional_planes_programas").get(url).content.decode()
    assert 'data-testid="month-waiting-statistics"' in waiting and "Se cargan cuando el mes termina" not in waiting
    answer(StepRequest.objects.get(task__case=case), actor=demo["estadistica"], note="Enero cargado.")
    complete(case, demo)  # step 2
    assert 'data-testid="month-waiting-statistics"' not in client_as("jefe_planes_programas").get(url).content.decode()
    complete(case, demo)  # step 3
    rest = {
        (s, c, 1): v for (s, c), v in current_goals(poa, 1).items() if (s, c, 1) not in executed.executed_of(poa, 1)
    }
    executed.write(poa, rest, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    complete(case, demo)  # step 4: registered; the case waits at step 5
    asked = "Corregir y registrar de nuevo enero de 2026, POA-2026 (devuelto)"
    profesional = client_as("profesional_planes_programas")
    assert asked not in profesional.get("/").content.decode()
    client_as("jefe_planes_programas").post(url + "devolver/", {"reason": "Falta el reporte de Tecún Umán."})
    inbox = profesional.get("/").content.decode()
    assert asked in inbox and f'href="{url}"' in inbox  # the case stays at step 5: the month asks for itself
    step_5 = client_as("jefe_planes_programas").get(f"/expedientes/{case.pk}/").content.decode()
    assert 'data-testid="p6-returned"' in step_5 and "Falta el reporte de Tecún Umán." in step_5  # why it waits
    page = profesional.get(url).content.decode()
    jefe_name = demo["jefe_planes_programas"].get_full_name()
    assert f"Devuelto por {jefe_name}" in page and "Falta el reporte de Tecún Umán." in page
    profesional.post(url + "registrar/")
    january.refresh_from_db()
    assert january.status == MonthStatus.REGISTERED and asked not in profesional.get("/").content.decode()
    assert 'data-testid="month-returned"' in profesional.get(url).content.decode()  # why, until it is approved
    assert "Autorizar de nuevo" not in client_as("jefe_planes_programas").get("/").content.decode()  # step 5's own


def test_a_month_reopened_after_its_approval_holds_step_7_until_approved_again(poa, demo, statistics, client_as):
    january = month_case.start(poa, 1, actor=demo["jefe_planes_programas"])
    case = january.case
    complete(case, demo)  # step 1
    answer(StepRequest.objects.get(task__case=case), actor=demo["estadistica"], note="Enero cargado.")
    for _step in ("2", "3"):
        complete(case, demo)
    rest = {
        (s, c, 1): v for (s, c), v in current_goals(poa, 1).items() if (s, c, 1) not in executed.executed_of(poa, 1)
    }
    executed.write(poa, rest, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    complete(case, demo)  # step 4
    for line in months.needing_cause(january):
        months.write_cause(january, line, "Cierre temporal del puesto.", actor=demo["profesional_planes_programas"])
    complete(case, demo)  # step 5
    complete(case, demo)  # step 6: approved
    january.refresh_from_db()
    months.reopen(january, reason="Cifras del puesto corregidas.", actor=demo["subdirector_planificacion"])
    page = client_as("jefe_planes_programas").get(f"/expedientes/{case.pk}/").content.decode()
    assert 'data-testid="p6-not-approved"' in page
    with pytest.raises(ProcedureError, match="no está aprobado"), transaction.atomic():
        complete(case, demo)  # step 7 waits for the new approval
    assert ready_step(case).number == "7"
    inbox = client_as("profesional_planes_programas").get("/").content.decode()
    assert "Corregir y registrar de nuevo enero de 2026, POA-2026 (reabierto)" in inbox
