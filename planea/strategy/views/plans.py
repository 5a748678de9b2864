"""The PEI versions: the list, a new PEI, a version's page with its results chain, its header and frames, and the
start of the P1 case that carries a draft to approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core.errors import add_model_errors, error_text
from planea.core.rows import concrete_field
from planea.org.access import SignedInRequest
from planea.procedures.errors import ProcedureError
from planea.procedures.sharing import require_shared

from .. import case_link, plans, results_chain
from ..forms import PlanForm, ReasonForm
from ..models import ResultLevel, StrategicPlan


def plan_list(request: SignedInRequest) -> HttpResponse:
    versions = StrategicPlan.objects.select_related("case", "based_on").order_by("-start_year", "code", "-version")
    return render(request, "strategy/plan_list.html", {"plans": versions})


def plan_create(request: SignedInRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("%(plan)s creado en borrador.") % {"plan": plan})
            return redirect("strategy:detail", plan.pk)
    return render(
        request,
        "strategy/plan_form.html",
        {"form": form, "title": _("Nuevo Plan Estratégico Institucional")},
        status=400 if form.errors else 200,
    )


def plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan.objects.select_related("case", "based_on", "created_by"), pk=pk)
    require_shared(request.user, plan.case_id)  # SEGEPLAN reads the version its P1 case sent it
    siblings = StrategicPlan.objects.filter(code=plan.code).order_by("-version")
    latest = siblings.first()
    context = {
        "plan": plan,
        "chain": results_chain.chain(plan),
        "siblings": siblings,
        "can_modify": plan.is_approved and latest == plan,
        "principles": [p for p in plan.principles.splitlines() if p.strip()],
        "reason_form": ReasonForm(),
        "levels": ResultLevel,
        "years": plan.years,
        "frames": [
            (name, str(concrete_field(StrategicPlan, name).verbose_name).capitalize(), getattr(plan, name))
            for name in StrategicPlan.RICH_TEXT_FIELDS
        ],
    }
    return render(request, "strategy/plan_detail.html", context)


def plan_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    if not plan.is_editable:
        messages.error(request, _("%(plan)s no está en borrador; no se edita.") % {"plan": plan})
        return redirect("strategy:detail", plan.pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            plans.update_plan(plan, actor=request.user, data=data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("strategy:detail", plan.pk)
    return render(
        request,
        "strategy/plan_form.html",
        {"form": form, "plan": plan, "title": _("Editar %(plan)s") % {"plan": plan}},
        status=400 if form.errors else 200,
    )


@require_POST
def start_case(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    try:
        case = case_link.start_case(plan, actor=request.user)
    except (ValidationError, ProcedureError) as error:
        messages.error(request, error_text(error))
        return redirect("strategy:detail", plan.pk)
    messages.success(request, _("Expediente %(case)s iniciado para %(plan)s.") % {"case": case.number, "plan": plan})
    return redirect("procedures:case", case.pk)
