from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from planea.core.form_fields import choice, model_choice
from planea.core.uploads import check_upload
from planea.documents.services import COPY_LENGTH, DEFAULT_CLOSING, DOCUMENT_TYPES, MAX_COPIES
from planea.org.models import Person


class StartCaseForm(forms.Form):
    title = forms.CharField(label=_("Título del expediente"), max_length=200)
    subject = forms.CharField(label=_("Se refiere a"), max_length=200)

    def __init__(self, *args: Any, subject_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if subject_label:
            self.fields["subject"].label = subject_label


TEXT_LENGTH = 5000  # a step's comment or observations: a page of text, not a document (attach one)


class CompleteForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Resultado"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "required": _("Elija el resultado de la decisión."),
            "invalid_choice": _("Elija el resultado de la decisión."),
        },
    )
    return_to = forms.ChoiceField(
        label=_("Paso al que se devuelve"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Elija el paso al que se devuelve el documento.")},
    )
    observations = forms.CharField(
        label=_("Observaciones"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    comment = forms.CharField(
        label=_("Comentario"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=TEXT_LENGTH
    )

    def __init__(
        self,
        *args: Any,
        branches: list[dict[str, Any]] | None = None,
        returns: bool = False,
        sending_back: frozenset[str] = frozenset(),
        return_choices: dict[str, list[tuple[str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`returns`: the step sends the document back; `sending_back`: the branches of its decision that do;
        `return_choices`: for a branch that leads to a return step, where the document may go back."""
        super().__init__(*args, **kwargs)
        self.returns, self.sending_back = returns, sending_back
        self.return_choices = return_choices or {}
        if branches:
            choice(self, "decision").choices = [(b["value"], f"{b['label']} (paso {b['to']})") for b in branches]
            self.fields["decision"].required = True
        else:
            del self.fields["decision"]
            if not returns:  # a step that sends the document back records why
                del self.fields["observations"]
        options = {value: label for listed in self.return_choices.values() for value, label in listed if value}
        if options:
            choice(self, "return_to").choices = list(options.items())
        else:
            del self.fields["return_to"]

    def clean(self) -> dict[str, Any]:
        """Observations when the document goes back, and where it goes back to when the decision must say it."""
        data = super().clean() or {}
        decision = data.get("decision", "")
        goes_back = self.returns or decision in self.sending_back
        if goes_back and "observations" in self.fields and not data.get("observations", "").strip():
            self.add_error("observations", _("Escriba las observaciones por las que el documento se devuelve."))
        allowed = {value for value, _label in self.return_choices.get(decision, []) if value}
        if allowed and data.get("return_to") not in allowed:
            self.add_error("return_to", _("Elija el paso al que se devuelve el documento."))
        if not allowed:
            data["return_to"] = ""
        return data


class AttachForm(forms.Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Archivo (PDF, Word, Excel, OpenDocument o imagen)"))

    def clean_file(self) -> UploadedFile[bytes]:
        upload = self.cleaned_data["file"]
        check_upload(upload, DOCUMENT_TYPES)
        return upload


class OficioForm(forms.Form):
    slot = forms.CharField(widget=forms.HiddenInput)
    addressee = forms.CharField(label=_("Destinatario"), max_length=200)
    addressee_position = forms.CharField(label=_("Cargo del destinatario"), max_length=200)
    subject = forms.CharField(label=_("Asunto"), max_length=300)
    body = forms.CharField(
        label=_("Texto"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Separe los párrafos con una línea en blanco."),
        max_length=8000,
    )
    closing = forms.CharField(
        label=_("Despedida"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=DEFAULT_CLOSING,
        required=False,
        help_text=_("Va sobre la firma; el texto no necesita repetirla. En blanco, el oficio no lleva despedida."),
        max_length=300,
    )
    copies = forms.CharField(
        label=_("Con copia a"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Una oficina o persona por línea; cada una se imprime como «c.c.»."),
        max_length=MAX_COPIES * (COPY_LENGTH + 2),
    )

    def clean_copies(self) -> tuple[str, ...]:
        lines = tuple(line.strip() for line in self.cleaned_data["copies"].splitlines() if line.strip())
        if len(lines) > MAX_COPIES:
            raise forms.ValidationError(_("Indique a lo sumo %(max)s copias, una por línea.") % {"max": MAX_COPIES})
        if any(len(line) > COPY_LENGTH for line in lines):
            raise forms.ValidationError(
                _("Cada copia ocupa una línea de a lo sumo %(max)s caracteres.") % {"max": COPY_LENGTH}
            )
        return lines


class AssignForm(forms.Form):
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Asignar a"),
        queryset=Person.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Elija a una persona con el rol del paso."),
            "invalid_choice": _("Elija a una persona con el rol del paso."),
        },
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "person").queryset = people


class VersionUploadForm(forms.Form):
    file = forms.FileField(label=_("Definición BPMN 2.0 (.bpmn)"))
    note = forms.CharField(label=_("Motivo de la nueva versión"), max_length=500)

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".bpmn", ".xml")):
            raise forms.ValidationError(_("Suba un archivo .bpmn (BPMN 2.0 en XML)."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("El archivo pesa más de 2 MB; una definición BPMN no debería."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("El archivo no está en UTF-8.")) from exc
        if "\x00" in text:
            raise forms.ValidationError(_("El archivo no está en UTF-8 (tiene bytes nulos)."))
        return text


class StepRequestAnswerForm(forms.Form):
    """The answer to a request a step sent to the person's role: a note and, when there is one, a file."""

    answer = forms.CharField(
        label=_("Respuesta"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Qué se entrega y cualquier aclaración para quien lo pidió."),
    )
    file = forms.FileField(label=_("Archivo (opcional)"), required=False)

    def clean_file(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("file")
        if upload:
            check_upload(upload, DOCUMENT_TYPES)
        return upload
