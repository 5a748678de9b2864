"""Refusals told to the person: a refused operation (a ValidationError of a model or a service, or another error
whose text is for the person, such as a ProcedureError) or a form's errors as one line of a message, and a
model's errors put back on the form that was posted."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse


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


def add_refusal(form: forms.BaseForm, error: Exception) -> None:
    """Put a refused operation's reason on the form that asked for it: a model's errors on their fields, any other
    reason on top of the form."""
    if isinstance(error, ValidationError):
        add_model_errors(form, error)
    else:
        form.add_error(None, error_text(error))


# An answer to HTMX that is a form refused, shown again with its errors (400): planea.js swaps it in like an
# answer that succeeded, where other 4xx answers are not swapped.
REFUSED_FORM_HEADER = "Planea-Refused-Form"


def mark_refused_form(response: HttpResponse) -> HttpResponse:
    response[REFUSED_FORM_HEADER] = "1"
    return response
