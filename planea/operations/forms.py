from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from planea.core.numbers import YEAR_BOUNDS, NumberField
from planea.strategy.models import PlanStatus, StrategicPlan

from .models import OperationalPlan, PlanKind
from .plans import default_code, default_end_year
from .starting_goals import Start

PLAN_YEARS = YEAR_BOUNDS.with_range(minimum=2000)


def _pom_years() -> str:
    """Translated when shown, in the person's language (a lazy text given its numbers with % is translated at
    once, when the module is imported)."""
    return ngettext(
        "Solo para el POM; si se deja vacío abarca %(n)s año.",
        "Solo para el POM; si se deja vacío abarca %(n)s años.",
        settings.PLANEA_POM_YEARS,
    ) % {"n": settings.PLANEA_POM_YEARS}


class PlanCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=PlanKind.choices)
    start_year = NumberField(label=_("Año inicial"), bounds=PLAN_YEARS)
    end_year = NumberField(
        label=_("Año final"),
        bounds=PLAN_YEARS,
        required=False,
        help_text=lazy(_pom_years, str)(),
    )
    strategic_plan = forms.ModelChoiceField(
        label=_("PEI"), queryset=StrategicPlan.objects.filter(status=PlanStatus.APPROVED)
    )
    multiannual = forms.ModelChoiceField(
        label=_("POM de referencia"),
        queryset=OperationalPlan.objects.filter(kind=PlanKind.MULTIANNUAL),
        required=False,
        help_text=_("Para el POA: el POM contra el que se comparan sus metas."),
    )
    start = forms.ChoiceField(
        label=_("Metas iniciales del POA"),
        choices=Start.choices,
        initial=Start.EMPTY,
        required=False,
        help_text=_(
            "Solo para el POA. Del POM: su meta anual de cada subproducto y centro de costo, repartida entre los "
            "meses en la proporción del POA del año anterior (por igual donde no la tiene). Las metas quedan en "
            "borrador para que las áreas las ajusten."
        ),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, start = data.get("kind"), data.get("start_year")
        if kind and start:
            end = (data.get("end_year") if kind == PlanKind.MULTIANNUAL else start) or default_end_year(kind, start)
            code = default_code(kind, start, end)
            if OperationalPlan.objects.filter(code=code).exists():
                raise ValidationError(_("Ya existe el plan %(code)s.") % {"code": code})
            data["end_year"] = end
        if kind == PlanKind.MULTIANNUAL:
            data["multiannual"] = None
        if kind != PlanKind.ANNUAL or not data.get("start"):
            data["start"] = Start.EMPTY
        return data
