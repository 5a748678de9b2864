"""Background tasks of the P5 documents: the annex of step 4 and the SIGES report of step 8 (a national PDF takes a
minute: never inside a request)."""

from __future__ import annotations

from django.tasks import task
from django.utils.translation import gettext as _

from planea.procedures.step_jobs import produce_step_documents

from . import proposal_case


@task()
def generate_annex_job(job_id: str, task_pk: int) -> None:
    """Step 4 of the P5: build the annex of the proposal and attach it to the step's «Oficio»."""
    produce_step_documents(
        job_id,
        task_pk,
        lambda step, actor, progress: [proposal_case.generate_annex(step, actor=actor, progress=progress)],
        _("Anexo generado y agregado al paso 4: %(docs)s. Emita el oficio que lo traslada."),
    )


@task()
def generate_siges_job(job_id: str, task_pk: int) -> None:
    """Step 8 of the P5: build the SIGES report (Excel and PDF) and attach both to the step's «Reporte»."""
    produce_step_documents(
        job_id,
        task_pk,
        lambda step, actor, progress: proposal_case.generate_siges(step, actor=actor, progress=progress),
        _("Reporte para SIGES generado y agregado al paso 8: %(docs)s."),
    )
