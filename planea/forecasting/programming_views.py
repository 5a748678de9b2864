"""The pages of the P5 programming: starting a case for a draft POA, the step actions posted from the case page
(linking a POA, choosing or starting a forecast run) and the step 3 comparison with its tolerance and export. Views
parse, authorize and render; programming.py and comparison.py do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core.errors import error_text, form_error_text
from planea.jobs.services import JobLimitReached
from planea.org.access import SignedInRequest, require_unit
from planea.procedures.errors import ProcedureError
from planea.procedures.models import Case, CaseStatus
from planea.spreadsheets.responses import xlsx_download

from . import comparison, programming
from .models import Programming
from .programming_forms import ChooseRunForm, LinkPlanForm, StartProgrammingForm, ToleranceForm
from .runs import ForecastingError


def _case_page(case: Case, step: str = "") -> HttpResponse:
    return redirect(reverse("procedures:case", args=[case.pk]) + (f"#paso-{step}" if step else ""))


def start(request: SignedInRequest) -> HttpResponse:
    """The list of P5 programmings and the form that starts one for a draft POA."""
    form = StartProgrammingForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            started = programming.start(form.cleaned_data["plan"], actor=request.user)
        except programming.ProgrammingError as error:
            form.add_error("plan", error_text(error))
            existing = error.case
        except ProcedureError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Expediente %(case)s iniciado para programar las metas físicas del %(plan)s.")
                % {"case": started.case.number, "plan": started.plan.code},
            )
            return _case_page(started.case)
    listed = Programming.objects.select_related("case", "plan", "run").order_by("-created_at")
    return render(
        request,
        "forecasting/programming/start.html",
        {
            "form": form,
            "existing": existing,
            "programmings": listed,
            "open": CaseStatus.OPEN,
            "can_start": programming.STARTER_ROLE in request.user.role_slugs(),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def link(request: SignedInRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("definition", "org_unit"), pk=case_pk)
    require_unit(request, case.org_unit_id)
    form = LinkPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _case_page(case)
    try:
        linked = programming.link(case, form.cleaned_data["plan"], actor=request.user)
    except ProcedureError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(plan)s vinculado al expediente.") % {"plan": linked.plan.code})
    return _case_page(case)


def _programming(request: SignedInRequest, pk: int) -> Programming:
    found = get_object_or_404(
        Programming.objects.select_related("case__definition", "case__org_unit", "plan__multiannual", "run"), pk=pk
    )
    require_unit(request, found.case.org_unit_id)
    return found


@require_POST
def choose_run(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _programming(request, pk)
    form = ChooseRunForm(request.POST, programming=found)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _case_page(found.case)
    try:
        programming.choose_run(found, form.cleaned_data["run"], actor=request.user)
    except ProcedureError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Corrida %(run)s elegida para el expediente.") % {"run": form.cleaned_data["run"].pk}
        )
    return _case_page(found.case)


@require_POST
def start_forecast(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _programming(request, pk)
    try:
        run = programming.start_forecast(found, actor=request.user)
    except (ProcedureError, ForecastingError, JobLimitReached) as error:
        messages.error(request, error_text(error))
        return _case_page(found.case)
    messages.success(
        request,
        _("Corrida %(run)s de pronósticos %(year)s iniciada; al terminar, elíjala en el paso 2.")
        % {"run": run.pk, "year": run.target_year},
    )
    if run.job_id is not None:
        return redirect("jobs:detail", run.job_id)
    return _case_page(found.case)


def _comparison_page(
    request: SignedInRequest, found: Programming, form: ToleranceForm | None = None, status: int = 200
) -> HttpResponse:
    table = comparison.comparison(found)
    context: dict[str, Any] = {
        "programming": found,
        "table": table,
        "flag_labels": comparison.FLAG_LABELS,
        "flagged": len(table.flagged_lines()),
        "unmatched": sum(
            1 for line in table.lines if line.flagged in (comparison.Flag.NO_GOAL, comparison.Flag.NO_FORECAST)
        ),
        "tolerance_form": form
        or (
            ToleranceForm(initial={"tolerance": found.tolerance})
            if programming.may_set_tolerance(found, request.user)
            else None
        ),
    }
    return render(request, "forecasting/programming/comparison.html", context, status=status)


def comparison_page(request: SignedInRequest, pk: int) -> HttpResponse:
    return _comparison_page(request, _programming(request, pk))


@require_POST
def tolerance(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _programming(request, pk)
    form = ToleranceForm(request.POST)
    if form.is_valid():
        try:
            programming.set_tolerance(found, form.cleaned_data["tolerance"], actor=request.user)
        except ProcedureError as error:
            form.add_error("tolerance", error_text(error))
        else:
            messages.success(request, _("Tolerancia guardada."))
            return redirect("programming:comparison", found.pk)
    return _comparison_page(request, found, form, status=400)


def comparison_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    found = _programming(request, pk)
    data = comparison.to_xlsx(comparison.comparison(found))
    return xlsx_download(data, f"comparacion-{found.plan.code}-{found.case.number}.xlsx")
