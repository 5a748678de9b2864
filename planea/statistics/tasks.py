"""Background tasks of the statistics: a large statistics file, checked and loaded by the task worker."""

from __future__ import annotations

from django.tasks import task

from planea.jobs.imports import run_import

from .importing import load_file


@task()
def import_statistics_job(job_id: str) -> None:
    run_import(job_id, load_file)
