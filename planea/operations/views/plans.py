"""The plans: the list with the form that creates one, a plan's page with its totals (by subproduct and, folded,
by cost center), and the start of its P2 case."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from planea.core.errors import add_model_errors, error_text
from planea.org.access import SignedInRequest
from planea.procedures.errors import ProcedureError

from .. import case_link, grid, plan_rows, plans, starting_goals, totals, visibility
from ..forms import PlanCreateForm
from ..models import OperationalPlan, PlanKind, ReprogrammingStatus
from .plan_files import template_areas


def plan_list(request: SignedInRequest, form: PlanCreateForm | None = None) -> HttpResponse:
    listed = OperationalPlan.objects.select_related("strategic_plan", "multiannual", "case")
    return render(
        request,
        "operations/plan_list.html",
        {"plans": listed, "form": form or PlanCreateForm()},
        status=400 if form is not None else 200,
    )


@require_POST
def plan_create(request: SignedInRequest) -> HttpResponse:
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        start = data.pop("start")
        try:
            if data["kind"] == PlanKind.ANNUAL:
                del data["kind"], data["end_year"]
                plan, written = starting_goals.create_poa(actor=request.user, start=start, **data)
            else:
                plan, written = plans.create_plan(actor=request.user, **data), 0
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            created = _("%(plan)s creado en borrador.") % {"plan": plan.code}
            if written:
                created += " " + ngettext(
                    "Empieza con %(n)s meta mensual; revísela antes de enviarlo a las áreas.",
                    "Empieza con %(n)s metas mensuales; revíselas antes de enviarlo a las áreas.",
                    written,
                ) % {"n": f"{written:,}"}
            messages.success(request, created)
            return redirect("operations:detail", plan.pk)
    return plan_list(request, form)


class TotalsView(NamedTuple):
    """What both pages of a plan's totals start from: the plan, the measure asked for (?medida=programada or
    vigente), the filter of the cost centers the person may read, and the context they share."""

    plan: OperationalPlan
    attr: str
    centers: set[int] | None  # the cost centers the person may read, None for all
    context: dict[str, Any]


def _totals_view(request: SignedInRequest, plan: OperationalPlan) -> TotalsView:
    attr = "planned" if request.GET.get("medida") == "programada" else "current"
    centers = visibility.readable_goal_centers(request, plan)
    context = {
        "plan": plan,
        "attr": attr,
        "columns": grid.build_headers(plan),
        "area_only": centers is not None,
    }
    return TotalsView(plan, attr, centers, context)


def _by_unit(plan: OperationalPlan, lines: list[totals.Line]) -> list[totals.UnitGroup]:
    """A plan's totals table by unit of measure, a total per unit (never a total across units)."""
    return totals.by_unit(plan, lines, _("Total (%(unit)s)"))


def plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    view = _totals_view(request, plan)
    lines = totals.by_subproduct(plan, view.attr, view.centers)
    context = {
        **view.context,
        "groups": _by_unit(plan, lines),
        "comparison": totals.poa_against_pom(plan, view.attr, view.centers) if plan.is_annual else [],
        "pending": visibility.readable_reprogrammings(request, plan)
        .filter(status=ReprogrammingStatus.REQUESTED)
        .count()
        if plan.is_approved  # only an approved plan is reprogrammed
        else 0,
        "areas": template_areas(request),
        "frozen": case_link.anteproyecto_documents(plan) if plan.is_annual and view.centers is None else [],
        "centers_url": reverse("operations:detail_centers", args=[plan.pk])
        + ("?medida=programada" if view.attr == "planned" else ""),
    }
    return render(request, "operations/plan_detail.html", context)


def plan_centers(request: SignedInRequest, pk: int) -> HttpResponse:
    """The plan's totals by cost center: the folded section of the plan page, read when it is opened (a page of
    its own without JavaScript)."""
    plan = plan_rows.plan_page(pk)
    view = _totals_view(request, plan)
    lines = totals.by_cost_center(plan, view.attr, view.centers)
    context = {**view.context, "groups": _by_unit(plan, lines)}
    template = "operations/_plan_centers.html" if request.htmx else "operations/plan_centers.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # one address, a fragment or a whole page
    return response


@require_POST
def start_case(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    try:
        case = case_link.start_case(plan, actor=request.user)
    except (ValidationError, ProcedureError) as error:
        messages.error(request, error_text(error))
        return redirect("operations:detail", plan.pk)
    messages.success(request, _("Expediente %(case)s iniciado.") % {"case": case.number})
    return redirect("procedures:case", case.pk)
