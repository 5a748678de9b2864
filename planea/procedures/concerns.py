"""Which cases concern a set of org units, for a person who sees only some units (the area liaison): the cases of
those units and below, and those an app says concern them through what they carry (a POA whose goals include the
area's cost centers). Apps register a `Concern` here, as they register case links in `links.py`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest

from planea.org.access import request_unit_scope

from .models import Case

Concern = Callable[[set[int]], Q]  # org unit ids → the cases (a condition over Case) that concern them
CONCERNS: list[Concern] = []


def register(concern: Concern) -> Concern:
    if concern not in CONCERNS:
        CONCERNS.append(concern)
    return concern


def concerning(units: Iterable[int]) -> Q:
    """The cases of the units (and below: `units` is a scope, already a subtree) and those that concern them."""
    unit_ids = set(units)
    condition = Q(org_unit__in=unit_ids)
    for concern in CONCERNS:
        condition |= concern(unit_ids)
    return condition


def visible_cases(request: HttpRequest, cases: Any) -> Any:
    """`cases` narrowed to those the person sees through this view's roles (all of them for an unscoped person)."""
    scope = request_unit_scope(request)
    return cases if scope is None else cases.filter(concerning(scope))


def owns_case(request: HttpRequest, case: Case) -> bool:
    """Whether the case is of the person's units (always, for an unscoped person): a case that only concerns them
    shows its steps and history, not its documents nor the figures its steps check, which are of the whole
    institution (the plan pages give an area what it may read of them)."""
    scope = request_unit_scope(request)
    return scope is None or case.org_unit_id in scope


def require_own_case(request: HttpRequest, case: Case) -> None:
    """PermissionDenied unless the case is of the person's units (a case that only concerns them is not)."""
    if not owns_case(request, case):
        raise PermissionDenied


def sees_case(request: HttpRequest, case: Case) -> bool:
    """Whether the case is of the person's units or concerns them (always, for an unscoped person)."""
    if owns_case(request, case):
        return True
    scope = request_unit_scope(request)
    assert scope is not None  # an unscoped person owns every case
    return Case.objects.filter(concerning(scope), pk=case.pk).exists()


def require_case(request: HttpRequest, case: Case) -> None:
    """PermissionDenied unless the case is of the person's units or concerns them."""
    if not sees_case(request, case):
        raise PermissionDenied
