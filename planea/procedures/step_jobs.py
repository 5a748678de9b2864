"""The body of a background job that produces a step's documents from the case's data (the anteproyectos of P2
step 9, the annex of P5 step 4, the SIGES report of P5 step 8): the worker builds them with progress and attaches
them to the step; a step that can no longer take them refuses the job with the reason, in Spanish."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planea.core.errors import error_text
from planea.documents.models import Document
from planea.jobs.models import Job
from planea.jobs.services import JobRefused, running, set_result
from planea.org.models import Person
from planea.spreadsheets.imports import Progress

from .errors import ProcedureError
from .models import CaseTask

Generate = Callable[[CaseTask, Person, Progress], Sequence[Document]]


def produce_step_documents(job_id: str, task_pk: int, generate: Generate, done: str) -> None:
    """Run `generate(step, person who asked, progress)` as job `job_id`; `done` is the job's closing sentence, with
    %(docs)s for the titles of the documents produced."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by").get(pk=job_id)
        step = CaseTask.objects.select_related("case__definition").get(pk=task_pk)
        try:
            documents = generate(step, job.created_by, progress)
        except ProcedureError as error:
            raise JobRefused(error_text(error)) from error
        set_result(
            job_id,
            {"documents": [d.pk for d in documents]},
            done % {"docs": ", ".join(d.title for d in documents)},
        )
