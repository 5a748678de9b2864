"""What the goals and the input matrix share: the plan's template for an area, and the import of a filled one
(inside the request, or as a job for a large file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from planea.core import params
from planea.core.responses import bad_request
from planea.jobs.imports import in_background
from planea.org.access import SignedInRequest, request_unit_scope, scope_area
from planea.org.models import OrgUnit, UnitLabel, active_units
from planea.spreadsheets.responses import xlsx_download

from .. import plan_files, tasks
from ..models import OperationalPlan


class _UnknownArea(Exception):
    pass


def _scope_area(request: SignedInRequest) -> OrgUnit | None:
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


def template_areas(request: SignedInRequest) -> list[UnitLabel]:
    """The areas whose template the plan page offers: every active unit, or a liaison's own (the only one they
    can download)."""
    if request_unit_scope(request) is None:
        return active_units()
    area = _scope_area(request)
    return [UnitLabel(area.code, area.name)] if area else []


def area_download(
    request: SignedInRequest,
    plan: OperationalPlan,
    name: str,
    export: Callable[[OperationalPlan, OrgUnit | None], bytes],
) -> HttpResponse:
    """The plan's template `export(plan, area)` for the area asked (`_scope_area`), as «name-PLAN[-AREA].xlsx»."""
    try:
        area = _scope_area(request)
    except _UnknownArea as unknown:
        return bad_request(request, _("No hay un área con el código «%(code)s».") % {"code": str(unknown)[:60]})
    suffix = f"-{area.code}" if area else ""
    return xlsx_download(export(plan, area), f"{name}-{plan.code}{suffix}.xlsx")


def plan_import(
    request: SignedInRequest, plan: OperationalPlan, what: str, scope: set[int] | None, *, job_title: str, next_url: str
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
