"""Background tasks of the P5 documents: the annex of step 4 and the SIGES report of step 8 (a national PDF takes a
minute: never inside a request)."""

from __future__ import annotations

from django.tasks import task
from django.utils.translation import gettext as _

from planea.core.errors import error_text
from planea.jobs.models import Job
from planea.jobs.services import JobRefused, running, set_result
from planea.procedures.errors import ProcedureError
from planea.procedures.models import CaseTask

from . import proposal_case


@task()
def generate_annex_job(job_id: str, task_pk: int) -> None:
    """Step 4 of the P5: build the annex of the proposal and attach it to the step's «Oficio»."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by").get(pk=job_id)
        step = CaseTask.objects.select_related("case__definition").get(pk=task_pk)
        try:
            document = proposal_case.generate_annex(step, actor=job.created_by, progress=progress)
        except ProcedureError as error:
            raise JobRefused(error_text(error)) from error
        set_result(
            job_id,
            {"documents": [document.pk]},
            _("Anexo generado y agregado al paso 4: %(doc)s. Emita el oficio que lo traslada.")
            % {"doc": document.title},
        )


@task()
def generate_siges_job(job_id: str, task_pk: int) -> None:
    """Step 8 of the P5: build the SIGES report (Excel and PDF) and attach both to the step's «Reporte»."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by").get(pk=job_id)
        step = CaseTask.objects.select_related("case__definition").get(pk=task_pk)
        try:
            documents = proposal_case.generate_siges(step, actor=job.created_by, progress=progress)
        except ProcedureError as error:
            raise JobRefused(error_text(error)) from error
        set_result(
            job_id,
            {"documents": [d.pk for d in documents]},
            _("Reporte para SIGES generado y agregado al paso 8: %(docs)s.")
            % {"docs": ", ".join(d.title for d in documents)},
        )
