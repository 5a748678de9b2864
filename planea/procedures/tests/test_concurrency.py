"""Two people complete the same step at the same moment: one succeeds, the other gets a clear message, and the
case stays consistent (one record, one next step, an intact audit chain). Runs on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import connection

from planea.audit.verify import verify_chain
from planea.org.models import OrgUnit, RoleAssignment
from planea.procedures import cases, engine, errors
from planea.procedures.drive import ready, step_through, supply_documents
from planea.procedures.models import Case, TaskStatus


@pytest.mark.django_db(transaction=True)
def test_two_people_complete_the_same_step_at_once(demo, django_user_model):
    second = django_user_model.objects.create_user("profesional2", first_name="Lucía", last_name="Toj Pérez")
    RoleAssignment.objects.create(
        person=second, role="profesional_planes_programas", org_unit=OrgUnit.objects.get(code="11.01.U0")
    )
    case = cases.start_case(
        code="11.01.U0.P6", title="Ejecución octubre", subject="Octubre", actor=demo["jefe_planes_programas"]
    )
    step_through(case, until="2")
    task = ready(case)[0]
    assert task.assignee is None  # open to everyone holding the role
    supply_documents(task, demo["profesional_planes_programas"])
    revision = Case.objects.get(pk=case.pk).revision

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def complete(person) -> None:
        try:
            barrier.wait()
            cases.complete(task, actor=person, comment=f"Registrado por {person.username}")
            outcomes[person.username] = "ok"
        except errors.ProcedureError as exc:
            outcomes[person.username] = str(exc)
        except BaseException as exc:  # anything else is a failure of the test
            outcomes[person.username] = f"ERROR {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(p,)) for p in (demo["profesional_planes_programas"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(v == "ok" for v in outcomes.values()) == [False, True], outcomes
    winner = next(name for name, v in outcomes.items() if v == "ok")
    loser_message = next(v for v in outcomes.values() if v != "ok")
    assert loser_message.startswith("El paso 2 ya fue completado por") and "Actualice la página" in loser_message
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and task.completed_by.username == winner
    case.refresh_from_db()
    assert case.revision == revision + 1
    assert [t.number for t in ready(case)] == ["3"]
    assert case.tasks.filter(number="2").count() == 1
    workflow = engine.restore(case.definition, case.state)
    assert [t.task_spec.bpmn_id for t in engine.ready_tasks(workflow)] == ["paso_3"]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_step_completed_while_a_document_is_being_attached_records_that_document(demo):
    """The step's documents are read once its lock is held: a document attached by a transaction that held the
    lock first is in the completion's record (on PostgreSQL a statement that waits for a lock reads the other
    tables as they were before the wait)."""
    from django.db import transaction
    from django.utils import timezone

    from planea.audit.models import AuditEvent
    from planea.documents.services import store
    from planea.procedures import task_rows
    from planea.procedures.models import CaseTask, StepDocument

    case = cases.start_case(
        code="11.01.U0.P6", title="Ejecución noviembre", subject="Noviembre", actor=demo["jefe_planes_programas"]
    )
    task = ready(case)[0]
    supply_documents(task, demo["jefe_planes_programas"])
    first = StepDocument.objects.get(task=task)
    annex = store(
        content=b"%PDF-1.4 anexo",
        filename="anexo.pdf",
        kind=first.document.kind,
        title="Anexo",
        actor=demo["jefe_planes_programas"],
        origin=first.document.origin,
    )
    holding, released = threading.Event(), threading.Event()

    def attach_while_holding_the_lock() -> None:
        try:
            with transaction.atomic():
                CaseTask.objects.select_for_update().get(pk=task.pk)
                holding.set()
                released.wait(timeout=2)  # the completion waits for this lock meanwhile
                link = StepDocument(task=task, document=annex, slot="anexo", added_at=timezone.now())
                link.added_by = demo["jefe_planes_programas"]
                task_rows.add_link(link)
        finally:
            connection.close()

    other = threading.Thread(target=attach_while_holding_the_lock)
    other.start()
    holding.wait(timeout=5)
    timer = threading.Timer(0.3, released.set)
    timer.start()
    cases.complete(task, actor=demo["jefe_planes_programas"])
    other.join()
    completed = AuditEvent.objects.filter(action="task_completed", object_id=str(task.pk)).get()
    assert completed.after["documents"] == [first.document_id, annex.pk]
