"""What helps Estadística answer the requests for statistics that P5 step 2 and P6 step 1 send it: the load page,
with how far the statistics reach against the last closed month, and the catalog of variables."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from planea.procedures.links import Link
from planea.procedures.models import StepRequest
from planea.procedures.step_requests import register_aid

from .loading import last_closed_month
from .series import last_loaded


@register_aid("statistics")
def statistics_aids(request: StepRequest, user: Any) -> list[Link]:
    last = last_loaded()
    closed_year, closed_month = last_closed_month()
    reach = (
        _("cargadas hasta %(month)02d/%(year)s") % {"month": last[1], "year": last[0]}
        if last
        else _("no hay estadísticas cargadas")
    )
    status = _("%(reach)s; último mes cerrado: %(month)02d/%(year)s") % {
        "reach": reach,
        "month": closed_month,
        "year": closed_year,
    }
    return [
        Link(_("Cargar estadísticas (plantilla de Excel o CSV)"), reverse("statistics:load"), status),
        Link(_("Catálogo de variables y series"), reverse("statistics:variables")),
    ]
