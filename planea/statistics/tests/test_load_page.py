"""The load page of the statistics: the template of a year to download, the upload of a filled template or a CSV
(inside the request when small, as a background job when large; all or nothing, the errors by sheet, row and
column), and the list of batches, the latest first. Estadística loads; planning reads; others are refused."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from planea.jobs.models import Job, JobStatus
from planea.statistics.models import StatisticalVariable, StatisticsBatch, StatisticYear
from planea.statistics.tests import rows as statistic_rows
from planea.strategy.models import UnitOfMeasure

pytestmark = pytest.mark.django_db
GOOD_CSV = b"variable,centro_costo,mes,valor\nCTRL-TERR,0201,2025-01,65142\nCTRL-TERR,0202,2025-01,34743\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def variables(plans):
    land = plans["land"]
    documents = UnitOfMeasure.objects.get_or_create(name="Documento")[0]
    return (
        StatisticalVariable.objects.create(
            code="CTRL-TERR", name="Personas en puestos terrestres", unit=land.unit, subproduct=land
        ),
        StatisticalVariable.objects.create(code="PAS-EMIT", name="Pasaportes", unit=documents, per_cost_center=False),
    )


def csv_upload(data: bytes = GOOD_CSV, name: str = "enero.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def template_of(client, year: int) -> bytes:
    response = client.get(f"/estadisticas/plantilla/?anio={year}")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f'filename="estadisticas-{year}.xlsx"' in response["Content-Disposition"]
    return response.content


def filled(data: bytes, changes: dict[tuple[int, int], int | str]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Estadísticas"]
    for (row, column), value in changes.items():
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_page_offers_this_year_and_previous_ones_and_lists_no_batch_yet(variables, client_as):
    page = client_as("estadistica").get("/estadisticas/cargar/")
    html = page.content.decode()
    this_year = timezone.localdate().year
    assert page.status_code == 200
    assert f'<option value="{this_year}">' in html and f'<option value="{this_year - 1}">' in html
    assert f'<option value="{this_year + 1}">' not in html
    assert "Todavía no se ha cargado ninguna estadística." in html
    assert 'action="/estadisticas/cargar/archivo/"' in html


def test_the_template_of_a_year_downloads_with_its_rows(variables, client_as):
    year = timezone.localdate().year - 1
    sheet = load_workbook(io.BytesIO(template_of(client_as("estadistica"), year)))["Estadísticas"]
    codes = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert codes == {"CTRL-TERR", "PAS-EMIT"}


def test_the_years_with_statistics_before_the_last_five_are_offered_to_revise_them(variables, client_as, demo):
    from django.utils import timezone

    batch = StatisticsBatch.objects.create(
        loaded_by=demo["estadistica"], loaded_at=timezone.now(), file_name="a.csv", sha256="0" * 64, rows=1
    )
    statistic_rows.put(variables[1], 2015, 3, 7, batch)
    template_of(client_as("estadistica"), 2015)
    assert client_as("estadistica").get("/estadisticas/plantilla/?anio=2014").status_code == 400


@pytest.mark.parametrize("query", ["", "?anio=1800", "?anio=dos", "?anio=2099"])
def test_a_year_off_the_list_is_refused_in_spanish(variables, client_as, query):
    response = client_as("estadistica").get(f"/estadisticas/plantilla/{query}")
    assert response.status_code == 400
    assert "Elija un año de la lista" in response.content.decode()


def test_a_good_csv_loads_in_the_request_and_is_listed_as_a_batch(variables, client_as, demo):
    client = client_as("estadistica")
    response = client.post("/estadisticas/cargar/archivo/", {"file": csv_upload()}, follow=True)
    html = response.content.decode()
    assert "Carga completada: 2 datos: 2 nuevos, 0 revisados, 0 iguales." in html
    batch = StatisticsBatch.objects.get()
    assert (batch.rows, batch.loaded_by) == (2, demo["estadistica"])
    assert batch.sha256 == hashlib.sha256(GOOD_CSV).hexdigest()
    assert f'title="{batch.sha256}"' in html and "enero.csv" in html


def test_batches_are_listed_latest_first_with_their_revisions(variables, client_as):
    client = client_as("estadistica")
    client.post("/estadisticas/cargar/archivo/", {"file": csv_upload()})
    client.post(
        "/estadisticas/cargar/archivo/", {"file": csv_upload(GOOD_CSV.replace(b"65142", b"65200"), "revisado.csv")}
    )
    html = client_as("jefe_planes_programas").get("/estadisticas/cargar/").content.decode()
    assert html.index("revisado.csv") < html.index("enero.csv")
    assert "2 cargas, la más reciente primero" in html
    assert StatisticsBatch.objects.order_by("-pk").first().revised == 1
    # planning reads the page and downloads templates, but does not upload
    assert 'action="/estadisticas/cargar/archivo/"' not in html


def test_a_bad_csv_is_refused_row_by_row_and_nothing_is_written(variables, client_as):
    bad = GOOD_CSV + b"CTRL-TERR,0201,2025-02,muchos\nNADA,0201,2025-02,4\n"
    response = client_as("estadistica").post("/estadisticas/cargar/archivo/", {"file": csv_upload(bad)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "No se cargó nada: se encontraron 2 errores." in html
    assert "Fila 4, columna valor: «muchos»" in html
    assert "Fila 5, columna variable: «NADA» no está en el catálogo de variables." in html
    assert not StatisticYear.objects.exists() and not StatisticsBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("datos.txt", b"x", "no es de un tipo permitido; se aceptan: .xlsx, .csv"),
        ("datos.xlsx", b"no es excel", "no es un .xlsx válido o está dañado"),
        ("datos.csv", b"", "está vacío"),
    ],
)
def test_an_upload_of_another_type_is_refused_on_the_form(variables, client_as, name, data, message):
    response = client_as("estadistica").post("/estadisticas/cargar/archivo/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StatisticsBatch.objects.exists()


def test_a_filled_template_with_a_text_cell_fails_its_job_then_the_fixed_one_loads(
    variables, client_as, settings, django_capture_on_commit_callbacks
):
    """Through the task worker: the job page shows the row error by sheet, row and column and nothing is written;
    the corrected file's job ends with the summary."""
    settings.PLANEA_IMPORT_INLINE_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = client_as("estadistica")
    year = timezone.localdate().year - 1
    template = template_of(client, year)
    bad = filled(template, {(2, 5): 65142, (2, 6): "muchos"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/estadisticas/cargar/archivo/", {"file": SimpleUploadedFile("estadisticas.xlsx", bad, XLSX)}
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trabajos/{job.pk}/"
    assert job.status == JobStatus.FAILED and job.kind == "statistics_import"
    page = client.get(f"/trabajos/{job.pk}/").content.decode()
    assert "Hoja «Estadísticas», fila 2, columna «Feb»: «muchos» no es un número" in page
    assert 'href="/estadisticas/cargar/"' in page  # back to the load page with the corrected file
    assert not StatisticYear.objects.exists()

    good = filled(template, {(2, 5): 65142, (2, 6): 51183})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/estadisticas/cargar/archivo/", {"file": SimpleUploadedFile("estadisticas.xlsx", good, XLSX)})
    job = Job.objects.latest("created_at")
    assert job.status == JobStatus.SUCCEEDED
    assert job.message == "Importación completada: 2 datos: 2 nuevos, 0 revisados, 0 iguales."
    assert StatisticYear.objects.get().value(2) == Decimal(51183)
    assert StatisticsBatch.objects.get().file_name == "estadisticas.xlsx"


def test_a_bad_csv_through_the_job_names_its_rows(variables, client_as, settings, django_capture_on_commit_callbacks):
    settings.PLANEA_IMPORT_INLINE_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        client_as("estadistica").post(
            "/estadisticas/cargar/archivo/", {"file": csv_upload(GOOD_CSV + b"CTRL-TERR,0201,2025-02,-3\n")}
        )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.result["issues"] == ["Fila 4, columna valor: «-3» no puede ser negativo."]
    assert not StatisticsBatch.objects.exists()


@pytest.mark.parametrize(
    ("role", "page", "template", "upload"),
    [
        ("estadistica", 200, 200, 302),
        ("profesional_planes_programas", 200, 200, 403),
        ("jefe_planes_programas", 200, 200, 403),
        ("enlace_area", 403, 403, 403),
        ("subdireccion_financiera", 403, 403, 403),
    ],
)
def test_who_may_load_and_who_reads(variables, client_as, role, page, template, upload):
    client = client_as(role)
    year = timezone.localdate().year
    assert client.get("/estadisticas/cargar/").status_code == page
    assert client.get(f"/estadisticas/plantilla/?anio={year}").status_code == template
    assert client.post("/estadisticas/cargar/archivo/", {"file": csv_upload()}).status_code == upload


def test_a_csv_the_csv_module_cannot_read_is_refused_in_spanish(variables, client_as, settings):
    settings.PLANEA_IMPORT_INLINE_BYTES = 1024**2
    huge = b'variable,centro_costo,mes,valor\n"' + b"x" * 200_000 + b'",0201,2025-01,4\n'
    response = client_as("estadistica").post("/estadisticas/cargar/archivo/", {"file": csv_upload(huge)})
    assert response.status_code == 400
    assert "El archivo no se puede leer como CSV" in response.content.decode()
    assert not StatisticsBatch.objects.exists()
