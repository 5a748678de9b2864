"""Types of official documents named in the manual, and the type of each document name in its activity tables."""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    OFICIO = "oficio", _("Oficio")
    OFICIO_SOLICITUD = "oficio_solicitud", _("Oficio de solicitud")
    FICHA_TECNICA = "ficha_tecnica", _("Ficha técnica")
    INFORME = "informe", _("Informe")
    PROGRAMA = "programa", _("Programa")
    REGISTRO_ASISTENCIA = "registro_asistencia", _("Registro de asistencia")
    COMPROBANTE = "comprobante", _("Comprobante de ejecución")
    REPORTE = "reporte", _("Reporte")
    CATALOGO_INSUMOS = "catalogo_insumos", _("Catálogo de insumos")
    MATRIZ_INSUMOS = "matriz_insumos", _("Matriz de insumos")
    PRESUPUESTO = "presupuesto", _("Presupuesto")
    ANTEPROYECTO = "anteproyecto", _("Anteproyecto")
    PRESENTACION = "presentacion", _("Presentación")
    FORMATO = "formato", _("Formato")
    CUADROS = "cuadros_estadisticos", _("Cuadros y gráficos estadísticos")
    GUIA = "guia", _("Guía o lineamiento")
    DOCUMENTO = "documento", _("Documento")


OFICIO_KINDS = frozenset({DocumentKind.OFICIO, DocumentKind.OFICIO_SOLICITUD})

# First matching prefix wins: the order matters ("oficio de solicitud" before "oficio").
PREFIXES: tuple[tuple[str, DocumentKind], ...] = (
    ("oficio de solicitud", DocumentKind.OFICIO_SOLICITUD),
    ("solicitud", DocumentKind.OFICIO_SOLICITUD),
    ("oficio", DocumentKind.OFICIO),
    ("recepcion de oficios", DocumentKind.OFICIO),
    ("ficha", DocumentKind.FICHA_TECNICA),
    ("informe", DocumentKind.INFORME),
    ("programa", DocumentKind.PROGRAMA),
    ("registro de asistencia", DocumentKind.REGISTRO_ASISTENCIA),
    ("comprobante", DocumentKind.COMPROBANTE),
    ("reporte", DocumentKind.REPORTE),
    ("catalogo", DocumentKind.CATALOGO_INSUMOS),
    ("matriz", DocumentKind.MATRIZ_INSUMOS),
    ("presupuesto", DocumentKind.PRESUPUESTO),
    ("anteproyecto", DocumentKind.ANTEPROYECTO),
    ("documento de anteproyecto", DocumentKind.ANTEPROYECTO),
    ("presentacion", DocumentKind.PRESENTACION),
    ("formato", DocumentKind.FORMATO),
    ("cuadros", DocumentKind.CUADROS),
    ("guia", DocumentKind.GUIA),
    ("lineamientos", DocumentKind.GUIA),
)


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def kind_for(name: str) -> DocumentKind:
    """The document type of a name as the manual writes it ("Oficio de solicitud", "Ficha Técnica", …)."""
    text = plain(name)
    if text.startswith("documento de anteproyecto") or text.startswith("anteproyectos"):
        return DocumentKind.ANTEPROYECTO
    for prefix, kind in PREFIXES:
        if text.startswith(prefix):
            return kind
    return DocumentKind.DOCUMENTO


def document_label(name: str) -> str:
    """A document's name as a label on screen: as the manual names it, without its trailing period and with a
    capital first letter ("formato para entrega de información." → "Formato para entrega de información")."""
    label = name.strip()
    while label.endswith(".") and not label.endswith(("Vo.", "Bo.", "No.")):
        label = label[:-1].rstrip()
    return label[:1].upper() + label[1:]


def kind_note(name: str, kind: str) -> str:
    """The type of a document, to show after its name when the name does not already say it ("Documento" is a
    Documento, "Oficio de solicitud" an Oficio de solicitud, "Documento de Anteproyecto" an Anteproyecto: nothing
    to add)."""
    label = str(DocumentKind(kind).label)
    words, kind_words = plain(name).split(), plain(label).split()
    said = any(  # the type's words in the name, each maybe in the plural ("Anteproyectos")
        all(word.startswith(kind_word) for word, kind_word in zip(words[i:], kind_words, strict=False))
        and len(words) - i >= len(kind_words)
        for i in range(len(words))
    )
    return "" if said else label
