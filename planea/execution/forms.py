"""Forms of the execution pages (every POST goes through one): the POA and month of a new P6 case, chosen from
lists; the reason to reopen a month; the report's POA and period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from planea.operations.models import OperationalPlan

from . import dashboard
from .four_monthly import YEAR


def approved_poas() -> QuerySet[OperationalPlan]:
    """The approved POAs, the latest year first: those whose execution is registered."""
    return dashboard.approved_poas()


class PoaField(forms.ModelChoiceField[OperationalPlan]):
    def label_from_instance(self, obj: OperationalPlan) -> str:
        return f"{obj.code} · {obj.name}"


MONTH_CHOICES = [(m, capfirst(MONTH_NAMES[m])) for m in range(1, 13)]


class StartMonthForm(forms.Form):
    plan = PoaField(label=_("POA"), queryset=approved_poas(), empty_label=_("Elija un POA aprobado"))
    month = forms.TypedChoiceField(label=_("Mes"), choices=MONTH_CHOICES, coerce=int)


def reason_field(label: Any, help_text: Any, max_length: int) -> forms.CharField:
    """The reason a decision is taken with, written in a few lines."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=max_length, help_text=help_text
    )


class ReopenForm(forms.Form):
    reason = reason_field(
        _("Motivo de la reapertura"),
        _("Queda en el historial del mes y en la auditoría; la revisión aprobada sigue legible."),
        4000,
    )


class SendBackForm(forms.Form):
    reason = reason_field(
        _("Motivo de la devolución"),
        _("Qué debe corregirse; el mes vuelve a estar abierto y se registra de nuevo."),
        1000,
    )


PERIOD_CHOICES = [
    (1, _("Primer cuatrimestre (enero–abril)")),
    (2, _("Segundo cuatrimestre (mayo–agosto)")),
    (3, _("Tercer cuatrimestre (septiembre–diciembre)")),
    (YEAR, _("Año completo")),
]


class ReportForm(forms.Form):
    poa = PoaField(label=_("POA"), queryset=approved_poas(), empty_label=None)
    periodo = forms.TypedChoiceField(label=_("Período"), choices=PERIOD_CHOICES, coerce=int, initial=1)
