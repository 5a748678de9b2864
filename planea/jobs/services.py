"""Starting background jobs and reporting their progress.

`start_job` creates the job record and enqueues the task when the transaction commits; the task receives the
job id and wraps its work in `running(job_id)`, which marks the job running, records progress and the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.org.models import Person
from planea.spreadsheets.xlsx import ImportRejected

from .models import Job, JobStatus, silent_too_long

logger = logging.getLogger(__name__)
# Jobs a person may have waiting or running at once (imports, documents, checks): more are refused until one ends.
MAX_OPEN_JOBS = 3
# A job open longer than this no longer counts: its worker was stopped half-way, and it would block the person.
OPEN_JOB_MAX_AGE = timedelta(hours=1)


class JobLimitReached(Exception):
    """The person already has MAX_OPEN_JOBS jobs waiting or running; the message says so in Spanish."""

    def __init__(self) -> None:
        super().__init__(
            ngettext(
                "Ya tiene %(n)s trabajo en espera o en proceso; espere a que termine y vuelva a intentarlo.",
                "Ya tiene %(n)s trabajos en espera o en proceso; espere a que termine alguno y vuelva a intentarlo.",
                MAX_OPEN_JOBS,
            )
            % {"n": MAX_OPEN_JOBS}
        )


def _refuse_beyond_limit(actor: Person) -> None:
    """JobLimitReached when `actor` has MAX_OPEN_JOBS open jobs. The person's row is locked first, so that uploads
    sent at the same moment are counted one after the other."""
    if not getattr(actor, "is_authenticated", False):
        return
    people = get_user_model().objects.select_for_update()
    list(people.filter(pk=actor.pk).values_list("pk", flat=True))
    if open_jobs().filter(created_by=actor).count() >= MAX_OPEN_JOBS:
        raise JobLimitReached


# What an app does when one of its jobs is found abandoned (its own record of the work, e.g. a forecast run, is
# marked failed too), by job kind. Registered with `on_abandoned`.
_ABANDONED: dict[str, Callable[[Job], None]] = {}


def on_abandoned(kind: str) -> Callable[[Callable[[Job], None]], Callable[[Job], None]]:
    def register(handler: Callable[[Job], None]) -> Callable[[Job], None]:
        _ABANDONED[kind] = handler
        return handler

    return register


def fail_abandoned(jobs: QuerySet[Job] | None = None) -> int:
    """Mark failed every running job silent for longer than PLANEA_JOB_SILENT_MINUTES (the process doing it was
    stopped), each with an audit event and its app's handler, in one transaction per job; returns how many. Only
    among `jobs` when given (a page showing one job checks that one). Called where jobs are shown or started, and by
    `manage.py fail_abandoned_jobs` (for cron)."""
    limit = timezone.now() - silent_too_long()
    silent = Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    found = 0
    candidates = (Job.objects.all() if jobs is None else jobs).filter(silent, status=JobStatus.RUNNING)
    for job_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.RUNNING).first()
            if job is None:  # it ended meanwhile
                continue
            message = _(
                "El trabajo se interrumpió: el proceso que lo hacía se detuvo (por ejemplo, al reiniciar el "
                "servidor). No quedó nada a medias; puede pedirlo de nuevo."
            )
            Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, finished_at=timezone.now(), message=message)
            record(actor=job.created_by, action="job_abandoned", instance=job, summary=job.title[:500])
            if handler := _ABANDONED.get(job.kind):
                handler(job)
            found += 1
    return found


def open_jobs() -> QuerySet[Job]:
    """The jobs waiting or running (those open longer than OPEN_JOB_MAX_AGE were left by a stopped worker)."""
    return Job.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING], created_at__gte=timezone.now() - OPEN_JOB_MAX_AGE
    )


def start_job(
    *,
    task: Task[..., Any],
    kind: str,
    title: str,
    actor: Person,
    upload: tuple[bytes, str] | None = None,
    next_url: str = "",
    retry_url: str = "",
    reuse_open: bool = False,
    follows_decision: bool = False,
    **kwargs: Any,
) -> Job:
    """Record the job (with the uploaded file it works on, if any) and enqueue `task(job_id, **kwargs)` once the
    transaction commits; JobLimitReached when the person has too many open. With `reuse_open`, the person's job of the
    same kind and title still waiting or running is returned instead of a second one (a document asked twice by a
    double click is made once). A job that `follows_decision` (the comprobantes of an approval) is not the person's
    request: it is not counted against their limit, for the limit must never refuse the decision itself."""
    fail_abandoned()
    with transaction.atomic():
        if not follows_decision:
            _refuse_beyond_limit(actor)
        if reuse_open:
            # The same person's: a job page is its creator's alone, so another's job would answer them 404.
            found = open_jobs().filter(kind=kind, title=title, created_by=actor).order_by("created_at").first()
            if found is not None:
                return found
        job = Job.objects.create(kind=kind, title=title, created_by=actor, next_url=next_url, retry_url=retry_url)
        if upload is not None:
            data, name = upload
            job.upload_name = name[:255]
            job.upload.save(f"{job.pk}{PurePath(name).suffix[:10]}", ContentFile(data), save=False)
            job.save(update_fields=["upload", "upload_name"])
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
        fields: dict[str, Any] = {"progress": done, "total": total, "heartbeat_at": timezone.now()}
        if message:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job_id).update(**fields)


class JobRefused(Exception):
    """What the job was asked cannot be done; the message is a Spanish sentence for the person."""


def _fail(job_id: str, message: str, result: dict[str, Any] | None = None, detail: str = "") -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), message=message[:500], result=result
        )
        job = Job.objects.get(pk=job_id)
        record(actor=job.created_by, action="job_failed", instance=job, summary=(detail or message)[:500])


def _discard_upload(job_id: str) -> None:
    """The uploaded file is needed only while the job runs; its digest stays in the audit event of the import."""
    job = Job.objects.filter(pk=job_id).first()
    if job is not None and job.upload:
        job.upload.delete(save=False)
        Job.objects.filter(pk=job_id).update(upload="")


@contextmanager
def running(job_id: str) -> Iterator[Progress]:
    """Mark the job running; on exit record success with the result set by the task, or the failure. A file
    refused by an import (ImportRejected) is an outcome, not a crash: the job fails with the row errors as its
    result, for the person to read on the job page."""
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    try:
        yield Progress(job_id)
    except ImportRejected as rejected:
        count = len(rejected.issues)
        message = ngettext(
            "No se importó nada: se encontró %(n)s error.", "No se importó nada: se encontraron %(n)s errores.", count
        ) % {"n": f"{count:,}"}
        _fail(job_id, message, {"issues": rejected.messages, "issue_count": count})
        return
    except JobRefused as refused:
        _fail(job_id, str(refused))
        return
    except Exception as exc:
        # The person reads a sentence; the error itself (which may name server paths) goes to the log and the audit.
        logger.exception("Job %s failed", job_id)
        _fail(
            job_id,
            _("El trabajo no pudo terminar por un error del servidor; avise a la persona administradora."),
            detail=f"{type(exc).__name__}: {exc}",
        )
        raise
    finally:
        _discard_upload(job_id)
    with transaction.atomic():
        # Only a job still running succeeds: one found abandoned meanwhile stays failed (its app undid its record).
        if not Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.SUCCEEDED, finished_at=timezone.now()
        ):
            return
        job = Job.objects.get(pk=job_id)
        record(actor=job.created_by, action="job_done", instance=job, after=job.result, summary=job.message)


def set_result(job_id: str, result: dict[str, Any], message: str, document: Any = None) -> None:
    """The job's outcome: its result, the sentence the person reads, and the document it produced, if any."""
    Job.objects.filter(pk=job_id).update(result=result, message=message[:500], document=document)


def upload_of(job_id: str) -> tuple[Job, bytes]:
    """The job and the bytes of the file it was given."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    with job.upload.open("rb") as stream:
        return job, stream.read()
