"""The anteproyectos: generated at step 9 of the P2 case and previewed as PDF from the plan as it stands, both by
the task worker with the job's progress bar (a PDF takes seconds, minutes for a national plan: never inside a
request); the Excel preview at once; and the approved ones read by the areas."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core.errors import error_text
from planea.documents.responses import document_response
from planea.jobs.responses import started
from planea.org.access import SignedInRequest, require_unit
from planea.procedures.errors import ProcedureError
from planea.procedures.models import CaseTask
from planea.procedures.work import require_workable
from planea.spreadsheets.responses import xlsx_download

from .. import anteproyecto, case_link, tasks, visibility
from ..models import OperationalPlan, PlanKind


@require_POST
def generate_anteproyectos(request: SignedInRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(CaseTask.objects.select_related("case__definition", "case__org_unit"), pk=task_pk)
    require_unit(request, task.case.org_unit_id)  # as every other action on a step
    try:
        # Refused before the job is started (and the plan read), not when the worker takes it.
        require_workable(task, request.user)
        poa = case_link.generation_plan(task)
    except (ValidationError, ProcedureError) as error:
        messages.error(request, error_text(error))
        return redirect("procedures:case", task.case_id)
    return started(
        request,
        task=tasks.generate_anteproyectos_job,
        kind="anteproyectos",
        title=_("Anteproyectos de %(plan)s") % {"plan": poa.code},
        actor=request.user,
        next_url=reverse("procedures:case", args=[task.case_id]),
        reuse_open=True,
        task_pk=task.pk,
    )


def anteproyecto_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk, kind=PlanKind.ANNUAL)
    return xlsx_download(anteproyecto.build_xlsx(plan), f"anteproyecto-{plan.code}.xlsx")


def anteproyecto_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """The draft PDF of the plan as it stands: a page that says it is made in the background (GET), and the job that
    makes it (POST); the person opens it from the job page."""
    plan = get_object_or_404(OperationalPlan, pk=pk, kind=PlanKind.ANNUAL)
    if request.method != "POST":
        return render(request, "operations/anteproyecto_preview.html", {"plan": plan})
    return started(
        request,
        task=tasks.anteproyecto_preview_job,
        kind="anteproyecto_preview",
        title=_("Vista previa del anteproyecto de %(plan)s") % {"plan": plan.code},
        actor=request.user,
        next_url=reverse("operations:detail", args=[plan.pk]),
        plan_id=plan.pk,
    )


def anteproyecto_document(request: SignedInRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """An anteproyecto the P2 case produced for this plan: the areas read it here, without access to the case."""
    plan = get_object_or_404(OperationalPlan, pk=pk)
    link = next((d for d in case_link.anteproyecto_documents(plan) if d.document_id == document_pk), None)
    if link is None or visibility.readable_goal_centers(request, plan) is not None:
        raise Http404
    return document_response(request, link.document)
