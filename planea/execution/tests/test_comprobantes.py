"""The comprobantes of an approved month: numbered (consolidated 00, one per area), with the approved figures, who
registered, authorized and approved and when, and the SHA-256 of the figures; they fit their pages at national-scale
numbers; the verification page, from the printed number, says they are unchanged, names a figure changed around the
locks, and says when a stored approval was altered."""

from typing import Any

import pytest
from django.db import connection

from planea.execution import comprobantes
from planea.execution.models import ApprovedRevision, ExecutedGoal, executed_column
from planea.operations import goals
from tests.pdf_layout import assert_fits_page

from .p6 import through_approval

pytestmark = pytest.mark.django_db

BIGGEST = 2_147_483_647


def approved(poa: Any, demo: Any, month: int = 1) -> ApprovedRevision:
    return ApprovedRevision.objects.get(execution_month=through_approval(poa, month, demo))


def test_each_area_and_the_consolidated_have_a_numbered_comprobante_that_fits_its_pages(poa, demo):
    (subproduct, center, _y, _m), _v = next(
        (key, v) for key, v in goals.values_of(poa, attr="current").items() if key[3] == 1 and v
    )
    with connection.cursor() as cursor:  # national-scale figures: the largest a goal holds
        cursor.execute(
            "UPDATE operations_physicalgoal SET planned_1 = %s, current_1 = %s WHERE plan_id = %s "
            "AND subproduct_id = %s AND cost_center_id = %s",
            [BIGGEST, BIGGEST, poa.pk, subproduct, center],
        )
    revision = approved(poa, demo)
    made = comprobantes.generate(revision, actor=demo["subdirector_planificacion"])
    areas = comprobantes.areas_of(revision)
    assert [c.number for c in made] == [f"CE-POA-2026-01-R1-{n:02d}" for n in range(len(areas) + 1)]
    assert made[0].org_unit is None and [c.org_unit for c in made[1:]] == areas
    consolidated = made[0].document
    assert consolidated.kind == "comprobante" and consolidated.number == made[0].number
    with consolidated.file.open("rb") as stream:
        pages = assert_fits_page(stream.read())
    text = " ".join(line.text for page in pages for line in page.lines)
    assert "No. CE-POA-2026-01-R1-00" in text and revision.sha256 in text.replace(" ", "")
    assert "2,147,483,647" in text
    assert str(demo["profesional_planes_programas"].get_full_name()) in text
    assert "Consolidado institucional" in text


def test_the_verification_page_checks_the_figures_from_the_printed_number(poa, demo, client_as):
    revision = approved(poa, demo)
    consolidated, *_ = comprobantes.generate(revision, actor=demo["subdirector_planificacion"])
    client = client_as("enlace_area")  # anyone inside the institution
    page = client.get("/ejecucion/comprobantes/verificar/", {"numero": consolidated.number.lower()})
    assert page.status_code == 200 and b'data-testid="verify-ok"' in page.content
    assert consolidated.document.sha256.encode() in page.content
    row = ExecutedGoal.objects.filter(plan=poa).order_by("pk").first()
    with connection.cursor() as cursor:  # a change around every lock: straight in the database
        cursor.execute(
            f"UPDATE execution_executedgoal SET {executed_column(1)} = {executed_column(1)} + 1 WHERE id = %s",
            [row.pk],
        )
    page = client.get("/ejecucion/comprobantes/verificar/", {"numero": consolidated.number})
    assert b'data-testid="verify-changed"' in page.content
    assert f"{row.subproduct.code} · {row.cost_center.code}".encode() in page.content
    with connection.cursor() as cursor:
        cursor.execute("UPDATE execution_approvedrevision SET figures = %s WHERE id = %s", ["[]", revision.pk])
    page = client.get("/ejecucion/comprobantes/verificar/", {"numero": consolidated.number})
    assert b'data-testid="verify-altered"' in page.content
    unknown = client.get("/ejecucion/comprobantes/verificar/", {"numero": "CE-NO-EXISTE"})
    assert (
        unknown.status_code == 404 and "No hay un comprobante con el número «CE-NO-EXISTE»" in unknown.content.decode()
    )
    assert client.get(f"/ejecucion/comprobantes/{consolidated.number}.pdf").status_code == 403  # not their area's
    download = client_as("jefe_planes_programas").get(f"/ejecucion/comprobantes/{consolidated.number}.pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_month_page_says_while_the_rest_of_the_comprobantes_are_being_made(poa, demo, client_as):
    month = through_approval(poa, 1, demo)
    revision = ApprovedRevision.objects.get(execution_month=month)

    def stopped_after_the_first(done: int, total: int, message: str = "") -> None:
        if done == 1:
            raise RuntimeError("el trabajo se detuvo")

    with pytest.raises(RuntimeError):
        comprobantes.generate(revision, actor=demo["subdirector_planificacion"], progress=stopped_after_the_first)
    client = client_as("director_general")
    page = client.get(f"/ejecucion/meses/{month.pk}/").content.decode()
    assert "CE-POA-2026-01-R1-00" in page and 'data-testid="comprobantes-preparing"' in page
    comprobantes.generate(revision, actor=demo["subdirector_planificacion"])
    assert 'data-testid="comprobantes-preparing"' not in client.get(f"/ejecucion/meses/{month.pk}/").content.decode()
