"""The anteproyectos of a plan with more goals than PLANEA_DOCUMENT_INLINE_GOALS (a national POA's PDF takes
minutes) are made by the task worker: step 9 of the P2 gets both files attached when the job ends, and the draft
PDF from the plan page is a document the person opens from the job page."""

import pytest

from planea.jobs.models import Job, JobStatus
from planea.operations import case_link
from planea.procedures.drive import step_through

from .test_import_jobs import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def every_plan_is_large(settings, tmp_path):
    settings.PLANEA_DOCUMENT_INLINE_GOALS = 0
    settings.MEDIA_ROOT = tmp_path


def test_step_9_makes_the_anteproyectos_in_the_background(plans, demo, client_as):
    poa = plans["poa"]
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    task = case.tasks.get(number="9", status="ready")
    client = client_as("jefe_planes_programas")
    response = client.post(f"/pasos/{task.pk}/anteproyectos/")
    job = Job.objects.get(kind="anteproyectos")
    assert response["Location"] == f"/trabajos/{job.pk}/" and not task.attachments.exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 1 and job.total == 2
    assert "Anteproyectos generados y agregados al paso" in job.message
    files = sorted(a.document.original_name for a in task.attachments.select_related("document"))
    assert files == ["anteproyecto-POA-2026-v1.pdf", "anteproyecto-POA-2026-v1.xlsx"]
    fragment = client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    assert f'href="/expedientes/{case.pk}/"' in fragment and "Continuar" in fragment


def test_a_step_that_can_no_longer_take_them_fails_the_job_with_a_sentence(plans, demo, client_as):
    poa = plans["poa"]
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    task = case.tasks.get(number="9", status="ready")
    client_as("jefe_planes_programas").post(f"/pasos/{task.pk}/anteproyectos/")
    step_through(case, until="10", people=demo)  # someone completed step 9 meanwhile
    run_worker()
    job = Job.objects.get(kind="anteproyectos")
    assert job.status == JobStatus.FAILED and "error del servidor" not in job.message and job.message


def test_the_draft_pdf_of_a_large_plan_is_made_in_the_background(plans, client_as):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    page = client.get(f"/planes/{poa.pk}/anteproyecto.pdf").content.decode()
    assert "Generar el PDF en segundo plano" in page and not Job.objects.exists()
    response = client.post(f"/planes/{poa.pk}/anteproyecto.pdf")
    job = Job.objects.get(kind="anteproyecto_preview")
    assert response["Location"] == f"/trabajos/{job.pk}/"
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.document is not None
    assert f'href="/trabajos/{job.pk}/documento/"' in client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    pdf = client.get(f"/trabajos/{job.pk}/documento/")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    assert client_as("auditoria_interna").get(f"/trabajos/{job.pk}/documento/").status_code == 404
