"""A form's fields by kind, for a form that narrows them when it is built (its choices, its queryset)."""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The field `name` of `form`, a choice (or choices) of stored rows."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), name
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The field `name` of `form`, a choice among fixed values."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field
