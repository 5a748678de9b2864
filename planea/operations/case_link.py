"""The P2 case carries a POA and its POM as the manual's steps say: step 9 produces the anteproyectos (PDF and XLSX
generated from the plan data) and finishing it sends the plans to the Subdirector for the visto bueno; "Está bien"
at step 10 is that visto bueno (refused while the consistency of goals, inputs and ceilings has observations that
nobody acknowledged: operations/consistency.py); step 10.1 presents them to the Dirección General, which approves
them with the Autoridad Migratoria Nacional outside the procedure; step 11, which sends "el POA aprobado" to the
areas, records them approved and freezes them; a return from 10.2 puts them back in draft. Runs inside the step's
transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.documents.models import Document
from planea.org.models import Person
from planea.procedures import attachments, cases
from planea.procedures.errors import ProcedureError
from planea.procedures.links import Link, register
from planea.procedures.manual import P2
from planea.procedures.models import Case, CaseTask, StepDocument, TaskStatus
from planea.procedures.people import can_work_on
from planea.procedures.signals import Outcome, step_completed
from planea.spreadsheets.imports import Progress, no_progress

from . import anteproyecto, consistency, lifecycle
from .models import OperationalPlan, PlanKind
from .plans import OperationsError

DRAFTING_STEP = "9"
REVIEW_STEP = "10"
ENDORSED_BRANCH = "10.1"
PRESENTING_STEP = "10.1"
SENDING_STEP = "11"
ANTEPROYECTO_SLOT = "Anteproyectos POA y POM"


@transaction.atomic
def start_case(poa: OperationalPlan, *, actor: Person) -> Case:
    if poa.kind != PlanKind.ANNUAL:
        raise OperationsError(_("El expediente P2 se inicia desde el POA; su POM lo acompaña."))
    names = poa.code + (f" y {poa.multiannual.code}" if poa.multiannual else "")
    case = cases.start_case(
        code=P2.code, title=_("Formulación del %(plans)s") % {"plans": names}, subject=str(poa.start_year), actor=actor
    )
    lifecycle.link_case(poa, case, actor=actor)
    return case


def anteproyecto_documents(plan: OperationalPlan) -> list[StepDocument]:
    """The anteproyecto files of the plan's P2 case, from the last time step 9 produced them (the ones approved)."""
    if plan.case_id is None:
        return []
    links = StepDocument.objects.filter(
        task__case_id=plan.case_id, task__number=DRAFTING_STEP, slot=ANTEPROYECTO_SLOT
    ).select_related("document", "task")
    latest = max((link.task.iteration for link in links), default=None)
    return [link for link in links if link.task.iteration == latest]


def annual_plan_of(case: Case) -> OperationalPlan | None:
    return OperationalPlan.objects.filter(case=case, kind=PlanKind.ANNUAL).first()


def generation_plan(task: CaseTask) -> OperationalPlan:
    """The POA whose anteproyectos step 9 of this case produces; ProcedureError when the step cannot produce them."""
    poa = annual_plan_of(task.case)
    if poa is None:
        raise ProcedureError(_("El expediente no tiene un POA vinculado."))
    if task.number != DRAFTING_STEP or task.case.definition.key != P2.key:
        raise ProcedureError(_("Los anteproyectos se elaboran en el paso 9 del P2."))
    if not poa.goals.exists():
        raise ProcedureError(_("El %(plan)s no tiene metas físicas todavía.") % {"plan": poa.code})
    return poa


def generate_anteproyectos(task: CaseTask, *, actor: Person, progress: Progress | None = None) -> list[Document]:
    """Build the anteproyectos from the POA and POM of the case and attach both files to step 9. The files are
    built outside any transaction (a PDF takes seconds, a national one minutes); attaching them is one short
    transaction, which checks again that the step is still there to take them."""
    poa = generation_plan(task)
    report = progress or no_progress
    stamp = f"{poa.code}-v{task.iteration}"
    title = _("Anteproyecto %(plans)s") % {
        "plans": poa.code + (f" y {poa.multiannual.code}" if poa.multiannual else "")
    }
    builds = (("pdf", "PDF", anteproyecto.build_pdf), ("xlsx", "Excel", anteproyecto.build_xlsx))
    built = []
    for done, (extension, label, build) in enumerate(builds):
        report(done, len(builds), _("Generando el anteproyecto en %(format)s…") % {"format": label})
        built.append((extension, label, build(poa)))
    files = [
        (content, f"anteproyecto-{stamp}.{extension}", f"{title} ({label})") for extension, label, content in built
    ]
    with transaction.atomic():  # a generation asked again replaces the earlier one of this step
        return attachments.attach_generated(task, slot=ANTEPROYECTO_SLOT, files=files, actor=actor)


@register
def plan_links(case: Case, user: Any) -> list[Link]:
    links = []
    step9 = case.tasks.filter(number=DRAFTING_STEP, status=TaskStatus.READY).first()
    for plan in OperationalPlan.objects.filter(case=case).order_by("kind"):
        action = {}
        if plan.kind == PlanKind.ANNUAL and step9 is not None and can_work_on(user, step9):
            action = {
                "action_label": _("Generar anteproyectos (PDF y Excel) desde los datos"),
                "action_url": reverse("operations:generate_anteproyectos", args=[step9.pk]),
            }
        links.append(Link(plan.name, reverse("operations:detail", args=[plan.pk]), plan.get_status_display(), **action))
    return links


@receiver(step_completed, sender=Case)
def follow_p2(
    sender: type[Case], case: Case, task: CaseTask, target: str, outcome: Outcome, actor: Person, **kwargs: Any
) -> None:
    if case.definition.key != P2.key:
        return
    plans = lifecycle.plans_of_case(case)
    if not plans:
        return
    if task.number == DRAFTING_STEP:
        lifecycle.send_to_review(plans, actor=actor)
    elif task.number == REVIEW_STEP and target == ENDORSED_BRANCH:
        consistency.require_acknowledged(task, actor=actor)
        lifecycle.endorse(plans, actor=actor)
    elif task.number == PRESENTING_STEP:
        lifecycle.present(plans, actor=actor)
    elif task.number == SENDING_STEP:
        lifecycle.approve(plans, actor=actor)
        lifecycle.sent_to_areas(plans, task=task, actor=actor)
    elif outcome == Outcome.RETURNED:
        lifecycle.return_to_draft(plans, actor=actor, observations=task.observations)
