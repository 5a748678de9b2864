"""Checks every uploaded file passes before anything reads it: size, extension and file signature."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".xlsx": (ZIP,),
    ".pdf": (b"%PDF-",),
    ".docx": (ZIP,),
    ".odt": (ZIP,),
    ".ods": (ZIP,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
# Zip containers are told apart by what they hold: the part that makes them an Office or OpenDocument file.
OFFICE_PARTS = {".xlsx": "xl/workbook.xml", ".docx": "word/document.xml"}
ODF_TYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls/.doc, and Office files protected with a password


def _container_matches(upload: UploadedFile[bytes], suffix: str) -> bool:
    """Whether a zip upload is the Office or OpenDocument file its extension says."""
    if suffix not in OFFICE_PARTS and suffix not in ODF_TYPES:
        return True
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if suffix in OFFICE_PARTS:
                return OFFICE_PARTS[suffix] in archive.namelist()
            first = archive.infolist()[0] if archive.infolist() else None
            # ODF: the first part is "mimetype", stored uncompressed, holding the document's media type.
            return bool(
                first
                and first.filename == "mimetype"
                and first.file_size <= 100
                and archive.read(first).strip() == ODF_TYPES[suffix]
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return False  # damaged, encrypted or compressed in a way Office never writes
    finally:
        upload.seek(0)


def check_upload(upload: UploadedFile[bytes], allowed: tuple[str, ...]) -> None:
    """Raise ValidationError in Spanish when the file is too large, of another type or not what it claims."""
    suffix = PurePath(upload.name or "").suffix.lower()
    name = upload.name or ""
    name = name if len(name) <= 60 else name[:59] + "…"  # as it is echoed in the messages
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
    if head.startswith(OLE) and suffix in (".xlsx", ".docx"):
        raise forms.ValidationError(
            _(
                "El archivo «%(name)s» es de Office antiguo (.xls/.doc) o está protegido con contraseña; ábralo y "
                "guárdelo como %(type)s sin contraseña."
            )
            % {"name": name, "type": suffix}
        )
    if not head.startswith(SIGNATURES.get(suffix, (b"",))) or not _container_matches(upload, suffix):
        raise forms.ValidationError(
            _("El archivo «%(name)s» no es un %(type)s válido o está dañado.") % {"name": name, "type": suffix}
        )


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Archivo de Excel (.xlsx)"))

    def clean_file(self) -> UploadedFile[bytes]:
        upload = self.cleaned_data["file"]
        check_upload(upload, (".xlsx",))
        return upload
