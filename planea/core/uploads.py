"""Checks every uploaded file passes before anything reads it: size, extension and file signature."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (b"PK\x03\x04",),
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def check_upload(upload: UploadedFile, allowed: tuple[str, ...]) -> None:
    """Raise ValidationError in Spanish when the file is too large, of another type or not what it claims."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        raise forms.ValidationError(
            _("El archivo «%(name)s» no es de un tipo permitido; se aceptan: %(types)s.")
            % {"name": name, "types": ", ".join(allowed)}
        )
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("El archivo «%(name)s» pesa %(size).1f MB; el máximo es %(max)s MB.")
            % {"name": name, "size": upload.size / 1024 / 1024, "max": settings.MAX_UPLOAD_MB}
        )
    if upload.size == 0:
        raise forms.ValidationError(_("El archivo «%(name)s» está vacío.") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES.get(suffix, (b"",))):
        raise forms.ValidationError(
            _("El archivo «%(name)s» no es un %(type)s válido o está dañado.") % {"name": name, "type": suffix}
        )


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Archivo de Excel (.xlsx)"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        check_upload(upload, (".xlsx",))
        return upload
