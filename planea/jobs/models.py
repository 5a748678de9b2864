"""A record of each background job: who asked for it, its progress and its result."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planea.documents.models import Document

QUEUED_TOO_LONG = timedelta(minutes=1)


def silent_too_long() -> timedelta:
    """How long a running job may go without a sign of life (its start, a progress report) before it counts as
    abandoned: the process doing it was stopped (a restart, a deployment, a crash)."""
    return timedelta(minutes=settings.PLANEA_JOB_SILENT_MINUTES)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("En proceso")
    SUCCEEDED = "succeeded", _("Terminado")
    FAILED = "failed", _("Falló")


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("tipo"), max_length=60)
    title = models.CharField(_("título"), max_length=200)
    status = models.CharField(_("estado"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(_("avance"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("mensaje"), max_length=500, blank=True)
    result = models.JSONField(_("resultado"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("solicitado por")
    )
    created_at = models.DateTimeField(_("solicitado"), auto_now_add=True)
    started_at = models.DateTimeField(_("iniciado"), null=True, blank=True)
    # The last sign of life of a running job: its start or its latest progress report.
    heartbeat_at = models.DateTimeField(_("última señal"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # What the job works on: an uploaded file waiting to be imported (removed once the job ends).
    upload = models.FileField(upload_to="jobs/", blank=True)
    upload_name = models.CharField(max_length=255, blank=True)
    # Where the person goes next: the page the job's result belongs to; and, when the job refused its file, the
    # page to upload a corrected one.
    next_url = models.CharField(max_length=300, blank=True)
    retry_url = models.CharField(max_length=300, blank=True)
    # The document the job produced, offered for download on its page.
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("trabajo")
        verbose_name_plural = _("trabajos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def waiting_long(self) -> bool:
        """Queued for more than a minute: the task worker is probably not running."""
        return self.status == JobStatus.QUEUED and timezone.now() - self.created_at > QUEUED_TOO_LONG

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.progress / self.total))
