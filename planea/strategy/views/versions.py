"""Modifications of an approved PEI: a new version in draft, and the comparison of two versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core import params
from planea.core.errors import error_text
from planea.org.access import SignedInRequest

from .. import versions
from ..compare import compare
from ..forms import ReasonForm
from ..models import PlanStatus, StrategicPlan


@require_POST
def new_version(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Escriba el motivo de la modificación."))
        return redirect("strategy:detail", plan.pk)
    try:
        copy = versions.new_version(plan, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("strategy:detail", plan.pk)
    messages.success(request, _("Se creó %(plan)s en borrador, copia de la versión aprobada.") % {"plan": copy})
    return redirect("strategy:detail", copy.pk)


def plan_compare(request: SignedInRequest) -> HttpResponse:
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
