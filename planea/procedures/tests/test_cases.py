"""Cases end to end through the services: every procedure to its end, every return loop, documents required,
roles enforced, decisions and observations recorded, each state change audited."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.org.models import OrgUnit, Person, RoleAssignment
from planea.org.roles import Role
from planea.procedures import assignment, attachments, cases, deadlines, errors, versions
from planea.procedures.drive import PDF, ready, step_through, supply_documents
from planea.procedures.manual import PROCEDURES
from planea.procedures.models import Case, CaseStatus, CaseTask, Definition, TaskStatus
from planea.procedures.people import holders, holds_role

pytestmark = pytest.mark.django_db


def start(demo, code, role="subdirector_planificacion", title="Expediente de prueba"):
    return cases.start_case(code=code, title=title, subject="2027", actor=demo[role])


def test_shipped_definitions_are_loaded_as_version_1(db):
    assert sorted(Definition.objects.values_list("code", "version")) == [(p.code, 1) for p in PROCEDURES]
    p1 = Definition.objects.get(code="11.01.U0.P1")
    assert p1.step("9.1")["next"] == ["4", "5", "6", "7"]
    assert p1.header["indicators"] == ["Plan aprobado."]


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.key)
def test_each_procedure_runs_to_its_end(demo, procedure):
    role = procedure.steps[0].role
    case = start(demo, procedure.code, role=role)
    done = step_through(case, issue_oficios=True)
    assert done[0] == "1"
    returns = {"P1": {"9.1", "10.2"}, "P2": {"10.2"}, "P3": {"6.2"}}.get(procedure.key, set())
    assert done == [s.number for s in procedure.steps if s.number not in returns]
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.completed_at
    assert not ready(case)
    assert case.tasks.filter(status=TaskStatus.COMPLETED).count() == len(done)
    assert AuditEvent.objects.filter(action="case_completed", object_id=str(case.pk)).count() == 1
    assert verify_chain().ok


def test_p1_every_return_loop(demo):
    case = start(demo, "11.01.U0.P1")
    done = step_through(
        case,
        {"9": ["9.1", "9.1", "9.2", "9.2"], "9.1": ["4", "5"], "10": ["10.2", "10.1"], "10.2": ["7"]},
    )
    assert done == (
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "9.1"]
        + ["4", "5", "6", "7", "8", "9", "9.1"]
        + ["5", "6", "7", "8", "9", "9.2", "10", "10.2"]
        + ["7", "8", "9", "9.2", "10", "10.1", "11", "12"]
    )
    loops = {(loop["from"], loop["to"]): loop["times"] for loop in cases.return_loops(case)}
    assert loops == {("9.1", "4"): 1, ("9.1", "5"): 1, ("10.2", "7"): 1}
    seventh = case.tasks.filter(number="7").order_by("created_at")
    assert [t.iteration for t in seventh] == [1, 2, 3, 4]
    review = case.tasks.filter(number="9.1").first()
    assert review.decision == "4" and review.decision_label == "Análisis de la situación"
    assert review.observations == "Observaciones de revisión."


@pytest.mark.parametrize("target", ["4", "5", "6", "7"])
def test_p1_reviewer_sends_back_to_the_chosen_frame(demo, target):
    case = start(demo, "11.01.U0.P1")
    assert step_through(case, {"9": ["9.1"], "9.1": [target]}, max_steps=9)[-2:] == ["9", "9.1"]
    assert [t.number for t in ready(case)] == [target]
    assert ready(case)[0].iteration == 2


def test_p2_return_goes_back_to_the_anteproyectos_and_p3_to_step_5(demo):
    p2 = start(demo, "11.01.U0.P2")
    done = step_through(p2, {"10": ["10.2", "10.1"]})
    assert done[-6:] == ["10", "10.2", "9", "10", "10.1", "11"]
    p3 = start(demo, "11.01.U0.P3")
    done = step_through(p3, {"6": ["6.2", "6.2", "6.1"]})
    assert done[-9:] == ["6", "6.2", "5", "6", "6.2", "5", "6", "6.1", "7"]
    assert [(loop["from"], loop["to"], loop["times"]) for loop in cases.return_loops(p2)] == [("10.2", "9", 1)]
    assert [(loop["from"], loop["to"], loop["times"]) for loop in cases.return_loops(p3)] == [("6.2", "5", 2)]


def test_a_step_naming_two_documents_names_both_in_the_plural(demo):
    task = ready(start(demo, "11.01.U0.P2"))[0]
    with pytest.raises(errors.ProcedureError) as refusal:
        cases.complete(task, actor=demo["subdirector_planificacion"])
    assert [str(refusal.value)] == [
        "Faltan los documentos de soporte: «Oficio del Despacho Superior», «Oficio de traslado de Subdirección de "
        "Planificación». Cárguelos o emítalos antes de completar el paso."
    ]


def test_a_step_naming_a_document_cannot_complete_without_one(demo):
    case = start(demo, "11.01.U0.P1")
    task = ready(case)[0]
    with pytest.raises(errors.ProcedureError, match="Falta el documento de soporte: «Oficio Dirección General»"):
        cases.complete(task, actor=demo["subdirector_planificacion"])
    attachments.attach_upload(
        task,
        slot="Oficio Dirección General",
        upload=SimpleUploadedFile("oficio-dg.pdf", PDF),
        actor=demo["subdirector_planificacion"],
    )
    cases.complete(task, actor=demo["subdirector_planificacion"], comment="Recibido el 3 de febrero")
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and task.comment == "Recibido el 3 de febrero"
    assert task.attachments.get().document.original_name == "oficio-dg.pdf"


def test_a_reference_document_is_not_required(demo):
    case = start(demo, "11.01.U0.P1")
    step_through(case, until="4")
    task = ready(case)[0]
    assert task.required_slots == []
    cases.complete(task, actor=demo["jefe_planes_programas"])


def test_a_return_needs_observations_and_a_valid_choice(demo):
    case = start(demo, "11.01.U0.P1")
    step_through(case, until="9")
    task = ready(case)[0]
    sub = demo["subdirector_planificacion"]
    with pytest.raises(errors.ProcedureError, match="Elija el resultado"):
        cases.complete(task, actor=sub)
    with pytest.raises(errors.ProcedureError, match="Elija el resultado"):
        cases.complete(task, actor=sub, decision="12")
    # 9 → 9.1 sends the document back: observations, a step of 9.1's to go back to and 9.1's document
    with pytest.raises(errors.ProcedureError, match="Falta el documento de soporte: «Documento»"):
        cases.complete(task, actor=sub, decision="9.1", return_to="6", observations="Revisar la misión")
    supply_documents(task, sub, decision="9.1")
    with pytest.raises(errors.ProcedureError, match="observaciones"):
        cases.complete(task, actor=sub, decision="9.1", return_to="6")
    for wrong in ("", "9.2", "12"):
        with pytest.raises(errors.ProcedureError, match="Elija el paso al que se devuelve"):
            cases.complete(task, actor=sub, decision="9.1", return_to=wrong, observations="Revisar la misión")
    assert [t.number for t in ready(case)] == ["9"]
    cases.complete(task, actor=sub, decision="9.1", return_to="6", observations="Revisar la misión")
    assert [t.number for t in ready(case)] == ["6"]


def test_a_profesional_cannot_complete_a_subdirector_step(demo):
    case = start(demo, "11.01.U0.P1")
    task = ready(case)[0]
    supply_documents(task, demo["subdirector_planificacion"])
    with pytest.raises(errors.ProcedureError, match="Subdirector"):
        cases.complete(task, actor=demo["profesional_planes_programas"])
    with pytest.raises(errors.ProcedureError):
        assignment.claim(task, demo["profesional_planes_programas"])
    task.refresh_from_db()
    assert task.status == TaskStatus.READY


def test_only_role_holders_start_a_case(demo):
    with pytest.raises(errors.ProcedureError, match="no tiene el rol"):
        start(demo, "11.01.U0.P1", role="profesional_planes_programas")
    case = start(demo, "11.01.U0.P5", role="profesional_planes_programas")
    assert case.number.startswith("P5-") and case.tasks.get().assignee == demo["profesional_planes_programas"]


def test_claim_assign_reassign_and_release(demo, django_user_model, django_capture_on_commit_callbacks):
    from planea.org.models import OrgUnit, RoleAssignment

    second = django_user_model.objects.create_user("prof2", first_name="Lucía", last_name="Toj", email="l@x.gt")
    RoleAssignment.objects.create(
        person=second, role="profesional_planes_programas", org_unit=OrgUnit.objects.get(code="11.01.U0")
    )
    case = start(demo, "11.01.U0.P6", role="jefe_planes_programas")
    step_through(case, until="2")
    task = ready(case)[0]
    assert task.assignee is None
    prof = demo["profesional_planes_programas"]
    assignment.claim(task, prof)
    with pytest.raises(errors.ProcedureError, match="asignado a"):
        cases.complete(task, actor=second)
    with pytest.raises(errors.ProcedureError, match="Solo la Subdirección"):
        assignment.assign(task, second, prof)
    with pytest.raises(errors.ProcedureError, match="no tiene el rol"):
        assignment.assign(task, demo["estadistica"], demo["jefe_planes_programas"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment.assign(task, second, demo["jefe_planes_programas"])
    task.refresh_from_db()
    assert task.assignee == second
    assert mail.outbox and mail.outbox[0].to == ["l@x.gt"] and "paso 2" in mail.outbox[0].subject
    actions = list(
        AuditEvent.objects.filter(object_id=str(task.pk), object_type="procedures.casetask").values_list(
            "action", flat=True
        )
    )
    assert {"task_claimed", "task_reassigned"} <= set(actions)
    assignment.release(task, second)
    task.refresh_from_db()
    assert task.assignee is None


def test_completed_step_cannot_be_completed_again(demo):
    case = start(demo, "11.01.U0.P5", role="profesional_planes_programas")
    task = ready(case)[0]
    supply_documents(task, demo["profesional_planes_programas"])
    cases.complete(task, actor=demo["profesional_planes_programas"])
    with pytest.raises(errors.ProcedureError, match="ya fue completado por"):
        cases.complete(task, actor=demo["profesional_planes_programas"])


def test_running_cases_stay_on_their_version(demo):
    from planea.procedures.bpmn import build
    from planea.procedures.manual import P6

    old = start(demo, "11.01.U0.P6", role="jefe_planes_programas")
    xml = build(P6, version=2).replace("Archiva documentación", "Archiva en el expediente digital la documentación")
    v2 = versions.upload_version(code="11.01.U0.P6", xml=xml, actor=demo["administrador"], note="Archivo digital")
    assert v2.version == 2 and old.definition.version == 1
    new = start(demo, "11.01.U0.P6", role="jefe_planes_programas")
    assert new.definition == v2
    step_through(old)
    step_through(new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == new.status == CaseStatus.COMPLETED
    assert old.tasks.get(number="10").case.definition.version == 1


def test_notification_when_a_step_reaches_a_role_and_when_overdue(demo, django_capture_on_commit_callbacks):
    from datetime import timedelta

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = start(demo, "11.01.U0.P6", role="jefe_planes_programas")
        step_through(case, until="2")
    arrived = [m for m in mail.outbox if "paso 2 pendiente" in m.subject]
    assert arrived and arrived[0].to == [demo["profesional_planes_programas"].email]
    task = ready(case)[0]
    CaseTask.objects.filter(pk=task.pk).update(due_date=task.due_date - timedelta(days=30))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.notify_overdue() == 1
        assert deadlines.notify_overdue() == 0  # once per step
    assert len(mail.outbox) == 1 and "vencido" in mail.outbox[0].subject
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_notify_overdue_command(demo, django_capture_on_commit_callbacks):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command

    case = start(demo, "11.01.U0.P5", role="profesional_planes_programas")
    CaseTask.objects.filter(case=case).update(due_date=ready(case)[0].due_date - timedelta(days=20))
    out = StringIO()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_overdue", stdout=out)
    assert "enviados: 1" in out.getvalue()
    assert mail.outbox[0].to == [demo["profesional_planes_programas"].email]
    assert "venció el" in mail.outbox[0].body and case.number in mail.outbox[0].body


def test_a_plain_step_that_sends_back_records_its_observations(demo):
    case = start(demo, "11.01.U0.P3")
    step_through(case, until="6")
    task = ready(case)[0]
    sub = demo["subdirector_planificacion"]
    with pytest.raises(errors.ProcedureError, match="observaciones"):
        cases.complete(task, actor=sub, decision="6.2")
    cases.complete(task, actor=sub, decision="6.2", observations="Faltan las cifras de agosto")
    returned = case.tasks.get(number="6.2")  # completed with the decision, by the same person
    assert returned.observations == "Faltan las cifras de agosto" and returned.completed_by == sub
    assert [t.number for t in ready(case)] == ["5"]


def test_a_liaison_holds_the_role_only_where_that_role_is_assigned(demo):
    own, other = OrgUnit.objects.get(code="10.02.U0"), OrgUnit.objects.get(code="11.01.U0")
    person = Person.objects.create_user(username="enlace_cruzado", password="x" * 12, first_name="Enlace")
    RoleAssignment.objects.create(person=person, role=Role.ENLACE_AREA, org_unit=own)
    RoleAssignment.objects.create(person=person, role=Role.ESTADISTICA, org_unit=other)  # another role there
    RoleAssignment.objects.create(person=person, role=Role.ENLACE_AREA, org_unit=other, active=False)  # no longer
    person = Person.objects.get(pk=person.pk)
    assert person in holders(Role.ENLACE_AREA, own) and holds_role(person, Role.ENLACE_AREA, own)
    assert person not in holders(Role.ENLACE_AREA, other) and not holds_role(person, Role.ENLACE_AREA, other)


def test_a_case_needs_a_title_and_subject_that_show_something(demo):
    before = Case.objects.count()
    for title, subject in (("\u200b", "Mes 1"), ("Ejecución", "\u200b\u2060 ")):
        with pytest.raises(errors.ProcedureError):
            cases.start_case(code="11.01.U0.P6", title=title, subject=subject, actor=demo["jefe_planes_programas"])
    assert Case.objects.count() == before
