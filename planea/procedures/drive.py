"""Driving cases through the services step by step, as their role holders would: used by the tests, the demo
data and the benchmark."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from planea.documents.services import OficioContent
from planea.org.models import Person

from . import attachments, cases, task_rows
from .models import Case, CaseTask
from .people import holders

PDF = b"%PDF-1.4\n% Planea test document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ready(case: Case) -> list[CaseTask]:
    return task_rows.ready_tasks(case)


def supply_documents(task: CaseTask, actor: Person, *, issue_oficios: bool = False, decision: str = "") -> None:
    """Attach every document the step requires with `decision`: issued oficios where asked, uploaded PDFs
    otherwise."""
    attached = task_rows.attached_slots(task)
    for slot in task.required_slots_for(decision):
        if slot["name"] in attached:
            continue
        if issue_oficios and slot["kind"] in ("oficio", "oficio_solicitud") and slot["use"] == "produce":
            attachments.attach_oficio(
                task,
                slot=slot["name"],
                content=OficioContent("Lic. Destinatario", "Cargo", slot["name"], "Texto del oficio."),
                actor=actor,
            )
        else:
            attachments.attach_upload(
                task,
                slot=slot["name"],
                upload=SimpleUploadedFile(f"{task.number}.pdf", PDF, content_type="application/pdf"),
                actor=actor,
            )


def forward_branch(case: Case, task: CaseTask) -> str:
    """The branch that moves the case on: neither it nor the step it leads to goes back."""
    for branch in task.branches:
        if not case.definition.sends_back(task.number, branch["to"]):
            return branch["value"]
    raise ValueError(f"El paso {task.number} no tiene una salida hacia adelante.")


def step_through(
    case: Case,
    choices: dict[str, list[str]] | None = None,
    *,
    until: str | None = None,
    max_steps: int = 200,
    issue_oficios: bool = False,
    people: dict[str, Person] | None = None,
) -> list[str]:
    """Complete ready steps in order as a holder of each step's role, answering decisions from `choices`
    (observations are written for returns; a decision that leads to a return step takes its return step from the
    choices of that step, and completes it too). Stops before step `until` or when the case ends."""
    choices = {k: list(v) for k, v in (choices or {}).items()}
    done: list[str] = []
    for _ in range(max_steps):
        tasks = ready(case)
        if not tasks or (until is not None and tasks[0].number == until):
            break
        task = tasks[0]
        actor = (people or {}).get(task.role) or task.assignee or holders(task.role, case.org_unit).first()
        if actor is None:
            raise ValueError(f"Nadie tiene el rol {task.role} del paso {task.number}.")
        decision = choices.get(task.number, []).pop(0) if choices.get(task.number) else ""
        if not decision and task.branches:
            decision = forward_branch(case, task)
        supply_documents(task, actor, issue_oficios=issue_oficios, decision=decision)
        target = next((b["to"] for b in task.branches if b["value"] == decision), "")
        back = case.definition.return_step(task.number, target) if target else None
        return_to = ""
        if back is not None and back["branches"]:
            later = choices.get(back["number"])
            return_to = later.pop(0) if later else back["branches"][0]["value"]
        returns = decision or case.definition.is_return_step(task.step)
        cases.complete(
            task,
            actor=actor,
            decision=decision,
            observations="Observaciones de revisión." if returns else "",
            return_to=return_to,
        )
        done.append(task.number)
        if back is not None:
            done.append(back["number"])
    case.refresh_from_db(fields=["status", "revision", "state", "completed_at"])  # its definition stays
    return done
