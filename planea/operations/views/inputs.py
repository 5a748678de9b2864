"""The inputs: the institution's catalog (with its file), a plan's input matrix (with its file per area), and the
consistency of the matrix with the goals and the ceilings."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.core import params
from planea.org.access import SignedInRequest, request_unit_scope
from planea.org.models import OrgUnit
from planea.spreadsheets.responses import spreadsheet_import, xlsx_download

from .. import inputs, inputs_excel, plan_rows
from ..models import InputCatalogItem, InputRequirement, OperationalPlan
from .plan_files import area_download, plan_import


def catalog(request: SignedInRequest) -> HttpResponse:
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


def catalog_export(request: SignedInRequest) -> HttpResponse:
    return xlsx_download(inputs_excel.export_catalog(), "catalogo-de-insumos.xlsx")


def catalog_import(request: SignedInRequest) -> HttpResponse:
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


def matrix(request: SignedInRequest, pk: int) -> HttpResponse:
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


def matrix_export(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return area_download(request, plan, "matriz-insumos", inputs_excel.export_matrix)


def matrix_import(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return spreadsheet_import(
        request,
        **plan_import(
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


def consistency(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    return render(request, "operations/consistency.html", {"plan": plan, "report": inputs.consistency(plan)})
