from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core import params
from planea.core.errors import add_model_errors, error_text
from planea.procedures.errors import ProcedureError

from . import case_link, services
from .compare import compare
from .forms import CONTENT_FORMS, IndicatorForm, PlanForm, ReasonForm
from .models import IndicatorTarget, PlanStatus, ResultLevel, StrategicPlan


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = StrategicPlan.objects.select_related("case", "based_on").order_by("-start_year", "code", "-version")
    return render(request, "strategy/plan_list.html", {"plans": plans})


def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
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


def _chain(plan: StrategicPlan) -> list[dict[str, Any]]:
    """The results chain as a tree (strategic → institutional → intermediate → immediate) with indicators and
    products under each result."""
    results = list(plan.results.select_related("parent"))
    indicators = list(plan.indicators.select_related("responsible_unit").prefetch_related("targets").order_by("code"))
    products = list(
        plan.products.select_related("unit").prefetch_related(
            "responsible_units", "subproducts__unit", "subproducts__cost_centers", "subproducts__responsible_units"
        )
    )
    children: dict[int | None, list[Any]] = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)

    def node(result: Any, depth: int) -> dict[str, Any]:
        return {
            "result": result,
            "depth": depth,
            "indicators": [i for i in indicators if i.result_id == result.pk],
            "products": [p for p in products if p.result_id == result.pk],
            "children": [node(c, depth + 1) for c in sorted(children.get(result.pk, []), key=lambda r: r.code)],
        }

    return [node(r, 0) for r in sorted(children.get(None, []), key=lambda r: r.code)]


def _flatten(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(n["children"]))
    return out


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan.objects.select_related("case", "based_on", "created_by"), pk=pk)
    siblings = StrategicPlan.objects.filter(code=plan.code).order_by("-version")
    latest = siblings.first()
    context = {
        "plan": plan,
        "chain": _flatten(_chain(plan)),
        "siblings": siblings,
        "can_modify": plan.is_approved and latest == plan,
        "principles": [p for p in plan.principles.splitlines() if p.strip()],
        "reason_form": ReasonForm(),
        "levels": ResultLevel,
        "years": plan.years,
        "frames": [
            (name, StrategicPlan._meta.get_field(name).verbose_name.capitalize(), getattr(plan, name))
            for name in StrategicPlan.RICH_TEXT_FIELDS
        ],
    }
    return render(request, "strategy/plan_detail.html", context)


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    if not plan.is_editable:
        messages.error(request, _("%(plan)s no está en borrador; no se edita.") % {"plan": plan})
        return redirect("strategy:detail", plan.pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            services.update_plan(plan, actor=request.user, data=data)
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


def item_edit(request: HttpRequest, pk: int, kind: str, item_pk: int | None = None) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    if kind not in CONTENT_FORMS:
        raise Http404
    form_class, label = CONTENT_FORMS[kind]
    model = form_class._meta.model
    instance = get_object_or_404(model, pk=item_pk, plan=plan) if item_pk else model(plan=plan)
    if not plan.is_editable:
        messages.error(request, _("%(plan)s no está en borrador; no se edita.") % {"plan": plan})
        return redirect("strategy:detail", plan.pk)
    form = form_class(request.POST or None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                obj = form.save(commit=False)
                m2m = {f.name: form.cleaned_data[f.name] for f in model._meta.many_to_many if f.name in form.fields}
                services.save_content(obj, actor=request.user, m2m=m2m)
                if isinstance(form, IndicatorForm):
                    _save_targets(obj, form, request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect(f"{reverse('strategy:detail', args=[plan.pk])}#{kind}-{obj.pk}")
    title = (
        (_("Editar %(what)s %(code)s") % {"what": label, "code": instance.code})
        if item_pk
        else (_("Nuevo %(what)s") % {"what": label})
    )
    return render(
        request,
        "strategy/item_form.html",
        {"form": form, "plan": plan, "title": title, "kind": kind, "item": instance if item_pk else None},
        status=400 if form.errors else 200,
    )


def _save_targets(indicator: Any, form: IndicatorForm, actor: Any) -> None:
    stored = {t.year: t for t in indicator.targets.all()}
    for year, value in form.targets().items():
        target = stored.get(year)
        if value is None:
            if target is not None:
                services.delete_content(target, actor=actor)
        elif target is None:
            services.save_content(IndicatorTarget(indicator=indicator, year=year, value=value), actor=actor)
        elif target.value != value:
            target.value = value
            services.save_content(target, actor=actor)


@require_POST
def item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    if kind not in CONTENT_FORMS:
        raise Http404
    model = CONTENT_FORMS[kind][0]._meta.model
    instance = get_object_or_404(model, pk=item_pk, plan=plan)
    try:
        services.delete_content(instance, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("«%(item)s» eliminado.") % {"item": instance})
    return redirect("strategy:detail", plan.pk)


@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Escriba el motivo de la modificación."))
        return redirect("strategy:detail", plan.pk)
    try:
        copy = services.new_version(plan, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("strategy:detail", plan.pk)
    messages.success(request, _("Se creó %(plan)s en borrador, copia de la versión aprobada.") % {"plan": copy})
    return redirect("strategy:detail", copy.pk)


@require_POST
def start_case(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    try:
        case = case_link.start_case(plan, actor=request.user)
    except (ValidationError, ProcedureError) as error:
        messages.error(request, error_text(error))
        return redirect("strategy:detail", plan.pk)
    messages.success(request, _("Expediente %(case)s iniciado para %(plan)s.") % {"case": case.number, "plan": plan})
    return redirect("procedures:case", case.pk)


def plan_compare(request: HttpRequest) -> HttpResponse:
    plans = StrategicPlan.objects.order_by("code", "version")
    left = plans.filter(pk=params.integer(request.GET, "a") or 0).first()
    right = plans.filter(pk=params.integer(request.GET, "b") or 0).first()
    if right is not None and left is None and right.based_on_id:
        left = right.based_on
    sections = compare(left, right) if left and right else []
    only_changes = request.GET.get("todo") != "1"
    return render(
        request,
        "strategy/compare.html",
        {
            "plans": plans,
            "left": left,
            "right": right,
            "sections": sections,
            "only_changes": only_changes,
            "total_changes": sum(s.changes for s in sections),
            "statuses": PlanStatus,
        },
    )
