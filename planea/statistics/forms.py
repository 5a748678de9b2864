"""The forms of the statistics pages: the upload of a statistics file, and the mark of an excluded period."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from planea.core.uploads import check_upload
from planea.org.models import CostCenter

from .exclusions import Month, Span, already_marked, same_span_exists
from .models import StatisticalVariable, Treatment

UPLOAD_TYPES = (".xlsx", ".csv")
MONTH_FORMS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$", re.ASCII),
    re.compile(r"^(?P<month>\d{1,2})/(?P<year>\d{4})$", re.ASCII),
)
FIRST_YEAR, LAST_YEAR = 1990, 2100


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo (.xlsx o .csv)"),
        help_text=_(
            "La plantilla de un año llenada en Excel, o un CSV con las columnas variable,centro_costo,mes,valor "
            "(mes como 2026-03)."
        ),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload = self.cleaned_data["file"]
        check_upload(upload, UPLOAD_TYPES)
        return upload


class MonthField(forms.CharField):
    """A month written 2026-03 (what a browser's month picker sends) or 03/2026: (year, month)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03", "inputmode": "numeric"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=10, **kwargs)

    def clean(self, value: Any) -> Month | None:
        text = super().clean(value)
        if not text:
            return None
        for form in MONTH_FORMS:
            found = form.match(text)
            if found and 1 <= int(found["month"]) <= 12 and FIRST_YEAR <= int(found["year"]) <= LAST_YEAR:
                return int(found["year"]), int(found["month"])
        raise forms.ValidationError(_("«%(text)s» no es un mes como 2020-03."), params={"text": text[:10]})


class ExcludedPeriodForm(forms.Form):
    """A span of months of the series on screen marked as atypical; its scope is this variable (or every one)
    and, at a cost center, this center (or every one); at an area or the institution, every center."""

    first = MonthField(label=_("Primer mes"))
    last = MonthField(label=_("Último mes"), help_text=_("Puede ser un mes por venir si la situación continúa."))
    treatment = forms.ChoiceField(label=_("Tratamiento en los pronósticos"), choices=Treatment.choices)
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Escriba el motivo: quien lea la serie o el pronóstico debe entenderlo.")},
        help_text=_("Por ejemplo: pandemia de COVID-19, cambio del método de conteo, puesto cerrado."),
    )
    all_variables = forms.BooleanField(label=_("Para todas las variables, no solo esta"), required=False)
    all_centers = forms.BooleanField(label=_("Para todos los centros de costo, no solo este"), required=False)

    def __init__(
        self,
        *args: Any,
        variable: StatisticalVariable,
        cost_center: CostCenter | None,
        this_month: Month,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.variable, self.cost_center, self.this_month = variable, cost_center, this_month
        if cost_center is None:  # an area or the institution: the mark is for every center
            del self.fields["all_centers"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and first > self.this_month:
            self.add_error("first", _("Ese mes aún no empieza: marque periodos que ya comenzaron."))
        if first and last and first > last:
            self.add_error("last", _("El último mes es anterior al primero."))
        elif last and last > (self.this_month[0] + 1, 12):
            self.add_error("last", _("Marque como mucho hasta diciembre del año próximo."))
        if not self.errors and first and last:
            span = self.span()
            if same_span_exists(span):
                self.add_error("first", already_marked(span))
        return data

    def span(self) -> Span:
        data = self.cleaned_data
        return Span(
            first=data["first"],
            last=data["last"],
            treatment=data["treatment"],
            reason=data["reason"],
            variable=None if data.get("all_variables") else self.variable,
            cost_center=None if data.get("all_centers") else self.cost_center,
        )
