"""The anteproyectos (a PDF takes seconds, a national POA's minutes) are always made by the task worker, never
inside a request: step 9 of the P2 gets both files attached when the job ends, and the draft
PDF from the plan page is a document the person opens from the job page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planea.jobs.models import Job, JobStatus
from planea.operations import case_link
from planea.operations.goals_excel import export_goals
from planea.procedures.drive import step_through

from .test_import_jobs import run_worker, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
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


def test_a_step_taken_by_someone_else_starts_no_job(plans, demo, client_as):
    case = case_link.start_case(plans["poa"], actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    task = case.tasks.get(number="9", status="ready")
    task.assignee = demo["subdirector_planificacion"]
    task.save(update_fields=["assignee"])
    response = client_as("jefe_planes_programas").post(f"/pasos/{task.pk}/anteproyectos/", follow=True)
    assert "Este paso está asignado a" in response.content.decode() and not Job.objects.exists()


def test_a_person_with_three_jobs_open_starts_no_fourth_of_any_kind(plans, client_as, settings):
    settings.PLANEA_IMPORT_INLINE_BYTES = 0  # every import is a job
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    for _ in range(3):
        assert client.post(f"/planes/{poa.pk}/anteproyecto.pdf")["Location"].startswith("/trabajos/")
    response = client.post(f"/planes/{poa.pk}/anteproyecto.pdf", follow=True)
    assert response.redirect_chain[-1][0] == f"/planes/{poa.pk}/"
    assert "Ya tiene 3 trabajos en espera o en proceso" in response.content.decode()
    refused = upload(client, f"/planes/{poa.pk}/metas/importar/", export_goals(poa))
    assert refused.status_code == 400 and "Ya tiene 3 trabajos en espera o en proceso" in refused.content.decode()
    assert Job.objects.count() == 3
    # A job left open by a stopped worker stops counting after an hour.
    Job.objects.filter(pk=Job.objects.order_by("created_at").first().pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert client.post(f"/planes/{poa.pk}/anteproyecto.pdf")["Location"].startswith("/trabajos/")
    # Other people are not held back by one person's jobs.
    assert client_as("profesional_planes_programas").post(f"/planes/{poa.pk}/anteproyecto.pdf").status_code == 302
    assert Job.objects.count() == 5
