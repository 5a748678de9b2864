from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from planea.core.form_fields import model_choice
from planea.core.numbers import YEAR_BOUNDS, NumberField, bounds_for, formfield
from planea.org.models import CostCenter, OrgUnit

from .models import Indicator, IndicatorTarget, Product, Result, StrategicPlan, Subproduct

RICH = {"data-richtext": "1", "rows": 8}
TARGET_BOUNDS = bounds_for(IndicatorTarget._meta.get_field("value"))


class PlanForm(forms.ModelForm[StrategicPlan]):
    start_year = NumberField(label=_("Año inicial"), bounds=YEAR_BOUNDS.with_range(minimum=2000))
    end_year = NumberField(label=_("Año final"), bounds=YEAR_BOUNDS.with_range(minimum=2000))

    class Meta:
        formfield_callback = formfield
        model = StrategicPlan
        fields = [
            "code",
            "name",
            "start_year",
            "end_year",
            "mission",
            "vision",
            "principles",
            "situation_analysis",
            "conceptual_frame",
            "strategic_frame",
            "logical_frame",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "principles": forms.Textarea(attrs={"rows": 4}),
            **{name: forms.Textarea(attrs=RICH) for name in StrategicPlan.RICH_TEXT_FIELDS},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class PlanContentForm(forms.ModelForm[Any]):
    """A form for a row of one PEI version: choices limited to that version; codes unique within it."""

    class Meta:
        formfield_callback = formfield

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for name in ("parent", "result"):
            if name in self.fields:
                queryset = Result.objects.filter(plan=plan)
                if self.instance.pk and name == "parent":
                    queryset = queryset.exclude(pk=self.instance.pk)
                model_choice(self, name).queryset = queryset
        if "product" in self.fields:
            model_choice(self, "product").queryset = Product.objects.filter(plan=plan)
        for name in ("responsible_units", "responsible_unit"):
            if name in self.fields:
                model_choice(self, name).queryset = OrgUnit.objects.filter(active=True)
        if "cost_centers" in self.fields:
            model_choice(self, "cost_centers").queryset = CostCenter.objects.filter(active=True)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        model = self._meta.model
        if model.objects.filter(plan=self.plan, code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Ya existe el código %(code)s en esta versión del PEI.") % {"code": code})
        return code


class ResultForm(PlanContentForm):
    class Meta(PlanContentForm.Meta):
        model = Result
        fields = ["code", "level", "name", "description", "parent"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(PlanContentForm):
    baseline_year = NumberField(label=_("Año de la línea base"), bounds=YEAR_BOUNDS)

    class Meta(PlanContentForm.Meta):
        model = Indicator
        fields = [
            "result",
            "code",
            "name",
            "formula",
            "unit",
            "baseline_year",
            "baseline_value",
            "source",
            "frequency",
            "responsible_unit",
        ]

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        targets = {t.year: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in plan.years:
            self.fields[f"target_{year}"] = NumberField(
                label=_("Meta %(year)s") % {"year": year},
                required=False,
                bounds=TARGET_BOUNDS,
                initial=targets.get(year),
            )

    def target_fields(self) -> list[Any]:
        return [self[f"target_{year}"] for year in self.plan.years]

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in self.plan.years}


class ProductForm(PlanContentForm):
    class Meta(PlanContentForm.Meta):
        model = Product
        fields = ["result", "code", "name", "unit", "program", "subprogram", "activity", "responsible_units"]
        widgets = {"responsible_units": forms.SelectMultiple(attrs={"size": 8})}


class SubproductForm(PlanContentForm):
    class Meta(PlanContentForm.Meta):
        model = Subproduct
        fields = ["product", "code", "name", "unit", "responsible_units", "cost_centers"]
        widgets = {
            "responsible_units": forms.SelectMultiple(attrs={"size": 8}),
            "cost_centers": forms.SelectMultiple(attrs={"size": 12}),
        }


CONTENT_FORMS: dict[str, tuple[type[PlanContentForm], Any]] = {
    "resultado": (ResultForm, _("resultado")),
    "indicador": (IndicatorForm, _("indicador")),
    "producto": (ProductForm, _("producto")),
    "subproducto": (SubproductForm, _("subproducto")),
}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la modificación"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
