"""The *Manual de Normas y Procedimientos* generated from the current definitions, as the 2022 manual is laid out:
approval agreement, index with page numbers, introduction, legal frame, symbols, acronyms, coding, approval sheet,
then each procedure (header table, activity table, and its swimlane flowchart on pages of its own, at print size),
glossary, and the elaboration and approval sheets with their signature blocks — as a PDF (WeasyPrint).

Rendering takes seconds: the PDF is kept for what it is made of (`manual_key`), and made by the task worker with
the job's progress bar when it is not there yet, never inside a request."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from planea.jobs.responses import started
from planea.jobs.services import running, set_result
from planea.org.models import Institution, OrgUnit, Person
from planea.org.roles import Role

from . import manual_front
from .flowchart import archive, connector, diamond, document, flowchart_pages, operation, page_connector, terminator
from .people import holders
from .versions import latest_definitions

# The flowchart's room on a page, in points: letter paper less the manual's margins and the chart's heading.
PORTRAIT_CHART = (612 - 2 * 65, 792 - 85 - 68 - 40)
LANDSCAPE_CHART = (792 - 2 * 43, 612 - 85 - 62 - 40)
SAMPLE_W, SAMPLE_H = 150, 50


def _sample(key: str) -> str:
    cx, cy = SAMPLE_W / 2, SAMPLE_H / 2
    drawings = {
        "terminator": terminator(cx, cy, "Inicio"),
        "operation": operation(cx, cy, "1", "Actividad", 110),
        "decision": diamond(cx, cy),
        "document": document(cx - 29, cy, "Oficio"),
        "archive": archive(cx, cy, ""),
        "page_connector": page_connector(cx, cy, "5"),
        "connector": connector(cx, cy, "4"),
        "flow": f'<line x1="20" y1="{cy}" x2="{SAMPLE_W - 24}" y2="{cy}" stroke="#333" stroke-width="0.9" '
        'marker-end="url(#flecha)"/>',
    }
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SAMPLE_W} {SAMPLE_H}" width="{SAMPLE_W}pt" '
        f'height="{SAMPLE_H}pt"><defs><marker id="flecha" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
        f"{drawings[key]}</svg>"
    )
    return base64.b64encode(svg.encode()).decode()


def _signer(role: str) -> Person | None:
    unit = OrgUnit.objects.filter(code="11.01.U0").first()
    return holders(role, unit).first() if role and unit is not None else None


def _stages(stages: tuple[tuple[str, str, str], ...]) -> list[dict[str, Any]]:
    return [{"stage": stage, "person": _signer(role), "position": position} for stage, role, position in stages]


def render_manual(progress: Callable[[int, int], None] | None = None) -> bytes:
    from weasyprint import HTML  # slow to import; only when a PDF is made

    report = progress or (lambda done, total: None)
    definitions = latest_definitions()
    procedures = []
    for done, definition in enumerate(definitions):
        report(done, len(definitions) + 1)
        roles = {s["role"] for s in definition.steps}
        landscape = len(roles) > 2  # three lanes and more take the page's width
        width, height = LANDSCAPE_CHART if landscape else PORTRAIT_CHART
        pages = flowchart_pages(definition.steps, width=width, height=height)
        procedures.append(
            {
                "definition": definition,
                "header": definition.header,
                "steps": [{**s, "role_label": Role(s["role"]).label} for s in definition.steps],
                "charts": [
                    {"svg": base64.b64encode(p.svg.encode("utf-8")).decode(), "width": p.width, "height": p.height}
                    for p in pages
                ],
                "landscape": landscape,
            }
        )
    report(len(definitions), len(definitions) + 1)
    approver_role, approver_position = manual_front.MANUAL_APPROVER
    with translation.override("es"):
        html = render_to_string(
            "procedures/manual_pdf.html",
            {
                "institution": Institution.current(),
                "unit": OrgUnit.objects.filter(code="11.01.U0").first(),
                "procedures": procedures,
                "front": manual_front,
                "symbols": [(name, text, _sample(key)) for key, name, text in manual_front.SYMBOLS],
                "approver": {"person": _signer(approver_role), "position": approver_position},
                "elaboration": _stages(manual_front.ELABORATION_STAGES),
                "approval": _stages(manual_front.APPROVAL_STAGES),
                "generated": timezone.localtime(),
            },
        )
    return HTML(string=html).write_pdf()


def manual_key() -> str:
    """What the manual is made of: every current definition (by its hash), the institution's letterhead and the
    people who sign its sheets."""
    institution = Institution.current()
    parts = [f"{d.code}:{d.sha256}" for d in latest_definitions()]
    parts.append(repr(sorted(model_to_dict(institution).items())) if institution else "")
    roles = [manual_front.MANUAL_APPROVER[0]] + [r for _s, r, _p in manual_front.APPROVAL_STAGES]
    for role in roles + [r for _s, r, _p in manual_front.ELABORATION_STAGES]:
        signer = _signer(role)
        parts.append(f"{role}:{signer.pk}:{signer.get_full_name()}:{signer.position}" if signer else role)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def _path() -> Path:
    return Path(settings.MEDIA_ROOT) / "manual" / f"manual-{manual_key()}.pdf"


def cached_manual(progress: Callable[[int, int], None] | None = None) -> bytes:
    """The manual, rendered once for what it is made of and kept in the media folder: it is not rendered again
    unless a definition, the letterhead or a signer changed."""
    path = _path()
    if path.exists():
        return path.read_bytes()
    content = render_manual(progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(path)  # atomic: a concurrent reader sees the whole file or none
    return content


@task()
def render_manual_job(job_id: str) -> None:
    with running(job_id) as progress:
        cached_manual(lambda done, total: progress(done, total, _("Dibujando los diagramas de flujo…")))
        set_result(job_id, {"manual": manual_key()}, _("Manual de Normas y Procedimientos generado."))


def manual_pdf(request: HttpRequest) -> HttpResponse:
    """The manual when it is made; otherwise a page that offers to make it (GET) and the job that makes it (POST),
    whose page leads back here."""
    path = _path()
    if path.exists():
        response = HttpResponse(path.read_bytes(), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="manual-de-normas-y-procedimientos.pdf"'
        return response
    if request.method != "POST":
        return render(request, "procedures/manual_pending.html")
    return started(
        request,
        task=render_manual_job,
        kind="manual",
        title=_("Manual de Normas y Procedimientos"),
        actor=request.user,
        next_url=reverse("procedures:manual_pdf"),
    )
