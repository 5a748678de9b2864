"""The P6 case of a month on the case page: what it works on (the month's execution page), what each pending step
shows (step checks) and what completing a step does (the `step_completed` receiver), in the step's transaction — a
refusal undoes the step:

- step 1 asks Estadística for the month's statistics (its inbox; procedures' step_requests);
- step 2 goes on only when the month's statistics of the POA's subproducts are loaded, and pre-fills the month
  from them (prefill.py; values a person typed or imported are kept);
- step 3 shows the analysis: lines beyond the tolerance and the causes still to write;
- step 4 registers the month, step 5 authorizes it, step 6 approves and locks it (months.py); the approval starts
  the job that makes the comprobantes (comprobantes.py);
- step 8 goes on when the comprobantes are made, and attaches them to step 9's oficio;
- step 9 needs the oficio of notification (to the Dirección General, the Subdirección Financiera and Auditoría
  Interna, its «c.c.»), drafted with the comprobantes it carries; step 10 archives the case."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.documents.models import Document
from planea.jobs.services import open_jobs
from planea.org.models import Person
from planea.procedures import attachments, links, oficio_drafts, step_checks, step_requests
from planea.procedures.errors import ProcedureError
from planea.procedures.manual import P6
from planea.procedures.models import Case, CaseTask, StepDocument, TaskStatus
from planea.procedures.people import can_work_on
from planea.procedures.signals import Outcome, step_completed

from . import comprobantes, months, prefill, returned
from .analysis import month_lines, tolerance
from .executed import ExecutionError
from .models import ApprovedRevision, Comprobante, ExecutionMonth
from .month_case import month_name
from .tasks import schedule_comprobantes

REQUEST, RECEIVE, ANALYSIS, REGISTER, AUTHORIZE, APPROVE, FORWARD, PRINT, NOTIFY, ARCHIVE = (
    str(number) for number in range(1, 11)
)
OFICIO_SLOT = "Oficio"
STATISTICS_REQUEST = P6.step(REQUEST).asks[0].key


def month_of(case: Case) -> ExecutionMonth | None:
    """The execution month the P6 case works on (None for a case not linked to one)."""
    if case.definition.key != P6.key:
        return None
    return ExecutionMonth.objects.select_related("plan").filter(case=case).first()


def month_url(month: ExecutionMonth) -> str:
    return reverse("execution:month", args=[month.pk])


@links.register
def execution_links(case: Case, user: Any) -> list[links.Link]:
    month = month_of(case)
    if month is None:
        return []
    return [
        links.Link(
            _("Ejecución de %(month)s del %(plan)s") % {"month": month_name(month), "plan": month.plan.code},
            month_url(month),
            _("%(status)s · revisión %(rev)s") % {"status": month.get_status_display(), "rev": month.revision},
        ),
        links.Link(_("Tablero de ejecución física"), reverse("execution:dashboard") + f"?poa={month.plan_id}"),
    ]


def comprobante_documents(month: ExecutionMonth) -> list[Document]:
    return [c.document for c in comprobantes.comprobantes_of(comprobantes.standing_revision(month))]


@step_checks.register
def execution_check(task: CaseTask, user: Any) -> step_checks.StepCheck | None:
    if task.status != TaskStatus.READY:
        return None
    month = month_of(task.case)
    if month is None:
        return None
    context: dict[str, Any] = {
        "step": task.number,
        "month": month,
        "month_label": month_name(month),
        "month_url": month_url(month),
        "works": can_work_on(user, task),
        "tolerance": tolerance(),
    }
    waits = {step: status for status, (step, _role) in returned.AGAIN.items()}  # the status each deciding step takes
    if task.number in waits and month.status != waits[task.number]:
        context["returned"] = returned.last_return(month)  # sent back or reopened: the month is decided on its page
    if task.number == RECEIVE:
        found, _batch = prefill.statistics_of(month.plan, month.month)
        context |= {
            "statistics_lines": len(found),
            "request": step_requests.last_request(task.case, REQUEST, STATISTICS_REQUEST),
        }
    elif task.number in (ANALYSIS, REGISTER, AUTHORIZE):
        lines = month_lines(month.plan, month.month)
        context |= {
            "lines": len(lines),
            "missing": sum(1 for f in lines.values() if f.executed is None),
            "beyond": sum(1 for f in lines.values() if f.beyond(tolerance())),
            "needing_cause": len(months.needing_cause(month, lines)),
        }
    elif task.number == APPROVE:
        context["previous"] = months.previous_unapproved(month)
    elif task.number == FORWARD:
        context["revision"] = comprobantes.standing_revision(month)
    elif task.number in (PRINT, NOTIFY, ARCHIVE):
        revision = comprobantes.standing_revision(month)
        context |= {
            "revision": revision,
            "comprobantes": comprobantes.comprobantes_of(revision),
            "complete": revision is not None and comprobantes.complete(revision),
            "job": open_jobs().filter(kind="p6_comprobantes", next_url=month_url(month)).first(),
        }
    else:
        return None
    return step_checks.StepCheck("execution/_step_check.html", context)


@oficio_drafts.register
def notification_draft(task: CaseTask, slot: str) -> dict[str, str] | None:
    """Step 9's oficio of notification, drafted with the comprobantes it carries."""
    if task.number != NOTIFY or slot != OFICIO_SLOT:
        return None
    month = month_of(task.case)
    if month is None:
        return None
    revision = comprobantes.standing_revision(month)
    numbers = [c.number for c in comprobantes.comprobantes_of(revision)]
    subject = _("Notificación de la ejecución de metas físicas de %(month)s, %(plan)s") % {
        "month": month_name(month),
        "plan": month.plan.code,
    }
    body = _(
        "Por este medio notifico que la ejecución de metas físicas de %(month)s del %(plan)s fue registrada, "
        "autorizada y aprobada en los sistemas de los entes rectores."
    ) % {"month": month_name(month), "plan": month.plan.code}
    if revision is not None and numbers:
        body += "\n\n" + _(
            "Adjunto los comprobantes de ejecución %(numbers)s (revisión %(rev)s; SHA-256 de las cifras aprobadas "
            "%(sha)s), que pueden verificarse en Planea con su número."
        ) % {"numbers": ", ".join(numbers), "rev": revision.revision, "sha": revision.sha256}
    return {
        "addressee": _("Dirección General"),
        "addressee_position": _("Instituto Guatemalteco de Migración"),
        "subject": subject,
        "body": body,
    }


def _refused(error: ExecutionError) -> ProcedureError:
    return ProcedureError(str(error))


def require_statistics(month: ExecutionMonth) -> None:
    found, _batch = prefill.statistics_of(month.plan, month.month)
    if not found:
        raise ExecutionError(
            _(
                "Estadística no ha cargado las estadísticas de %(month)s de los subproductos del %(plan)s: el paso 2 "
                "sigue cuando estén cargadas."
            )
            % {"month": month_name(month), "plan": month.plan.code}
        )


def require_approved(month: ExecutionMonth) -> ApprovedRevision:
    revision = comprobantes.standing_revision(month)
    if revision is None:
        raise ExecutionError(
            _(
                "%(month)s no está aprobado (se reabrió, o aún no se aprueba): este paso sigue cuando se apruebe y "
                "tenga sus comprobantes."
            )
            % {"month": months.label(month)}
        )
    return revision


def require_comprobantes(month: ExecutionMonth) -> list[Document]:
    revision = require_approved(month)
    if not comprobantes.complete(revision):
        raise ExecutionError(
            _("Los comprobantes de ejecución todavía se están generando; el paso sigue cuando estén listos.")
        )
    return comprobante_documents(month)


def require_oficio(task: CaseTask, month: ExecutionMonth) -> None:
    """An oficio in step 9's slot besides the comprobantes (of any revision of the month) that go with it."""
    carried = Comprobante.objects.filter(revision__execution_month=month).values_list("document_id", flat=True)
    oficios = StepDocument.objects.filter(task=task, slot=OFICIO_SLOT).exclude(document_id__in=carried)
    if not oficios.exists():
        raise ExecutionError(
            _("Falta el oficio de notificación: emítalo en Planea o cargue el firmado; los comprobantes van con él.")
        )


@receiver(step_completed, sender=Case)
def follow_p6(
    sender: type[Case], case: Case, task: CaseTask, target: str, outcome: Outcome, actor: Person, **kwargs: Any
) -> None:
    if outcome == Outcome.RETURNED:
        return
    month = month_of(case)
    if month is None:
        return
    try:
        if task.number == RECEIVE:
            require_statistics(month)
            prefill.prefill(month.plan, month.month, actor=actor)
        elif task.number == REGISTER:
            months.register(month, actor=actor)
        elif task.number == AUTHORIZE:
            months.authorize(month, actor=actor)
        elif task.number == APPROVE:
            schedule_comprobantes(months.approve(month, actor=actor), actor=actor)
        elif task.number == FORWARD:  # the approved registration goes on to the profesional: not a reopened one
            require_approved(month)
        elif task.number == PRINT:
            documents = require_comprobantes(month)
            notify = case.tasks.filter(number=NOTIFY, status=TaskStatus.READY).first()
            if notify is not None:
                attachments.attach_existing(notify, slot=OFICIO_SLOT, documents=documents, actor=actor)
        elif task.number == NOTIFY:  # the month approved (not reopened since step 8), the oficio, its comprobantes
            documents = require_comprobantes(month)
            require_oficio(task, month)
            attachments.attach_existing(task, slot=OFICIO_SLOT, documents=documents, actor=actor)
        elif task.number == ARCHIVE:
            require_comprobantes(month)
    except ExecutionError as error:
        raise _refused(error) from error
