"""Documents of a case as they are uploaded and served: a long name keeps its type; an uploaded file is always
downloaded under a sandboxing policy while Planea's own PDFs open in the browser; a missing file is a Spanish 404;
OpenDocument and Office files are checked by what they hold, not only by their first bytes."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planea.documents.models import Document
from planea.procedures.drive import PDF, ready, step_through
from planea.procedures.models import Case, CaseTask

pytestmark = pytest.mark.django_db
SLOT = "Oficio Dirección General"


def p1_step_1(client) -> tuple[Case, CaseTask]:
    client.post("/procedimientos/11.01.U0.P1/iniciar/", {"title": "PEI 2027-2031", "subject": "Versión 2"})
    case = Case.objects.get(title="PEI 2027-2031")
    return case, ready(case)[0]


def attach(client, task, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content)
    return client.post(f"/pasos/{task.pk}/documento/", {"s0-slot": SLOT, "s0-file": upload}, follow=True)


def zipped(parts: dict[str, bytes], first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(parts.items()):
            method = zipfile.ZIP_STORED if first_stored and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


ODT = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"},
    first_stored=True,
)


def test_a_long_name_keeps_its_type_and_an_upload_is_served_as_a_sandboxed_download(client_as):
    client = client_as("subdirector_planificacion")
    case, task = p1_step_1(client)
    name = "Oficio de la Dirección General " + "muy largo " * 40 + ".pdf"
    assert "agregado" in attach(client, task, name, PDF).content.decode()
    document = Document.objects.get(attachments__task=task)
    assert document.original_name.endswith(".pdf") and len(document.original_name) <= 255
    assert document.file.name.endswith(".pdf") and document.content_type == "application/pdf"
    response = client.get(f"/expedientes/{case.pk}/documentos/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and ".pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_planea_own_pdfs_open_in_the_browser(client_as):
    client = client_as("subdirector_planificacion")
    case, _task = p1_step_1(client)
    step_through(case, until="2")
    task = ready(case)[0]
    client.post(
        f"/pasos/{task.pk}/oficio/",
        {
            "o0-slot": "Oficio de la Subdirección de Planificación",
            "o0-addressee": "Lic. Marco Antonio Pérez Ajú",
            "o0-addressee_position": "Jefe del Departamento de Planes y Programas",
            "o0-subject": "Traslado de lineamientos",
            "o0-body": "Texto.",
        },
    )
    oficio = task.attachments.get().document
    response = client.get(f"/expedientes/{case.pk}/documentos/{oficio.pk}/")
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" not in response.get("Content-Security-Policy", "")
    download = client.get(f"/expedientes/{case.pk}/documentos/{oficio.pk}/?descargar=1")
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_document_whose_file_is_missing_is_a_spanish_404(client_as):
    client = client_as("subdirector_planificacion")
    case, task = p1_step_1(client)
    attach(client, task, "oficio.pdf", PDF)
    document = Document.objects.get(attachments__task=task)
    document.file.delete(save=False)
    response = client.get(f"/expedientes/{case.pk}/documentos/{document.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("acta.odt", ODT, True),
        ("acta.odt", zipped({"content.xml": b"<x/>"}), False),  # a zip, but no OpenDocument
        ("cuadro.ods", ODT, False),  # a text document named as a spreadsheet
        ("informe.docx", zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), True),
        ("informe.docx", zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}), False),
        ("informe.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, False),  # old .doc or protected
    ],
)
def test_office_and_opendocument_files_are_checked_by_what_they_hold(client_as, name, content, accepted):
    client = client_as("subdirector_planificacion")
    _case, task = p1_step_1(client)
    page = attach(client, task, name, content).content.decode()
    assert ("agregado" in page) is accepted
    if not accepted:
        assert "no es un" in page or "protegido con contraseña" in page
    assert task.attachments.exists() is accepted


def _central_patch(data: bytes, offset: int, value: int, *, mask: bool = False) -> bytes:
    """Change a field of the first central directory header (8: flags, 10: compression method)."""
    raw = bytearray(data)
    start = raw.find(b"PK\x01\x02")
    if mask:
        raw[start + offset] |= value
    else:
        raw[start + offset : start + offset + 2] = value.to_bytes(2, "little")
    return bytes(raw)


@pytest.mark.parametrize(
    "content",
    [_central_patch(ODT, 8, 0x1, mask=True), _central_patch(ODT, 10, 98)],
    ids=["encrypted mimetype", "compression method 98"],
)
def test_a_damaged_opendocument_is_refused_not_a_500(client_as, content):
    client = client_as("subdirector_planificacion")
    _case, task = p1_step_1(client)
    page = attach(client, task, "acta.odt", content)
    assert page.status_code == 400 and "no es un .odt válido" in page.content.decode()
    assert not task.attachments.exists()
