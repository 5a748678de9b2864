"""Starting background jobs and reporting their progress.

`start_job` creates the job record and enqueues the task when the transaction commits; the task receives the
job id and wraps its work in `running(job_id)`, which marks the job running, records progress and the outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record

from .models import Job, JobStatus


def start_job(*, task: Task, kind: str, title: str, actor: Any, **kwargs: Any) -> Job:
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title, created_by=actor)
        record(actor=actor, action="job_start", instance=job, summary=title)

        def enqueue() -> None:
            result = task.enqueue(str(job.pk), **kwargs)
            Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

        transaction.on_commit(enqueue)
    return job


class Progress:
    def __init__(self, job_id: str) -> None:
        self.job_id = job_id

    def __call__(self, done: int, total: int, message: str = "") -> None:
        fields: dict[str, Any] = {"progress": done, "total": total}
        if message:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job_id).update(**fields)


@contextmanager
def running(job_id: str) -> Iterator[Progress]:
    """Mark the job running; on exit record success with the result set by the task, or the failure."""
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        yield Progress(job_id)
    except Exception as exc:
        with transaction.atomic():
            Job.objects.filter(pk=job_id).update(
                status=JobStatus.FAILED, finished_at=timezone.now(), message=_("Error: %(error)s") % {"error": exc}
            )
            job = Job.objects.get(pk=job_id)
            record(actor=job.created_by, action="job_failed", instance=job, summary=str(exc)[:500])
        raise
    with transaction.atomic():
        Job.objects.filter(pk=job_id).update(status=JobStatus.SUCCEEDED, finished_at=timezone.now())
        job = Job.objects.get(pk=job_id)
        record(actor=job.created_by, action="job_done", instance=job, after=job.result, summary=job.message)


def set_result(job_id: str, result: dict[str, Any], message: str) -> None:
    Job.objects.filter(pk=job_id).update(result=result, message=message[:500])
