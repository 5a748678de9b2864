"""The physical goals: the grid of one subproduct (programmed goals of a draft, current goals after approval), its
save, and the plan's goals file (template per area and import). The picker and the save form of the grid page
swap its table alone when HTMX sends them (operations/grid.html#grid-table); without JavaScript, whole pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from planea.core.errors import error_text
from planea.org.access import SignedInRequest
from planea.spreadsheets.responses import spreadsheet_import

from .. import goals, goals_excel, grid, plan_rows, visibility
from ..models import OperationalPlan
from .picker import chosen_subproduct, unknown_subproduct
from .plan_files import area_download, plan_import


def _table_only(request: SignedInRequest) -> bool:
    """Whether to answer the grid's table alone: to HTMX, unless it restores a page from history (a whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def goal_grid(
    request: SignedInRequest, pk: int, grid_kwargs: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    subproducts, subproduct = chosen_subproduct(request, plan)
    if subproduct is None:
        messages.error(request, _("No hay subproductos que mostrar en este plan."))
        if request.htmx:
            return HttpResponseClientRedirect(reverse("operations:detail", args=[plan.pk]))
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
    response = render(
        request,
        "operations/grid.html#grid-table" if _table_only(request) else "operations/grid.html",
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
    patch_vary_headers(response, ["HX-Request"])  # one address, the table or the whole page
    return response


@require_POST
def goal_grid_save(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    _subproducts, subproduct = chosen_subproduct(request, plan)
    if subproduct is None:
        return unknown_subproduct(request)
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
    if _table_only(request):
        return goal_grid(request, pk)  # the table as saved, with the message
    return redirect(f"{reverse('operations:grid', args=[plan.pk])}?subproducto={subproduct.pk}")


def goals_export(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return area_download(request, plan, "metas", goals_excel.export_goals)


def goals_import(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(OperationalPlan, pk=pk)
    return spreadsheet_import(
        request,
        **plan_import(
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
