"""Refusals told to the person: a refused operation (a ValidationError of a model or a service, or another error
whose text is for the person, such as a ProcedureError) or a form's errors as one line of a message, and a
model's errors put back on the form that was posted."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def error_text(error: Exception) -> str:
    """The messages of a refused operation as one line (str() of a ValidationError reads as a Python list)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def form_error_text(form: forms.BaseForm) -> str:
    """A form's errors as one line, each after its field's label (a hidden field's, or the form's own, alone);
    each message is a sentence of its own."""
    return " ".join(
        f"{label}: {error}" if (label := form.fields[name].label if name in form.fields else None) else str(error)
        for name, field_errors in form.errors.items()
        for error in field_errors
    )


def add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a model's validation errors on the form: on their field when the form has it, on top otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
