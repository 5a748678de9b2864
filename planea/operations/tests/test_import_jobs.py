"""A large goals or input-matrix file is imported by the task worker: the request answers at once with the job's
page, the job reports reading → checking → writing, and ends with the summary, or with every row error and nothing
written. The uploaded copy is removed once the job ends; the audit event keeps its SHA-256."""

import hashlib

import pytest
from django.core.management import call_command

from planea.audit.models import AuditEvent
from planea.jobs.models import Job, JobStatus
from planea.operations import goals
from planea.operations.goals_excel import export_goals
from planea.operations.inputs_excel import export_matrix
from planea.operations.models import InputRequirement

from .test_goals_excel import break_cell, edit, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def every_upload_in_background(settings, tmp_path):
    settings.PLANEA_IMPORT_INLINE_BYTES = 0
    settings.MEDIA_ROOT = tmp_path


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def upload(client, url, data, name="metas.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def raise_every_goal(wb):
    for row in wb["Metas"].iter_rows(min_row=2):
        for cell in row[4:16]:
            cell.value = (cell.value or 0) + 3
        row[16].value = sum(cell.value for cell in row[4:16])


def test_a_large_goals_file_is_imported_by_the_worker_with_progress(plans, client_as, tmp_path):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    data = edit(export_goals(poa), raise_every_goal)
    before = {(s, c, m): p for s, c, m, p, _cur in snapshot(poa)}
    response = upload(client, f"/planes/{poa.pk}/metas/importar/", data, "metas POA 2026.xlsx")
    job = Job.objects.get(kind="goals_import")
    assert response.status_code == 302 and response["Location"] == f"/trabajos/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.upload_name == "metas POA 2026.xlsx"
    assert job.upload.read() == data
    page = client.get(response["Location"]).content.decode()
    assert "Importación de metas físicas de POA-2026" in page and "En cola" in page

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 2 and job.total == 3
    assert "Importación completada" in job.message and "metas cambiaron" in job.message
    assert not job.upload and not list(tmp_path.glob("jobs/*"))  # the uploaded copy is gone
    after = {(s, c, m): p for s, c, m, p, _cur in snapshot(poa)}
    changed = [key for key in after if after[key] != before.get(key, 0)]
    assert changed and all(after[key] == before.get(key, 0) + 3 for key in changed)
    event = AuditEvent.objects.filter(action="goals_imported", object_id=str(poa.pk)).latest("seq")
    assert event.after["file"] == {"file": "metas POA 2026.xlsx", "sha256": hashlib.sha256(data).hexdigest()}
    fragment = client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    assert "Terminado" in fragment and f'href="/planes/{poa.pk}/"' in fragment and "Continuar" in fragment


def test_a_refused_file_fails_the_job_with_every_row_error_and_writes_nothing(plans, client_as):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    before, events = snapshot(poa), AuditEvent.objects.filter(action="goals_imported").count()
    data = edit(export_goals(poa), break_cell("0209", 5, "mucho"))
    upload(client, f"/planes/{poa.pk}/metas/importar/", data)
    run_worker()
    job = Job.objects.get(kind="goals_import")
    assert job.status == JobStatus.FAILED and job.message == "No se importó nada: se encontró 1 error."
    assert job.result["issue_count"] == 1 and "columna «Ene»: «mucho» no es un número." in job.result["issues"][0]
    assert snapshot(poa) == before and AuditEvent.objects.filter(action="goals_imported").count() == events
    assert AuditEvent.objects.filter(action="job_failed", object_id=str(job.pk)).exists()
    fragment = client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    assert "Falló" in fragment and "«mucho» no es un número" in fragment and "Volver" in fragment
    assert f'href="/planes/{poa.pk}/metas/importar/" data-testid="job-retry"' in fragment


def test_a_liaison_background_import_keeps_to_the_area(plans, client_as):
    """The area scope travels with the job: a row of another area's cost center is refused by the worker too."""
    poa = plans["poa"]
    data = edit(export_goals(poa), break_cell("0209", 5, 77))
    upload(client_as("enlace_area"), f"/planes/{poa.pk}/metas/importar/", data)
    run_worker()
    job = Job.objects.get(kind="goals_import")
    assert job.status == JobStatus.FAILED and "no es de su área" in " ".join(job.result["issues"])
    assert 77 not in goals.values_of(poa).values()


def test_a_large_matrix_file_is_imported_by_the_worker(plans, client_as):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    data = export_matrix(poa)
    lines = InputRequirement.objects.filter(plan=poa).count()
    response = upload(client, f"/planes/{poa.pk}/insumos/importar/", data, "matriz.xlsx")
    job = Job.objects.get(kind="matrix_import")
    assert response["Location"] == f"/trabajos/{job.pk}/"
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert InputRequirement.objects.filter(plan=poa).count() == lines
    event = AuditEvent.objects.get(action="input_matrix_imported")
    assert event.after["file"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_small_file_is_still_imported_inside_the_request(plans, client_as, settings):
    settings.PLANEA_IMPORT_INLINE_BYTES = 10 * 1024 * 1024
    poa = plans["poa"]
    response = upload(client_as("jefe_planes_programas"), f"/planes/{poa.pk}/metas/importar/", export_goals(poa))
    assert response.status_code == 302 and response["Location"] == f"/planes/{poa.pk}/"
    assert not Job.objects.exists()


def test_a_person_may_have_three_imports_waiting_at_most(plans, client_as):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    data = export_goals(poa)
    for _ in range(3):
        assert upload(client, f"/planes/{poa.pk}/metas/importar/", data).status_code == 302
    refused = upload(client, f"/planes/{poa.pk}/metas/importar/", data)
    assert refused.status_code == 400 and Job.objects.count() == 3
    assert "Ya tiene 3 trabajos en espera o en proceso" in refused.content.decode()
    run_worker()
    assert upload(client, f"/planes/{poa.pk}/metas/importar/", data).status_code == 302
