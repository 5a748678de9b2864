"""The generated Manual de Normas y Procedimientos (procedures/manual_pdf.py, flowchart.py): the sections of the 2022
manual with an index that gives their pages, every page inside its paper, flowcharts legible at print size with
every activity's whole text inside the drawing, and the PDF made by the task worker, never inside a request."""

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont

from planea.jobs.models import Job, JobStatus
from planea.procedures import flowchart, manual_front, manual_pdf
from planea.procedures.versions import latest_definitions
from tests.pdf_layout import assert_fits_page, smallest_text

pytestmark = pytest.mark.django_db

SECTIONS = (
    "Acuerdo de aprobación",
    "Índice",
    "I. Introducción",
    "II. Marco legal",
    "III. Simbología utilizada",
    "IV. Acrónimos",
    "V. Codificación del Departamento de Planes y Programas",
    "VI. Hoja de aprobación del manual de procedimientos",
    "VII. Registro de procedimientos del Departamento de Planes y Programas",
    "VIII. Glosario",
    "IX. Hoja de elaboración",
    "X. Hoja de diseño y aprobación",
)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_manual_has_the_sections_of_the_2022_manual_and_fits_its_pages(demo):
    pages = assert_fits_page(manual_pdf.render_manual())
    text = " ".join(" ".join(page.text for page in pages).split())  # a wrapped line goes on after a space
    for section in SECTIONS:
        assert section in text, section
    definitions = latest_definitions()
    for definition in definitions:
        assert definition.code in text and definition.name in text
    # Texts of the manual: the agreement, the legal frame, an acronym, a glossary term, the coding.
    assert manual_front.AGREEMENT_NUMBER in text and "Ley Orgánica del Presupuesto" in text
    assert "SEGEPLAN" in text and "Subproducto" in text and "11.01.U0" in text
    # Signature blocks name who holds the role today.
    assert demo["jefe_planes_programas"].get_full_name() in text
    assert demo["subdirector_planificacion"].get_full_name() in text
    # The index gives the page each section starts on.
    index = next(page for page in pages if "Índice" in page.text and "VIII. Glosario" in page.text)
    for section in ("VIII. Glosario", "X. Hoja de diseño y aprobación", f"1. {definitions[0].name}"):
        line = next(line.text for line in index.lines if line.text.startswith(section))
        number = int(re.search(r"(\d+)$", line)[1])
        assert any(line.text == section for line in pages[number - 1].lines), (section, number)
    # Each flowchart on pages of its own, its text at least 7 points.
    charts = [page for page in pages if any(line.text.startswith("Diagrama de flujo") for line in page.lines)]
    assert len(charts) >= len(definitions)
    assert smallest_text(charts) >= flowchart.MIN_TEXT
    assert any(page.landscape for page in charts) and any(not page.landscape for page in charts)


def _width(text: str, size: float, font: TTFont) -> float:
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    units = font["head"].unitsPerEm
    return sum(hmtx[cmap.get(ord(ch), cmap[ord("?")])][0] for ch in text) * size / units


def test_every_activity_is_written_whole_inside_its_flowchart(demo):
    regular, bold = TTFont(FONT), TTFont(BOLD)
    for definition in latest_definitions():
        pages = flowchart.flowchart_pages(definition.steps, width=482, height=600)
        written = ""
        for page in pages:
            assert page.width <= 482 and page.height <= 600
            root = ElementTree.fromstring(page.svg)
            for element in root.iter("{http://www.w3.org/2000/svg}text"):
                size = float(element.get("font-size", "0"))
                assert size >= flowchart.MIN_TEXT
                font = bold if element.get("font-weight") == "bold" else regular
                width, x = _width(element.text or "", size, font), float(element.get("x", "-1"))
                left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor")]
                assert 0 <= left and left + width <= page.width, (definition.code, element.text)
                written += element.text or ""
        for step in definition.steps:
            if step["activity"].lower().startswith("archiva"):  # the archive symbol: its number and an A
                continue
            assert re.sub(r"\s", "", step["activity"]) in re.sub(r"\s", "", written), (definition.code, step["number"])


def test_the_manual_is_made_by_the_worker_and_kept_for_what_it_is_made_of(client_as, demo, media, monkeypatch):
    client = client_as("enlace_area")
    page = client.get("/procedimientos/manual.pdf")
    assert "Generar el manual" in page.content.decode() and not Job.objects.exists()
    response = client.post("/procedimientos/manual.pdf")
    job = Job.objects.get(kind="manual")
    assert response["Location"] == f"/trabajos/{job.pk}/"
    manual_pdf.render_manual_job.call(str(job.pk))  # what the worker runs
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.total == len(latest_definitions()) + 1
    assert 'href="/procedimientos/manual.pdf"' in client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    pdf = client.get("/procedimientos/manual.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert list(Path(media, "manual").glob("manual-*.pdf"))
    # Kept: asking again renders nothing; a new signer makes it anew.
    monkeypatch.setattr(manual_pdf, "render_manual", lambda progress=None: pytest.fail("rendered again"))
    assert client.get("/procedimientos/manual.pdf").content == pdf.content
    jefe = demo["jefe_planes_programas"]
    jefe.last_name = "Otro Apellido"
    jefe.save()
    assert "Generar el manual" in client.get("/procedimientos/manual.pdf").content.decode()


def test_a_definition_with_a_lane_per_role_still_draws_every_activity():
    """A definition may name every role: the chart grows wider than the page (the manual scales it to the page)
    instead of squeezing the boxes to nothing."""
    from planea.org.roles import Role

    roles = list(Role.values)
    steps: list[dict[str, Any]] = [
        {
            "number": str(n),
            "activity": f"Actividad de {role} con un texto largo que ocupa varias líneas del recuadro.",
            "role": role,
            "documents": [{"name": "Oficio de solicitud", "use": "produce"}],
            "next": [str(n + 1) if n + 1 < len(roles) else "end"],
            "decision": "",
            "branches": [],
        }
        for n, role in enumerate(roles)
    ]
    pages = flowchart.flowchart_pages(steps, width=706, height=425)
    assert pages[0].width >= 150 * len(roles) and all(p.height <= 425 for p in pages)
    written = "".join("".join(ElementTree.fromstring(p.svg).itertext()) for p in pages)
    assert all(re.sub(r"\s", "", s["activity"]) in re.sub(r"\s", "", written) for s in steps)
