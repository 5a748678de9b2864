"""Steps 4, 5, 6 and 8 of a P5 case on its programming (models.Programming): what each step shows, the documents
Planea produces for it, and what its completion requires.

- Step 4 sends the proposal to the Jefe del Departamento with an oficio: Planea generates the annex (annex.py) as a
  background job and attaches it to the step's «Oficio» slot; the oficio itself is issued (or its signed copy
  uploaded) with the step's own form, and says in its body that the annex goes with it. The step is completed only
  with both.
- Step 5 sets the proposal against the money (money.py): a page, linked from the step.
- Step 6 adjusts the goals in the POA's goal grid, which shows the forecast beside each cell (grid_hints.py).
- Step 8 produces the «Reporte» for SIGES (siges.py) in XLSX and PDF, as a job, attached to the step and
  downloadable from the programming's SIGES page."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.documents.kinds import DocumentKind
from planea.documents.models import Document, Origin
from planea.org.models import Person
from planea.procedures import attachments, step_checks
from planea.procedures.errors import ProcedureError
from planea.procedures.links import Link, register
from planea.procedures.manual import P5
from planea.procedures.models import Case, CaseTask, StepDocument, TaskStatus
from planea.procedures.people import can_work_on
from planea.procedures.signals import Outcome, step_completed
from planea.spreadsheets.imports import Progress, no_progress

from . import annex, money, siges
from .models import Programming, RunStatus
from .programming import programming_of

ANNEX_STEP, MONEY_STEP, GRID_STEP, SIGES_STEP = "4", "5", "6", "8"
OFICIO_SLOT = "Oficio"
REPORT_SLOT = "Reporte"
ANNEX_KIND = DocumentKind.CUADROS  # «Cuadros y gráficos estadísticos»: the annex's tables and charts


def _step_programming(task: CaseTask, number: str) -> Programming:
    """The programming whose step `number` this task is; ProcedureError when it cannot produce its document."""
    if task.case.definition.key != P5.key or task.number != number:
        raise ProcedureError(_("Este documento se produce en el paso %(number)s del P5.") % {"number": number})
    programming = programming_of(task.case)
    if programming is None:
        raise ProcedureError(_("El expediente no tiene una programación de metas vinculada a un POA."))
    return programming


def annex_programming(task: CaseTask) -> Programming:
    """The programming of step 4 with a finished forecast run, whose annex the step can take."""
    programming = _step_programming(task, ANNEX_STEP)
    if programming.run is None:
        raise ProcedureError(_("Elija primero la corrida de pronósticos del expediente (paso 2)."))
    if programming.run.status != RunStatus.DONE:
        raise ProcedureError(_("La corrida de pronósticos n.º %(run)s no ha terminado.") % {"run": programming.run.pk})
    return programming


def generate_annex(task: CaseTask, *, actor: Person, progress: Progress | None = None) -> Document:
    """Build the annex of the proposal (outside any transaction: a national one takes a minute) and attach it to
    the «Oficio» slot of step 4, replacing an earlier annex of this run of the step (never the oficio)."""
    programming = annex_programming(task)
    run = programming.run
    assert run is not None
    content = annex.build_pdf(programming, progress=progress)
    title = _("Anexo: propuesta de metas físicas %(year)s (corrida n.º %(run)s)") % {
        "year": run.target_year,
        "run": run.pk,
    }
    files = [(content, f"anexo-propuesta-{programming.plan.code}-corrida-{run.pk}.pdf", title)]
    with transaction.atomic():
        [document] = attachments.attach_generated(task, slot=OFICIO_SLOT, files=files, actor=actor, kind=ANNEX_KIND)
    return document


def slot_documents(task: CaseTask) -> tuple[list[StepDocument], list[StepDocument]]:
    """The annexes and the oficios (issued or uploaded) attached to the «Oficio» slot of a step 4."""
    links = list(StepDocument.objects.filter(task=task, slot=OFICIO_SLOT).select_related("document"))
    annexes = [
        link
        for link in links
        if link.document.origin == Origin.GENERATED and not link.document.number and link.document.kind == ANNEX_KIND
    ]
    return annexes, [link for link in links if link not in annexes]


def require_annex_and_oficio(task: CaseTask) -> None:
    if programming_of(task.case) is None:
        return  # a P5 case without a programming (started before Planea held it) has only its documents
    annexes, oficios = slot_documents(task)
    missing = []
    if not annexes:
        missing.append(_("el anexo de la propuesta («Generar anexo de la propuesta»)"))
    if not oficios:
        missing.append(_("el oficio que lo traslada (emítalo en Planea o cargue el firmado)"))
    if missing:
        raise ProcedureError(
            _("Para completar el paso 4 falta %(missing)s.") % {"missing": _(" y ").join(str(m) for m in missing)}
        )


def siges_programming(task: CaseTask) -> Programming:
    programming = _step_programming(task, SIGES_STEP)
    if not programming.plan.goals.exists():
        raise ProcedureError(_("El %(plan)s no tiene metas físicas todavía.") % {"plan": programming.plan.code})
    return programming


def generate_siges(task: CaseTask, *, actor: Person, progress: Progress | None = None) -> list[Document]:
    """Build the SIGES report (XLSX and PDF) of the POA and attach both to the «Reporte» slot of step 8."""
    programming = siges_programming(task)
    plan = programming.plan
    report = progress or no_progress
    report(0, 2, _("Generando el reporte para SIGES en %(format)s…") % {"format": "Excel"})
    workbook = siges.build_xlsx(plan)
    report(1, 2, _("Generando el reporte para SIGES en %(format)s…") % {"format": "PDF"})
    pdf = siges.build_pdf(plan, case_number=task.case.number)
    stamp = f"{plan.code}-v{task.iteration}"
    title = _("Reporte para SIGES: metas físicas de %(plan)s") % {"plan": plan.code}
    files = [
        (workbook, f"reporte-siges-{stamp}.xlsx", f"{title} (Excel)"),
        (pdf, f"reporte-siges-{stamp}.pdf", f"{title} (PDF)"),
    ]
    with transaction.atomic():
        return attachments.attach_generated(task, slot=REPORT_SLOT, files=files, actor=actor)


def siges_documents(programming: Programming) -> list[StepDocument]:
    """The SIGES reports Planea generated at step 8 of the case, from its latest run of the step."""
    links = StepDocument.objects.filter(
        task__case_id=programming.case_id,
        task__number=SIGES_STEP,
        slot=REPORT_SLOT,
        document__origin=Origin.GENERATED,
    ).select_related("document", "task")
    latest = max((link.task.iteration for link in links), default=None)
    return [link for link in links if link.task.iteration == latest]


def _ready(case: Case, number: str) -> CaseTask | None:
    return case.tasks.filter(number=number, status=TaskStatus.READY).first()


@register
def proposal_links(case: Case, user: Any) -> list[Link]:
    """On a P5 case with a programming: the money page, the goal grid (at step 6) and the SIGES page (at step 8,
    with its action). Step 4's annex is generated from the step's own panel (proposal_check)."""
    programming = programming_of(case)
    if programming is None:
        return []
    links = []
    if programming.run is not None:
        links.append(Link(_("Propuesta contra metas financieras"), reverse("proposal:money", args=[programming.pk])))
    step6 = _ready(case, GRID_STEP)
    if step6 is not None:
        links.append(
            Link(
                _("Metas físicas de %(plan)s con el pronóstico") % {"plan": programming.plan.code},
                reverse("operations:grid", args=[programming.plan_id]),
            )
        )
    step8 = _ready(case, SIGES_STEP)
    action = {}
    if step8 is not None and can_work_on(user, step8):
        action = {
            "action_label": _("Generar el reporte para SIGES (Excel y PDF)"),
            "action_url": reverse("proposal:generate_siges", args=[step8.pk]),
        }
    if step8 is not None or siges_documents(programming):
        links.append(Link(_("Reporte para SIGES"), reverse("proposal:siges", args=[programming.pk]), **action))
    return links


@step_checks.register
def proposal_check(task: CaseTask, user: Any) -> step_checks.StepCheck | None:
    """What steps 4, 5 and 8 of a P5 case show before they are completed (step 6's panel is p5_case.py's)."""
    if task.number not in (ANNEX_STEP, MONEY_STEP, SIGES_STEP) or task.status != TaskStatus.READY:
        return None
    programming = programming_of(task.case)
    if programming is None:
        return None
    context: dict[str, Any] = {"step": task.number, "programming": programming, "can_work": can_work_on(user, task)}
    if task.number == ANNEX_STEP:
        annexes, oficios = slot_documents(task)
        context |= {"annexes": annexes, "oficios": oficios}
    elif task.number == MONEY_STEP and programming.run is not None:
        context["money"] = money.money_report(programming)
    elif task.number == SIGES_STEP:
        context["reports"] = siges_documents(programming)
    return step_checks.StepCheck("forecasting/proposal/_step_check.html", context)


@receiver(step_completed, sender=Case)
def follow_p5_documents(
    sender: type[Case], case: Case, task: CaseTask, target: str, outcome: Outcome, actor: Person, **kwargs: Any
) -> None:
    if case.definition.key != P5.key:
        return
    if task.number == ANNEX_STEP and outcome != Outcome.RETURNED:
        require_annex_and_oficio(task)
