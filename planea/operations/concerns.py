"""An area is concerned by the case that carries a plan with goals at its cost centers (the P2 of a POA in which the
area programs its goals): the area liaison sees it, read-only, in the case list and the case page."""

from __future__ import annotations

from django.db.models import Q

from planea.procedures.concerns import register

from .models import PhysicalGoal


@register
def plans_with_goals_of(units: set[int]) -> Q:
    plans = PhysicalGoal.objects.filter(cost_center__org_unit__in=units, plan__case__isnull=False)
    return Q(pk__in=plans.values("plan__case"))
