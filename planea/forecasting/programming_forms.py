"""Forms of the P5 programming pages (every POST goes through one): the POA chosen from a list, the run, the
tolerance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planea.core.numbers import Bounds, NumberField
from planea.operations.models import OperationalPlan

from .models import ForecastRun, Programming, RunStatus
from .programming import draft_poas

TOLERANCE_BOUNDS = Bounds(decimal_places=2, minimum=Decimal(0), maximum=Decimal(100))


class DraftPoaField(forms.ModelChoiceField[OperationalPlan]):
    """A draft POA chosen from the list (never typed): «POA-2027 · 2027»."""

    def label_from_instance(self, obj: OperationalPlan) -> str:
        label = f"{obj.code} · {obj.name}"
        return label + str(_(" (ya en programación)")) if getattr(obj, "in_programming", False) else label


class StartProgrammingForm(forms.Form):
    plan = DraftPoaField(
        label=_("POA que se programa"),
        queryset=draft_poas(),
        empty_label=_("Elija un POA en borrador"),
        help_text=_("Solo los POA en borrador; cada POA se programa en un solo expediente en trámite."),
    )


class LinkPlanForm(StartProgrammingForm):
    """The POA of a P5 case started without one."""


class RunChoiceField(forms.ModelChoiceField[ForecastRun]):
    def label_from_instance(self, obj: ForecastRun) -> str:
        return str(
            _("Corrida %(run)s · datos hasta %(until)s · %(series)s series")
            % {"run": obj.pk, "until": obj.data_until.strftime("%m/%Y"), "series": obj.series_count}
        )


class ChooseRunForm(forms.Form):
    run = RunChoiceField(label=_("Corrida de pronósticos terminada"), queryset=ForecastRun.objects.none())

    def __init__(self, *args: Any, programming: Programming, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["run"]
        assert isinstance(field, RunChoiceField)
        field.queryset = ForecastRun.objects.filter(
            status=RunStatus.DONE, target_year=programming.plan.start_year
        ).order_by("-finished_at", "-pk")
        field.initial = programming.run_id


class ToleranceForm(forms.Form):
    tolerance = NumberField(
        label=_("Tolerancia (%)"),
        bounds=TOLERANCE_BOUNDS,
        help_text=_("Se señalan las líneas cuyo pronóstico difiere de la meta del POM en más de este porcentaje."),
    )
