"""Spreadsheet imports as background jobs. A large upload is kept with its job and the request answers at once
with the job's page; the worker checks and writes the file with progress (reading, checking, writing), and the
job page shows the summary, or every row error with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.tasks import Task
from django.utils.translation import gettext as _

from planea.org.models import Person
from planea.spreadsheets.imports import Progress
from planea.spreadsheets.xlsx import CellIssue, ImportRejected

from .services import JobLimitReached, running, set_result, start_job, upload_of

Importer = Callable[[bytes, Any, str, Progress], object]


def in_background(
    *, task: Task[..., Any], kind: str, title: str, actor: Person, next_url: str, retry_url: str, **kwargs: Any
) -> Callable[[bytes, str], HttpResponse]:
    """For `spreadsheet_import(background=…)`: start the import job for an upload and answer with its page. The job
    page leads on to `next_url`, or back to `retry_url` (the upload page) when the file is refused."""

    def start(data: bytes, filename: str) -> HttpResponse:
        try:
            job = start_job(
                task=task,
                kind=kind,
                title=title,
                actor=actor,
                upload=(data, filename),
                next_url=next_url,
                retry_url=retry_url,
                **kwargs,
            )
        except JobLimitReached as refused:
            raise ImportRejected([CellIssue("", None, None, str(refused))]) from refused
        return redirect("jobs:detail", pk=job.pk)

    return start


def run_import(job_id: str, importer: Importer) -> None:
    """The body of an import task: the job's file through `importer(data, actor, filename, progress)`."""
    with running(job_id) as progress:
        job, data = upload_of(job_id)
        summary = importer(data, job.created_by, job.upload_name, progress)
        set_result(job_id, {"summary": str(summary)}, _("Importación completada: %(summary)s") % {"summary": summary})
