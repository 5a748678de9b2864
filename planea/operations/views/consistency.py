"""The acknowledgement of a POA's consistency observations at its visto bueno (P2 step 10), posted from the step's
panel on the case page (operations/_step_consistency.html)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planea.core.errors import error_text
from planea.org.access import SignedInRequest, require_unit
from planea.procedures.errors import ProcedureError
from planea.procedures.models import CaseTask

from .. import consistency


@require_POST
def acknowledge(request: SignedInRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(CaseTask.objects.select_related("case__definition", "case__org_unit"), pk=task_pk)
    require_unit(request, task.case.org_unit_id)  # as every other action on a step
    try:
        consistency.acknowledge(task, actor=request.user, note=request.POST.get("note", ""))
    except ProcedureError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Observaciones de consistencia reconocidas; puede dar el visto bueno."))
    return redirect(reverse("procedures:case", args=[task.case_id]) + f"#paso-{task.pk}")
