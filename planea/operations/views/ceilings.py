"""The budget ceilings of a plan: the form, each ceiling beside the amount of the input matrix, and its save."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from planea.core.errors import error_text
from planea.org.access import SignedInRequest, request_unit_scope

from .. import ceilings as service
from .. import plan_rows, visibility


@require_POST
def ceilings_save(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    values, errors = service.parse(plan, request.POST)
    if errors:
        messages.error(request, _("Corrija los montos marcados; no se guardó nada."))
        return ceilings(request, pk, errors, 400)
    try:
        changed = service.set_ceilings(plan, values, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return ceilings(request, pk, {}, 400)
    messages.success(
        request, ngettext("%(n)s techo actualizado.", "%(n)s techos actualizados.", changed) % {"n": changed}
    )
    return redirect("operations:ceilings", plan.pk)


def ceilings(
    request: SignedInRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    plan = plan_rows.plan_page(pk)
    readable = visibility.readable_subproducts(request, plan)
    rows = service.rows(plan, readable, units=None if readable is None else request_unit_scope(request))
    posted = request.POST if request.method == "POST" else None
    return render(
        request,
        "operations/ceilings.html",
        {"plan": plan, "rows": rows, "errors": errors or {}, "posted": posted},
        status=status,
    )
