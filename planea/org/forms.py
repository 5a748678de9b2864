from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from planea.core.form_fields import model_choice

from .models import CostCenter, Institution, OrgUnit, Person, RoleAssignment


class OrgUnitForm(forms.ModelForm[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "acronym", "kind", "parent", "active"]
        help_texts = {"code": _("Por ejemplo 11 (subdirección), 11.01.U0 (departamento) u 11.01.U1 (unidad).")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = OrgUnit.objects.order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk__in=OrgUnit.objects.subtree_ids([self.instance.pk]))
        model_choice(self, "parent").queryset = parents


class CostCenterForm(forms.ModelForm[CostCenter]):
    class Meta:
        model = CostCenter
        fields = ["code", "name", "kind", "department", "municipality", "org_unit", "active"]


class InstitutionForm(forms.ModelForm[Institution]):
    class Meta:
        model = Institution
        fields = ["name", "short_name", "address", "phone", "email", "website"]


# The user name in Planea's words: Django's Spanish catalog says «150 carácteres» and «Introduzca».
USERNAME_HELP = _("Hasta 150 caracteres: letras, números y los signos @ . + - _, sin espacios.")


class PersonForm(forms.ModelForm[Person]):
    new_password = forms.CharField(
        label=_("Contraseña"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Obligatoria al crear la cuenta; al editar, déjela vacía para no cambiarla."),
    )

    class Meta:
        model = Person
        fields = ["username", "first_name", "last_name", "email", "position", "org_unit", "phone", "is_active"]
        labels = {"is_active": _("Cuenta activa")}
        help_texts = {"username": USERNAME_HELP}
        # The model's validator and uniqueness check, by their error codes.
        error_messages = {
            "username": {
                "invalid": _("El usuario solo puede tener letras, números y los signos @ . + - _, sin espacios."),
                "unique": _("Ya hay una persona con ese usuario; elija otro."),
            }
        }

    def clean_new_password(self) -> str:
        password = self.cleaned_data.get("new_password", "")
        if not self.instance.pk and not password:
            raise forms.ValidationError(_("Escriba una contraseña inicial para la cuenta nueva."))
        if password:
            validate_password(password, self.instance)
        return password


RoleAssignmentFormSet = forms.inlineformset_factory(
    Person,
    RoleAssignment,
    fields=["role", "org_unit", "active"],
    extra=1,
    can_delete=True,
)
