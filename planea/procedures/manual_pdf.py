"""The *Manual de Normas y Procedimientos* generated from the current definitions: header tables, activity
tables and one swimlane flowchart per procedure, as a PDF (WeasyPrint)."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from planea.org.models import Institution, OrgUnit
from planea.org.roles import Role

from .flowchart import archive, connector, diamond, document, flowchart_svg, operation, terminator
from .versions import latest_definitions

SYMBOLS = (
    ("Inicio o fin", "terminator"),
    ("Operación", "operation"),
    ("Decisión", "decision"),
    ("Documento", "document"),
    ("Archivo", "archive"),
    ("Conector", "connector"),
)


def render_manual() -> bytes:
    from weasyprint import HTML

    samples = {
        "terminator": terminator(50, 22, "Inicio"),
        "operation": operation(70, 30, "1", "Actividad"),
        "decision": diamond(50, 25, ""),
        "document": document(28, 25, "Oficio"),
        "archive": archive(50, 28, ""),
        "connector": connector(50, 25, "4"),
    }
    symbols = [
        (
            label,
            base64.b64encode(
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 140 60">{samples[key]}</svg>'.encode()
            ).decode(),
        )
        for label, key in SYMBOLS
    ]
    procedures = []
    for definition in latest_definitions():
        svg = flowchart_svg(definition.steps)
        procedures.append(
            {
                "definition": definition,
                "header": definition.header,
                "steps": [{**s, "role_label": Role(s["role"]).label} for s in definition.steps],
                "chart": base64.b64encode(svg.encode("utf-8")).decode(),
            }
        )
    with translation.override("es"):
        html = render_to_string(
            "procedures/manual_pdf.html",
            {
                "institution": Institution.current(),
                "unit": OrgUnit.objects.filter(code="11.01.U0").first(),
                "procedures": procedures,
                "symbols": symbols,
                "generated": timezone.localtime(),
            },
        )
    return HTML(string=html).write_pdf()


def manual_key() -> str:
    """What the manual is made of: every current definition (by its hash) and the institution's letterhead."""
    institution = Institution.current()
    parts = [f"{d.code}:{d.sha256}" for d in latest_definitions()]
    parts.append(repr(sorted(model_to_dict(institution).items())) if institution else "")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def cached_manual() -> bytes:
    """The manual, rendered once for what it is made of and kept in the media folder: a request does not render
    it again (it takes seconds, more with long definitions) unless a definition or the letterhead changed."""
    path = Path(settings.MEDIA_ROOT) / "manual" / f"manual-{manual_key()}.pdf"
    if path.exists():
        return path.read_bytes()
    content = render_manual()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(path)  # atomic: a concurrent reader sees the whole file or none
    return content


def manual_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(cached_manual(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="manual-de-normas-y-procedimientos.pdf"'
    return response
