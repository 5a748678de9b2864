"""What an oficio says below its text: the closing the person chose (once, never added by the template) and the
offices that receive a copy, each a «c.c.» line above the file's copy; and the labels of the manual's document
names."""

import re

import pytest

from planea.documents.kinds import DocumentKind, document_label, kind_note
from planea.documents.services import DEFAULT_CLOSING, OficioContent, copy_name, issue_oficio, oficio_html, paragraphs
from planea.org.models import Institution, OrgUnit

pytestmark = pytest.mark.django_db


def rendered(content: OficioContent) -> str:
    """The oficio's page as the PDF is made from it, its markup dropped."""
    html = oficio_html(
        {
            "institution": Institution.current(),
            "unit": OrgUnit.objects.get(code="11.01.U0"),
            "number": "SP-0001-2026",
            "place_date": "Guatemala, 2 de noviembre de 2026",
            "content": content,
            "paragraphs": paragraphs(content.body),
            "closing": paragraphs(content.closing),
            "signer": None,
            "signer_position": "",
        }
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<body>")[1]))


def test_the_closing_is_the_one_chosen_and_appears_once(demo):
    body = "Le traslado los lineamientos.\n\nSin otro particular, me suscribo con muestras de estima."
    text = rendered(OficioContent("Lic. Pérez", "Jefe", "Lineamientos", body, closing="Deferentemente,"))
    assert text.count("Deferentemente,") == 1 and "Atentamente" not in text
    assert text.count("Sin otro particular") == 1  # typed in the text: not added again
    assert rendered(OficioContent("Lic. Pérez", "Jefe", "Lineamientos", "Texto.")).count(DEFAULT_CLOSING) == 1
    assert "Atentamente" not in rendered(OficioContent("Lic. Pérez", "Jefe", "Lineamientos", "Texto.", closing=""))


def test_each_copy_is_a_cc_line_above_the_files_copy(demo):
    copies = ("Dirección General", "Subdirección Financiera", "Auditoría Interna")
    text = rendered(OficioContent("Lic. Pérez", "Jefe", "Comprobantes", "Texto.", copies=copies))
    assert "c.c. Dirección General c.c. Subdirección Financiera c.c. Auditoría Interna c.c. Archivo" in text
    typed = rendered(OficioContent("Lic. Pérez", "Jefe", "Comprobantes", "Texto.", copies=("DG", "Archivo")))
    assert typed.count("c.c. Archivo") == 1 and "c.c. DG c.c. Archivo" in typed  # typed, it is the file's line
    prefixed = rendered(
        OficioContent("Lic. Pérez", "Jefe", "Comprobantes", "Texto.", copies=("c.c. DG", "CC: Archivo"))
    )
    assert "c.c. c.c." not in prefixed and prefixed.count("c.c. Archivo") == 1 and "c.c. DG c.c. Archivo" in prefixed
    assert [copy_name(line) for line in ("c.c. DG", "cc: Auditoría", "C.C.Archivo", "Cecilia López")] == [
        "DG",
        "Auditoría",
        "Archivo",
        "Cecilia López",  # a name that starts with «c» is not a prefix
    ]


def test_an_issued_oficio_keeps_its_closing_and_copies(demo):
    content = OficioContent("Lic. Pérez", "Jefe", "Comprobantes", "Texto.", closing="Cordialmente,", copies=("DG",))
    document = issue_oficio(
        content=content, unit=OrgUnit.objects.get(code="11.01.U0"), actor=demo["jefe_planes_programas"]
    )
    assert document.details["closing"] == "Cordialmente," and document.details["copies"] == ["DG"]


def test_document_labels_drop_the_manuals_trailing_period_and_repeated_type():
    assert document_label("Oficio de envío de planes.") == "Oficio de envío de planes"
    assert document_label("formato para entrega de información.") == "Formato para entrega de información"
    assert document_label("Oficio con Vo. Bo. Firmado y sellado de recibido.") == (
        "Oficio con Vo. Bo. Firmado y sellado de recibido"
    )
    assert document_label("Oficio con Vo. Bo.") == "Oficio con Vo. Bo."
    assert kind_note("Documento", DocumentKind.DOCUMENTO) == ""
    assert kind_note("Oficio de solicitud", DocumentKind.OFICIO_SOLICITUD) == ""
    assert kind_note("Anteproyectos POA y POM", DocumentKind.ANTEPROYECTO) == ""
    assert kind_note("Documento de Anteproyecto", DocumentKind.ANTEPROYECTO) == ""  # said, though not first
    assert kind_note("Solicitud de Catálogo", DocumentKind.OFICIO_SOLICITUD) == "Oficio de solicitud"
