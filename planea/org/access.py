"""Access in one place: who may open a view (its `Policy`), and which org units a person may see through it.

Every request is checked against the policy table the roof declares (`shell/policies.py`, through `declare`). A
view with no declared policy is refused (and the authorization-matrix test fails), so a new URL cannot be
reachable by accident. Roles come from the person's active role assignments; the org-unit scope of unit-scoped
roles (the area liaison) is given by `visible_unit_ids`, and the views narrow their lists with `scoped_units`,
`scoped_cost_centers` and `require_unit`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from .models import CostCenter, OrgUnit, Person
from .roles import UNIT_SCOPED_ROLES

logger = logging.getLogger(__name__)


class SignedInRequest(HttpRequest):
    """The request of a view whose policy is not public: the middleware below has let only a signed-in person
    through, so its user is a Person (what a view annotates its request with)."""

    user: Person
    htmx: HtmxDetails  # django_htmx's middleware: whether (and how) HTMX sent the request


@dataclass(frozen=True)
class Policy:
    """Who may open a view: nobody signed in (public), any signed-in person (roles=None) or given roles."""

    roles: frozenset[str] | None = None
    public: bool = False
    note: str = field(default="", compare=False)

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return self.allows_roles(user.role_slugs())

    def allows_roles(self, slugs: frozenset[str]) -> bool:
        """Whether a signed-in person who holds the roles `slugs` may open the view."""
        return self.public or self.roles is None or bool(self.roles & slugs)


def public(note: str = "") -> Policy:
    return Policy(public=True, note=note)


def signed_in(note: str = "") -> Policy:
    return Policy(roles=None, note=note)


def roles(*slugs: str | Iterable[str], note: str = "") -> Policy:
    flat: set[str] = set()
    for slug in slugs:
        flat.update([slug] if isinstance(slug, str) else slug)
    return Policy(roles=frozenset(flat), note=note)


# URL name → who may open it, as the roof declares it when the apps are ready.
POLICIES: dict[str, Policy] = {}


def declare(table: Mapping[str, Policy]) -> None:
    """Add the policies of `table` (URL name → Policy) to those every request is checked against."""
    POLICIES.update(table)


def policy_for(view_name: str | None) -> Policy | None:
    if view_name is None:
        return None
    return POLICIES.get(view_name)


def is_allowed(user: Any, view_name: str) -> bool:
    policy = policy_for(view_name)
    return policy is not None and policy.allows(user)


def visible_unit_ids(user: Any, allowed_roles: Iterable[str] | None) -> set[int] | None:
    """Org units the person may see through the given roles: None means all of them.

    A role that is not unit-scoped gives the whole institution; unit-scoped roles (the area liaison) give the
    units of their assignments and every unit below them.
    """
    allowed = None if allowed_roles is None else set(allowed_roles)
    pairs = [(a.role, a.org_unit_id) for a in user.active_assignments() if allowed is None or a.role in allowed]
    if allowed_roles is None and not pairs:
        return None
    if any(role not in UNIT_SCOPED_ROLES for role, _unit in pairs):
        return None
    return OrgUnit.objects.subtree_ids(unit for _role, unit in pairs)


_UNREAD = object()


def request_unit_scope(request: HttpRequest) -> set[int] | None:
    """The units the person may see through this view's roles (None: all), read once per request: a view, its
    helpers and its template tags ask it several times, and each reading walked the unit tree again."""
    scope = getattr(request, "_unit_scope", _UNREAD)
    if scope is _UNREAD:
        policy = getattr(request, "policy", None)
        scope = visible_unit_ids(request.user, policy.roles if policy else None)
        request._unit_scope = scope  # type: ignore[attr-defined]
    return cast(set[int] | None, scope)


def require_unit(request: HttpRequest, unit_id: int | None) -> None:
    """Raise PermissionDenied when an object's org unit lies outside the person's scope for this view."""
    scope = request_unit_scope(request)
    if scope is not None and unit_id not in scope:
        raise PermissionDenied


def scoped_units(request: HttpRequest) -> Any:
    """The org units the person may see through this view's roles."""
    units = OrgUnit.objects.all()
    scope = request_unit_scope(request)
    return units if scope is None else units.filter(pk__in=scope)


def scoped_cost_centers(request: HttpRequest) -> Any:
    """The cost centers of the org units the person may see through this view's roles."""
    centers = CostCenter.objects.select_related("org_unit")
    scope = request_unit_scope(request)
    return centers if scope is None else centers.filter(org_unit_id__in=scope)


def scope_area(request: HttpRequest) -> OrgUnit | None:
    """The topmost unit of a unit-scoped person (an area liaison's own area); None when they see every unit."""
    scope = request_unit_scope(request)
    if scope is None:
        return None
    return OrgUnit.objects.filter(pk__in=scope).exclude(parent_id__in=scope).order_by("code").first()


class AuthorizationMiddleware:
    """Refuses every view the policy table does not allow for the signed-in person."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        match = request.resolver_match
        view_name = match.view_name if match else None
        if view_name is None and request.path.startswith((settings.STATIC_URL, "/favicon")):
            return None
        policy = policy_for(view_name)
        if policy is None:
            logger.error("Vista sin política declarada: %s (%s)", view_name, request.path)
            raise PermissionDenied
        request.policy = policy  # type: ignore[attr-defined]
        if policy.public:
            return None
        if not request.user.is_authenticated:
            htmx: HtmxDetails | None = getattr(request, "htmx", None)
            if htmx:  # a part of a page: the whole page goes to sign in, and comes back to it
                page = htmx.current_url_abs_path or request.get_full_path()
                return HttpResponse(status=204, headers={"HX-Redirect": redirect_to_login(page).url})
            return redirect_to_login(request.get_full_path())
        if not policy.allows(request.user):
            raise PermissionDenied
        return None
