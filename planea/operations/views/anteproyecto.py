"""The anteproyectos: generated at step 9 of the P2 case (by the task worker for a national plan), previewed as
PDF or Excel from the plan as it stands, and the approved ones read by the areas."""

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
        # Refused before the plan is read or its documents built (they take seconds), not after.
        require_workable(task, request.user)
        poa = case_link.generation_plan(task)
        if case_link.is_large(poa):
            return started(
                request,
                task=tasks.generate_anteproyectos_job,
                kind="anteproyectos",
                title=_("Anteproyectos de %(plan)s") % {"plan": poa.code},
                actor=request.user,
                next_url=reverse("procedures:case", args=[task.case_id]),
                task_pk=task.pk,
            )
        documents = case_link.generate_anteproyectos(task, actor=request.user)
    except (ValidationError, ProcedureError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Anteproyectos generados y agregados al paso: %(docs)s.")
            % {"docs": ", ".join(d.title for d in documents)},
        )
    return redirect("procedures:case", task.case_id)


def anteproyecto_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk, kind=PlanKind.ANNUAL)
    return xlsx_download(anteproyecto.build_xlsx(plan), f"anteproyecto-{plan.code}.xlsx")


def anteproyecto_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk, kind=PlanKind.ANNUAL)
    if case_link.is_large(plan):
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
    response = HttpResponse(anteproyecto.build_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="anteproyecto-{plan.code}.pdf"'
    return response


def anteproyecto_document(request: SignedInRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """An anteproyecto the P2 case produced for this plan: the areas read it here, without access to the case."""
    plan = get_object_or_404(OperationalPlan, pk=pk)
    link = next((d for d in case_link.anteproyecto_documents(plan) if d.document_id == document_pk), None)
    if link is None or visibility.readable_goal_centers(request, plan) is not None:
        raise Http404
    return document_response(request, link.document)
