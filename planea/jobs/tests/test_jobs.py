"""Background jobs: enqueued on commit, run by the database worker, progress shown by the HTMX component."""

import pytest
from django.core.management import call_command

from planea.audit.models import AuditEvent
from planea.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_audit_verification_job_end_to_end(client_as):
    client = client_as("auditoria_interna")
    response = client.post("/trabajos/verificar-auditoria/")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/trabajos/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.task_result_id
    page = client.get(response["Location"]).content.decode()
    assert "En cola" in page and 'hx-trigger="every 1s"' in page

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    assert job.result["ok"] is True and job.result["checked"] > 50
    assert job.progress == job.total == job.result["checked"]
    fragment = client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    assert "Terminado" in fragment and "Cadena íntegra" in fragment
    assert "hx-get" not in fragment  # the component stops polling once the job ends
    assert AuditEvent.objects.filter(action="job_done", object_id=str(job.pk)).exists()


def test_failed_job_is_reported(client_as, monkeypatch):
    from planea.jobs import audit_chain

    def broken(progress=None):
        raise ValueError("base de datos no disponible")

    monkeypatch.setattr(audit_chain, "verify_chain", broken)
    client_as("administrador").post("/trabajos/verificar-auditoria/")
    run_worker()
    job = Job.objects.get()
    # The person reads a sentence without the server's details; the error is in the audit event (and the log).
    assert job.status == JobStatus.FAILED and "error del servidor" in job.message
    assert "base de datos no disponible" not in job.message
    event = AuditEvent.objects.get(action="job_failed", object_id=str(job.pk))
    assert event.summary == "ValueError: base de datos no disponible"


def test_other_people_cannot_follow_someone_elses_job(client_as):
    client_as("auditoria_interna").post("/trabajos/verificar-auditoria/")
    job = Job.objects.get()
    assert client_as("jefe_planes_programas").get(f"/trabajos/{job.pk}/").status_code == 404
    assert client_as("administrador").get(f"/trabajos/{job.pk}/").status_code == 200


def test_my_jobs_lists_the_persons_own_jobs_and_a_long_queue_is_explained(client_as):
    from datetime import timedelta

    from django.utils import timezone

    client_as("auditoria_interna").post("/trabajos/verificar-auditoria/")
    client = client_as("administrador")
    client.post("/trabajos/verificar-auditoria/")
    page = client.get("/trabajos/").content.decode()
    assert page.count("Verificación de la cadena de auditoría") == 1  # only the administrator's own
    assert 'href="/trabajos/"' in client.get("/").content.decode()  # «Mis trabajos» in the menu
    job = Job.objects.get(created_by__username="administrador")
    assert "trabajador de tareas" not in client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    fragment = client.get(f"/trabajos/{job.pk}/avance/").content.decode()
    assert "puede que el trabajador de tareas del servidor no esté en marcha" in fragment
