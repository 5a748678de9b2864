"""Forms of the forecast pages: starting a run for a target year (chosen from the years allowed, not typed) and
the filters of a run's table of series."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planea.statistics.models import StatisticalVariable

from .models import SeriesLevel
from .runs import target_years


class StartRunForm(forms.Form):
    target_year = forms.TypedChoiceField(label=_("Año a pronosticar"), coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = target_years()
        field = self.fields["target_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in years]
        field.initial = years[1] if len(years) > 1 else years[0]
        field.help_text = _(
            "Se usan las estadísticas hasta el último mes cerrado; los meses marcados como atípicos se tratan como "
            "se decidió en cada serie."
        )


class SeriesFilterForm(forms.Form):
    """?variable=<code>&nivel=<level>&pagina=<n> of a run's page; empty means all."""

    variable = forms.ChoiceField(label=_("Variable"), required=False, choices=())
    nivel = forms.ChoiceField(
        label=_("Nivel"), required=False, choices=[("", _("Todos los niveles")), *SeriesLevel.choices]
    )

    def __init__(self, *args: Any, variables: list[StatisticalVariable], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variable"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Todas las variables")), *((v.code, f"{v.code} {v.name}") for v in variables)]
