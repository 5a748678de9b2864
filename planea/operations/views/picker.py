"""The subproduct picker of the goal grid and of the reprogramming form: the subproduct a page shows."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from planea.core.responses import bad_request
from planea.org.access import SignedInRequest
from planea.strategy.models import Subproduct

from .. import picker, visibility
from ..models import OperationalPlan
from ..picker import SubproductOption


def chosen_subproduct(
    request: SignedInRequest, plan: OperationalPlan
) -> tuple[list[SubproductOption], Subproduct | None]:
    """The subproducts the person may open in the grid (a liaison, on a plan not yet approved, those of the
    area's cost centers) and the one asked for, or the first; on a POST, the one posted or None (posted cells
    belong to the subproduct the page showed, or to none)."""
    centers = visibility.readable_goal_centers(request, plan)
    if request.method == "POST":
        return picker.pick(plan, centers, request.POST.get("subproducto"), first_by_default=False)
    return picker.pick(plan, centers, request.GET.get("subproducto"), first_by_default=True)


def unknown_subproduct(request: SignedInRequest) -> HttpResponse:
    return bad_request(request, _("El subproducto de la cuadrícula no es de este plan o usted no puede verlo."))
