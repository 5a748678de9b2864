"""What an area liaison may read of a plan, decided once (and written in the policy table's notes):

- an approved plan, its goals and totals are institution-wide: they are public information;
- in a plan still in draft or in review, a liaison reads only the goals of their area's cost centers;
- input matrices and reprogramming requests (with their justifications) are read only for the liaison's own area,
  whatever the plan's state: they are the area's working papers, not published figures.

Everyone without a unit scope (planning staff, the subdirecciones, auditors) reads everything."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from planea.org.access import request_unit_scope
from planea.org.models import CostCenter
from planea.strategy.models import Subproduct

from .models import OperationalPlan, Reprogramming


def area_cost_centers(request: HttpRequest) -> set[int] | None:
    """The cost centers of the person's area (None: no unit scope, every cost center)."""
    scope = request_unit_scope(request)
    if scope is None:
        return None
    return set(CostCenter.objects.filter(org_unit_id__in=scope).values_list("pk", flat=True))


def readable_goal_centers(request: HttpRequest, plan: OperationalPlan) -> set[int] | None:
    """Cost centers whose goals of `plan` the person may read: every one once the plan is approved."""
    return None if plan.is_approved else area_cost_centers(request)


def readable_subproducts(request: HttpRequest, plan: OperationalPlan) -> set[int] | None:
    """Subproducts whose ceilings and amounts the person may read: every one once the plan is approved; for a
    liaison, those their area is responsible for or delivers through its cost centers."""
    centers = readable_goal_centers(request, plan)
    if centers is None:
        return None
    scope = request_unit_scope(request) or set()
    return set(
        Subproduct.objects.filter(plan=plan.strategic_plan)
        .filter(Q(cost_centers__in=centers) | Q(responsible_units__in=scope))
        .values_list("pk", flat=True)
    )


def readable_reprogrammings(request: HttpRequest, plan: OperationalPlan) -> QuerySet[Reprogramming]:
    """The plan's reprogramming requests the person may read: a liaison, those of their area and their own."""
    requests = plan.reprogrammings.all()
    centers = area_cost_centers(request)
    if centers is None:
        return requests
    return requests.filter(Q(lines__goal__cost_center_id__in=centers) | Q(requested_by=request.user)).distinct()


def can_read_reprogramming(request: HttpRequest, item: Reprogramming) -> bool:
    return readable_reprogrammings(request, item.plan).filter(pk=item.pk).exists()
