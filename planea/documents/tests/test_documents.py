"""Official documents: correlative numbers per issuing unit and year, PDF oficios, immutability, hashes."""

import hashlib

import pytest

from planea.documents.kinds import DocumentKind, kind_for
from planea.documents.models import Document, ImmutableDocumentError
from planea.documents.numbering import format_number
from planea.documents.services import OficioContent, issue_oficio
from planea.org.models import OrgUnit
from tests.pdf_layout import assert_fits_page

pytestmark = pytest.mark.django_db


def test_kinds_from_the_manual_names():
    assert kind_for("Oficio de solicitud") == DocumentKind.OFICIO_SOLICITUD
    assert kind_for("Oficio Dirección General") == DocumentKind.OFICIO
    assert kind_for("Ficha Técnica") == DocumentKind.FICHA_TECNICA
    assert kind_for("Registro de Asistencia") == DocumentKind.REGISTRO_ASISTENCIA
    assert kind_for("Matriz de Insumos") == DocumentKind.MATRIZ_INSUMOS
    assert kind_for("Catálogo de Insumos") == DocumentKind.CATALOGO_INSUMOS
    assert kind_for("Presupuesto del IGM") == DocumentKind.PRESUPUESTO
    assert kind_for("Documento de Anteproyecto") == DocumentKind.ANTEPROYECTO
    assert kind_for("Reporte") == DocumentKind.REPORTE
    assert kind_for("Documento") == DocumentKind.DOCUMENTO


def test_oficios_are_numbered_per_unit_and_year_and_never_change(demo):
    jefe = demo["jefe_planes_programas"]
    pyp = OrgUnit.objects.get(code="11.01.U0")
    content = OficioContent("Licda. Ana Herrera", "Subdirectora de Planificación", "Revisión del PEI", "Texto.")
    first = issue_oficio(content=content, unit=pyp, actor=jefe)
    second = issue_oficio(content=content, unit=pyp, actor=jefe)
    other = issue_oficio(content=content, unit=OrgUnit.objects.get(code="11"), actor=demo["subdirector_planificacion"])
    year = first.created_at.year
    assert [first.number, second.number, other.number] == [f"PyP-0001-{year}", f"PyP-0002-{year}", f"SP-0001-{year}"]
    data = first.file.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == first.sha256 and first.size == len(data)
    assert first.details["subject"] == "Revisión del PEI"
    first.title = "otro"
    with pytest.raises(ImmutableDocumentError):
        first.save()
    with pytest.raises(ImmutableDocumentError):
        Document.objects.filter(pk=first.pk).update(title="x")
    with pytest.raises(ImmutableDocumentError):
        Document.objects.filter(pk=first.pk).delete()
    assert format_number("PyP", 42, 2026) == "PyP-0042-2026"


def test_unit_without_acronym_uses_its_initials(demo):
    unit = OrgUnit.objects.get(code="12.01.U0")
    assert unit.document_prefix() == "DR"


def test_a_long_oficio_fits_its_pages_with_their_numbers(demo):
    """8,000 characters of body, a link that no space breaks and a long subject: every line inside the page, and
    "Página N de M" in the footer's font on every page, clear of the address."""
    paragraph = "El Departamento de Planes y Programas remite la programación de metas físicas del ejercicio. " * 9
    body = "\n\n".join([paragraph] * 10 + ["https://igm.gob.gt/" + "documentos-de-planificacion/" * 8])
    assert len(body) > 8_000
    content = OficioContent(
        "Licenciada María de los Ángeles Hernández Castañeda de Quiñónez",
        "Subdirectora de Planificación y Desarrollo Institucional",
        "Remisión del anteproyecto del Plan Operativo Anual 2026 y del Plan Operativo Multianual 2026-2030 " * 2,
        body,
    )
    oficio = issue_oficio(
        content=content, unit=OrgUnit.objects.get(code="11.01.U0"), actor=demo["jefe_planes_programas"]
    )
    pages = assert_fits_page(oficio.file.read())
    assert len(pages) >= 3 and "documentos-de-planificacion" in pages[-2].text + pages[-1].text
