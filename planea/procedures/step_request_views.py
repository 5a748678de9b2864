"""The page of a request a step sent to a role (`step_requests.py`): what is asked, for which case and by when,
its answer, and the form to answer it for who holds the role."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from planea.core.errors import error_text
from planea.documents.responses import document_response
from planea.org.access import SignedInRequest, is_allowed

from . import step_requests
from .concerns import owns_case, require_case, require_own_case
from .errors import ProcedureError
from .forms import StepRequestAnswerForm
from .models import StepRequest


def _visible_request(request: SignedInRequest, pk: int) -> StepRequest:
    found = get_object_or_404(
        StepRequest.objects.select_related("task__case__definition", "task__case__org_unit", "answered_by", "document"),
        pk=pk,
    )
    require_case(request, found.task.case)
    return found


def step_request(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _visible_request(request, pk)
    may_answer = step_requests.can_answer(found, request.user)
    form = StepRequestAnswerForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                step_requests.answer(
                    found, actor=request.user, note=form.cleaned_data["answer"], upload=form.cleaned_data["file"]
                )
            except ProcedureError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Respuesta enviada a quien la pidió."))
                return redirect("procedures:step_request", pk=found.pk)
        status = 400
    case = found.task.case
    may_open_case = is_allowed(request.user, "procedures:case")  # the request's case is visible, or 403 above
    return render(
        request,
        "procedures/step_request.html",
        {
            "r": found,
            "case": case,
            "form": form,
            "may_answer": may_answer,
            "may_open_case": may_open_case,
            "owns_case": owns_case(request, case),
            "aids": step_requests.aids_for(found, request.user),
        },
        status=status,
    )


def step_request_document(request: SignedInRequest, pk: int) -> FileResponse:
    found = _visible_request(request, pk)
    require_own_case(request, found.task.case)
    if found.document is None:
        raise Http404
    return document_response(request, found.document)
