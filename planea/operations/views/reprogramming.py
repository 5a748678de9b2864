"""Reprogramming of an approved plan: the plan's requests (and the current goals they changed), the request form
on the grid of current goals, a request's page and its decision."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core.errors import error_text
from planea.org.access import SignedInRequest

from .. import grid, plan_rows, reprogramming, visibility
from ..models import OperationalPlan, Reprogramming
from .picker import chosen_subproduct, unknown_subproduct


def reprogramming_list(request: SignedInRequest, pk: int) -> HttpResponse:
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


def reprogramming_create(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    if not plan.is_approved:
        messages.error(request, _("Solo se reprograma un plan aprobado."))
        return redirect("operations:detail", plan.pk)
    subproducts, subproduct = chosen_subproduct(request, plan)
    if subproduct is None and request.method == "POST":
        return unknown_subproduct(request)
    if subproduct is None:
        messages.error(request, _("No hay subproductos que mostrar en este plan."))
        return redirect("operations:detail", plan.pk)
    allowed = visibility.area_cost_centers(request)
    justification = request.POST.get("justification", "")
    past_justification = request.POST.get("past_justification", "")
    grid_kwargs: dict[str, Any] = {}
    field_errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        cells, errors = grid.parse(plan, request.POST)
        changes = reprogramming.changes_of(subproduct, cells)
        if allowed is not None and any(key[1] not in allowed for key in changes):
            raise PermissionDenied
        if errors:
            messages.error(request, _("Corrija las celdas marcadas; no se guardó nada."))
            grid_kwargs, status = {"posted": request.POST, "errors": errors}, 400
        else:
            try:
                created = reprogramming.request(
                    plan,
                    changes=changes,
                    justification=justification,
                    past_justification=past_justification,
                    actor=request.user,
                )
            except ValidationError as error:  # a justification's reason next to it, any other above the grid
                if hasattr(error, "error_dict"):
                    field_errors = {name: " ".join(texts) for name, texts in error.message_dict.items()}
                else:
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
            "past_justification": past_justification,
            "field_errors": field_errors,
            "closed": reprogramming.periods_text(reprogramming.closed_periods(plan)),
            "refuses_past": settings.PLANEA_REPROGRAMMING_PAST_MONTHS == reprogramming.REFUSE_PAST,
        },
        status=status,
    )


@require_POST
def reprogramming_decide(request: SignedInRequest, pk: int) -> HttpResponse:
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
            return _detail(request, pk, note=note, error=_("Elija aprobar o rechazar."))
    except ValidationError as error:  # the page again with what was typed, the reason next to the note
        return _detail(request, pk, note=note, error=error_text(error))
    return redirect("operations:reprogramming", item.pk)


def reprogramming_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _detail(request: SignedInRequest, pk: int, *, note: str = "", error: str = "") -> HttpResponse:
    item = get_object_or_404(Reprogramming.objects.select_related("plan", "requested_by", "decided_by"), pk=pk)
    if not visibility.can_read_reprogramming(request, item):
        raise Http404
    lines = item.lines.select_related("goal__subproduct", "goal__cost_center")
    centers = visibility.area_cost_centers(request)
    if centers is not None:  # a request that also touches other areas shows the liaison only their lines
        lines = lines.filter(goal__cost_center_id__in=centers)
    can_decide = reprogramming.can_decide(item, request.user)
    context = {
        "item": item,
        "lines": lines,
        "can_decide": can_decide,
        "note": note,
        "error": error,
    }
    return render(request, "operations/reprogramming_detail.html", context, status=400 if error else 200)
