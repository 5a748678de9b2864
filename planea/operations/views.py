from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from planea.core import params
from planea.core.errors import add_model_errors, error_text
from planea.core.responses import bad_request
from planea.documents.responses import document_response
from planea.jobs.imports import in_background
from planea.jobs.responses import started
from planea.org.access import SignedInRequest, request_unit_scope, scope_area
from planea.org.models import OrgUnit, UnitLabel, active_units
from planea.procedures.errors import ProcedureError
from planea.procedures.models import CaseTask
from planea.procedures.work import require_workable
from planea.spreadsheets.responses import spreadsheet_import, xlsx_download
from planea.strategy.models import Product, Subproduct

from . import (
    anteproyecto,
    case_link,
    goals,
    goals_excel,
    grid,
    inputs,
    inputs_excel,
    picker,
    plan_files,
    plan_rows,
    reprogramming,
    services,
    tasks,
    totals,
    visibility,
)
from .forms import PlanCreateForm
from .models import (
    InputCatalogItem,
    InputRequirement,
    OperationalPlan,
    PlanKind,
    Reprogramming,
    ReprogrammingStatus,
)
from .picker import SubproductOption


class _UnknownArea(Exception):
    pass


def _scope_area(request: HttpRequest) -> OrgUnit | None:
    """The area whose template is asked for: a liaison's own; for the others the `area` asked, or the whole
    institution when none is (_UnknownArea for a code that names no unit: never the whole plan by mistake)."""
    if request_unit_scope(request) is not None:
        return scope_area(request)
    code = params.text(request.GET, "area")
    if not code:
        return None
    area = OrgUnit.objects.filter(code=code).first()
    if area is None:
        raise _UnknownArea(code)
    return area


def _template_areas(request: HttpRequest) -> list[UnitLabel]:
    """The areas whose template the plan page offers: every active unit, or a liaison's own (the only one they
    can download)."""
    if request_unit_scope(request) is None:
        return active_units()
    area = _scope_area(request)
    return [UnitLabel(area.code, area.name)] if area else []


def _area_download(request: HttpRequest, plan: OperationalPlan, name: str, export: Any) -> HttpResponse:
    """The plan's template `export(plan, area)` for the area asked (`_scope_area`), as «name-PLAN[-AREA].xlsx»."""
    try:
        area = _scope_area(request)
    except _UnknownArea as unknown:
        return bad_request(request, _("No hay un área con el código «%(code)s».") % {"code": str(unknown)[:60]})
    suffix = f"-{area.code}" if area else ""
    return xlsx_download(export(plan, area), f"{name}-{plan.code}{suffix}.xlsx")


def plan_list(request: HttpRequest, form: PlanCreateForm | None = None) -> HttpResponse:
    plans = OperationalPlan.objects.select_related("strategic_plan", "multiannual", "case")
    return render(
        request,
        "operations/plan_list.html",
        {"plans": plans, "form": form or PlanCreateForm()},
        status=400 if form is not None else 200,
    )


@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("%(plan)s creado en borrador.") % {"plan": plan.code})
            return redirect("operations:detail", plan.pk)
    return plan_list(request, form)


class TotalsView(NamedTuple):
    """What both pages of a plan's totals start from: the plan, the measure asked for (?medida=programada or
    vigente), the filter of the cost centers the person may read, and the context they share."""

    plan: OperationalPlan
    attr: str
    centers: set[int] | None  # the cost centers the person may read, None for all
    context: dict[str, Any]


def _totals_view(request: HttpRequest, plan: OperationalPlan) -> TotalsView:
    attr = "planned" if request.GET.get("medida") == "programada" else "current"
    centers = visibility.readable_goal_centers(request, plan)
    context = {
        "plan": plan,
        "attr": attr,
        "columns": grid.build_headers(plan),
        "area_only": centers is not None,
    }
    return TotalsView(plan, attr, centers, context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    view = _totals_view(request, plan)
    lines = totals.by_subproduct(plan, view.attr, view.centers)
    context = {
        **view.context,
        "lines": lines,
        "total": totals.total_line(plan, lines, _("Total")),
        "comparison": totals.poa_against_pom(plan, centers=view.centers) if plan.is_annual else [],
        "pending": visibility.readable_reprogrammings(request, plan)
        .filter(status=ReprogrammingStatus.REQUESTED)
        .count()
        if plan.is_approved  # only an approved plan is reprogrammed
        else 0,
        "areas": _template_areas(request),
        "frozen": case_link.anteproyecto_documents(plan) if plan.is_annual and view.centers is None else [],
        "centers_url": reverse("operations:detail_centers", args=[plan.pk])
        + ("?medida=programada" if view.attr == "planned" else ""),
    }
    return render(request, "operations/plan_detail.html", context)


def plan_centers(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's totals by cost center: the folded section of the plan page, read when it is opened (a page of
    its own without JavaScript)."""
    plan = plan_rows.plan_page(pk)
    view = _totals_view(request, plan)
    context = {**view.context, "centers": totals.by_cost_center(plan, view.attr, view.centers)}
    template = "operations/_plan_centers.html" if request.htmx else "operations/plan_centers.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # one address, a fragment or a whole page
    return response


def _chosen_subproduct(request: HttpRequest, plan: OperationalPlan) -> tuple[list[SubproductOption], Subproduct | None]:
    """The subproducts the person may open in the grid (a liaison, on a plan not yet approved, those of the
    area's cost centers) and the one asked for, or the first; on a POST, the one posted or None (posted cells
    belong to the subproduct the page showed, or to none)."""
    centers = visibility.readable_goal_centers(request, plan)
    if request.method == "POST":
        return picker.pick(plan, centers, request.POST.get("subproducto"), first_by_default=False)
    return picker.pick(plan, centers, request.GET.get("subproducto"), first_by_default=True)


def _unknown_subproduct(request: HttpRequest) -> HttpResponse:
    return bad_request(request, _("El subproducto de la cuadrícula no es de este plan o usted no puede verlo."))


def goal_grid(
    request: HttpRequest, pk: int, grid_kwargs: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    subproducts, subproduct = _chosen_subproduct(request, plan)
    if subproduct is None:
        messages.error(request, _("No hay subproductos que mostrar en este plan."))
        return redirect("operations:detail", plan.pk)
    attr = "planned" if plan.is_editable else "current"
    visible = visibility.readable_goal_centers(request, plan)
    built = grid.build(
        plan,
        subproduct,
        attr=attr,
        allowed=visibility.area_cost_centers(request),
        visible=visible,
        **(grid_kwargs or {}),
    )
    return render(
        request,
        "operations/grid.html",
        {
            "plan": plan,
            "grid": built,
            "subproducts": subproducts,
            "subproduct": subproduct,
            "editable": plan.is_editable,
            "area_only": visible is not None,
        },
        status=status,
    )


@require_POST
def goal_grid_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    _subproducts, subproduct = _chosen_subproduct(request, plan)
    if subproduct is None:
        return _unknown_subproduct(request)
    cells, errors = grid.parse(plan, request.POST)
    if errors:
        messages.error(request, _("Corrija las celdas marcadas; no se guardó nada."))
        return goal_grid(request, pk, {"posted": request.POST, "errors": errors}, 400)
    try:
        result = goals.save_grid(
            plan, subproduct, cells, actor=request.user, allowed_cost_centers=visibility.area_cost_centers(request)
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return goal_grid(request, pk, {"posted": request.POST}, 400)
    if result.conflicts:
        messages.warning(
            request,
            ngettext(
                "Otra persona guardó cambios en %(n)s celda que usted también cambió. No se guardó nada: sus "
                "valores siguen en pantalla y la celda marcada muestra el valor guardado por la otra persona. "
                "Revísela y vuelva a guardar.",
                "Otra persona guardó cambios en %(n)s celdas que usted también cambió. No se guardó nada: sus "
                "valores siguen en pantalla y cada celda marcada muestra el valor guardado por la otra persona. "
                "Revíselas y vuelva a guardar.",
                len(result.conflicts),
            )
            % {"n": len(result.conflicts)},
        )
        return goal_grid(request, pk, {"posted": request.POST, "conflicts": result.conflicts}, 409)
    messages.success(
        request,
        ngettext("%(n)s meta guardada en %(sub)s.", "%(n)s metas guardadas en %(sub)s.", result.changed)
        % {"n": result.changed, "sub": subproduct.code},
    )
    return redirect(f"{reverse('operations:grid', args=[plan.pk])}?subproducto={subproduct.pk}")


def goals_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return _area_download(request, plan, "metas", goals_excel.export_goals)


def _plan_import(
    request: HttpRequest, plan: OperationalPlan, what: str, scope: set[int] | None, *, job_title: str, next_url: str
) -> dict[str, Any]:
    """The importer of a plan's file, inside the request or, for a large file, as a job with progress."""
    return {
        "importer": lambda data, user, name: plan_files.import_plan_file(what, data, user, plan, scope, name),
        "background": in_background(
            task=tasks.import_plan_file_job,
            kind=f"{what}_import",
            title=job_title,
            actor=request.user,
            next_url=next_url,
            retry_url=request.path,
            what=what,
            plan_id=plan.pk,
            scope=sorted(scope) if scope is not None else None,
        ),
        "back_url": next_url,
    }


def goals_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return spreadsheet_import(
        request,
        **_plan_import(
            request,
            plan,
            "goals",
            visibility.area_cost_centers(request),
            job_title=_("Importación de metas físicas de %(plan)s") % {"plan": plan.code},
            next_url=reverse("operations:detail", args=[plan.pk]),
        ),
        title=_("Importar metas físicas de %(plan)s") % {"plan": plan.code},
        template_url=reverse("operations:goals_export", args=[plan.pk]),
        help_text=_(
            "Use la plantilla de Planea de este plan. Cada fila es un subproducto × centro de costo; las filas que "
            "no vengan en el archivo no cambian, y una celda de mes vacía es cero. Si una fila tiene errores no se "
            "escribe nada. Si otra persona guardó metas de una fila después de que usted descargó la plantilla, esa "
            "fila se rechaza para no deshacer su trabajo: descargue la plantilla de nuevo y copie en ella sus cambios."
        ),
    )


def catalog(request: HttpRequest) -> HttpResponse:
    items = InputCatalogItem.objects.all()
    query = params.text(request.GET, "q")
    if query:
        items = items.filter(Q(name__icontains=query) | Q(code__icontains=query))
    line = params.text(request.GET, "renglon")
    if line:
        items = items.filter(budget_line=line)
    lines = InputCatalogItem.objects.order_by("budget_line").values_list("budget_line", flat=True).distinct()
    return render(
        request,
        "operations/catalog.html",
        {"items": items.order_by("code"), "query": query, "line": line, "lines": lines},
    )


def catalog_export(request: HttpRequest) -> HttpResponse:
    return xlsx_download(inputs_excel.export_catalog(), "catalogo-de-insumos.xlsx")


def catalog_import(request: HttpRequest) -> HttpResponse:
    return spreadsheet_import(
        request,
        importer=inputs_excel.import_catalog,
        title=_("Importar catálogo de insumos"),
        template_url=reverse("operations:catalog_export"),
        back_url=reverse("operations:catalog"),
        help_text=_(
            "Los insumos se identifican por su código: uno nuevo se crea y uno existente se actualiza. "
            "Para retirar un insumo marque Vigente = No. Los precios de las matrices ya cargadas no cambian."
        ),
    )


def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    lines = InputRequirement.objects.filter(plan=plan).select_related("org_unit", "subproduct__product", "item")
    scope = request_unit_scope(request)
    if scope is not None:
        lines = lines.filter(org_unit_id__in=scope)
    area = params.text(request.GET, "area")
    if area:
        lines = lines.filter(org_unit__code=area)
    lines = lines.order_by("subproduct__code", "org_unit__code", "item__code", "month")
    areas = OrgUnit.objects.filter(pk__in=InputRequirement.objects.filter(plan=plan).values("org_unit"))
    if scope is not None:
        areas = areas.filter(pk__in=scope)
    total = sum((line.amount for line in lines), Decimal(0))
    return render(
        request,
        "operations/matrix.html",
        {
            "plan": plan,
            "lines": lines,
            "total": total,
            "area": area,
            "areas": areas,
        },
    )


def matrix_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return _area_download(request, plan, "matriz-insumos", inputs_excel.export_matrix)


def matrix_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return spreadsheet_import(
        request,
        **_plan_import(
            request,
            plan,
            "matrix",
            request_unit_scope(request),
            job_title=_("Importación de la matriz de insumos de %(plan)s") % {"plan": plan.code},
            next_url=reverse("operations:matrix", args=[plan.pk]),
        ),
        title=_("Importar matriz de insumos de %(plan)s") % {"plan": plan.code},
        template_url=reverse("operations:matrix_export", args=[plan.pk]),
        help_text=_(
            "Cada fila es un área × subproducto × insumo × mes («Anual» si no se pide por mes). El archivo "
            "reemplaza las líneas de las áreas que trae; el precio unitario se toma del catálogo vigente."
        ),
    )


def _ceiling_products(plan: OperationalPlan) -> list[Product]:
    return list(Product.objects.filter(plan=plan.strategic_plan).prefetch_related("subproducts").order_by("code"))


@require_POST
def ceilings_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    fields = {
        f"t-{key[0]}-{key[1] or 0}": key
        for product in _ceiling_products(plan)
        for key in [(product.pk, None)] + [(product.pk, s.pk) for s in product.subproducts.all()]
    }
    values, errors = services.parse_ceilings(fields, request.POST)
    if errors:
        messages.error(request, _("Corrija los montos marcados; no se guardó nada."))
        return ceilings(request, pk, errors, 400)
    try:
        changed = services.set_ceilings(plan, values, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return ceilings(request, pk, {}, 400)
    messages.success(request, _("%(n)s techos actualizados.") % {"n": changed})
    return redirect("operations:ceilings", plan.pk)


def ceilings(request: HttpRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    stored = {(c.product_id, c.subproduct_id): c.amount for c in plan.ceilings.all()}
    readable = visibility.readable_subproducts(request, plan)
    amounts = inputs.amounts_by_subproduct(plan, units=None if readable is None else request_unit_scope(request))
    rows = []
    for product in _ceiling_products(plan):
        subs = sorted(product.subproducts.all(), key=lambda s: s.code)
        if readable is not None:
            subs = [s for s in subs if s.pk in readable]
            if not subs:
                continue
        rows.append(
            (
                product,
                None,
                f"t-{product.pk}-0",
                stored.get((product.pk, None)),
                sum((amounts.get(s.pk, Decimal(0)) for s in subs), Decimal(0)),
            )
        )
        for sub in subs:
            rows.append(
                (
                    product,
                    sub,
                    f"t-{product.pk}-{sub.pk}",
                    stored.get((product.pk, sub.pk)),
                    amounts.get(sub.pk, Decimal(0)),
                )
            )
    posted = request.POST if request.method == "POST" else None
    return render(
        request,
        "operations/ceilings.html",
        {"plan": plan, "rows": rows, "errors": errors or {}, "posted": posted},
        status=status,
    )


def consistency(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    return render(request, "operations/consistency.html", {"plan": plan, "report": inputs.consistency(plan)})


def reprogramming_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    requests = (
        visibility.readable_reprogrammings(request, plan)
        .select_related("requested_by", "decided_by")
        .prefetch_related("lines")
    )
    # The current goals an approved reprogramming changed are public; the request behind them (with its
    # justification) is linked only for who may read it.
    changes = reprogramming.changes_since_approval(plan) if plan.is_approved else []
    return render(
        request,
        "operations/reprogramming_list.html",
        {"plan": plan, "requests": requests, "changes": changes, "readable": {r.pk for r in requests}},
    )


def reprogramming_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    if not plan.is_approved:
        messages.error(request, _("Solo se reprograma un plan aprobado."))
        return redirect("operations:detail", plan.pk)
    subproducts, subproduct = _chosen_subproduct(request, plan)
    if subproduct is None and request.method == "POST":
        return _unknown_subproduct(request)
    if subproduct is None:
        messages.error(request, _("No hay subproductos que mostrar en este plan."))
        return redirect("operations:detail", plan.pk)
    allowed = visibility.area_cost_centers(request)
    justification = request.POST.get("justification", "")
    grid_kwargs: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        cells, errors = grid.parse(plan, request.POST)
        changes = {(subproduct.pk, c, y, m): new for (c, y, m), (seen, new) in cells.items() if new != seen}
        if allowed is not None and any(key[1] not in allowed for key in changes):
            raise PermissionDenied
        if errors:
            messages.error(request, _("Corrija las celdas marcadas; no se guardó nada."))
            grid_kwargs, status = {"posted": request.POST, "errors": errors}, 400
        else:
            try:
                created = reprogramming.request(plan, changes=changes, justification=justification, actor=request.user)
            except ValidationError as error:
                messages.error(request, error_text(error))
                grid_kwargs, status = {"posted": request.POST}, 400
            else:
                messages.success(request, _("Reprogramación %(r)s solicitada.") % {"r": created})
                return redirect("operations:reprogramming", created.pk)
    built = grid.build(plan, subproduct, attr="current", takes_input=True, allowed=allowed, **grid_kwargs)
    return render(
        request,
        "operations/reprogramming_form.html",
        {
            "plan": plan,
            "grid": built,
            "subproducts": subproducts,
            "subproduct": subproduct,
            "editable": True,
            "justification": justification,
        },
        status=status,
    )


@require_POST
def reprogramming_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Reprogramming, pk=pk)
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            reprogramming.approve(item, actor=request.user, note=note)
            messages.success(request, _("Reprogramación aprobada: las metas vigentes cambiaron."))
        elif decision == "reject":
            reprogramming.reject(item, actor=request.user, note=note)
            messages.success(request, _("Reprogramación rechazada."))
        else:
            messages.error(request, _("Elija aprobar o rechazar."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("operations:reprogramming", item.pk)


def reprogramming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Reprogramming.objects.select_related("plan", "requested_by", "decided_by"), pk=pk)
    if not visibility.can_read_reprogramming(request, item):
        raise Http404
    lines = item.lines.select_related("goal__subproduct", "goal__cost_center")
    centers = visibility.area_cost_centers(request)
    if centers is not None:  # a request that also touches other areas shows the liaison only their lines
        lines = lines.filter(goal__cost_center_id__in=centers)
    can_decide = (
        item.status == ReprogrammingStatus.REQUESTED
        and request.user.has_any_role(reprogramming.APPROVER_ROLES)
        and request.user.pk != item.requested_by_id
    )
    return render(
        request, "operations/reprogramming_detail.html", {"item": item, "lines": lines, "can_decide": can_decide}
    )


@require_POST
def generate_anteproyectos(request: SignedInRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(CaseTask.objects.select_related("case__definition"), pk=task_pk)
    try:
        poa = case_link.generation_plan(task)
        if case_link.is_large(poa):
            require_workable(task, request.user)  # refused now, not minutes later by the job
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


def anteproyecto_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk, kind=PlanKind.ANNUAL)
    return xlsx_download(anteproyecto.build_xlsx(plan), f"anteproyecto-{plan.code}.xlsx")


def anteproyecto_pdf(request: HttpRequest, pk: int) -> HttpResponse:
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


def anteproyecto_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """An anteproyecto the P2 case produced for this plan: the areas read it here, without access to the case."""
    plan = get_object_or_404(OperationalPlan, pk=pk)
    link = next((d for d in case_link.anteproyecto_documents(plan) if d.document_id == document_pk), None)
    if link is None or visibility.readable_goal_centers(request, plan) is not None:
        raise Http404
    return document_response(request, link.document)


@require_POST
def start_case(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    try:
        case = case_link.start_case(plan, actor=request.user)
    except (ValidationError, ProcedureError) as error:
        messages.error(request, error_text(error))
        return redirect("operations:detail", plan.pk)
    messages.success(request, _("Expediente %(case)s iniciado.") % {"case": case.number})
    return redirect("procedures:case", case.pk)
