"""Background task of the forecasts: a run is executed by the task worker (database or Redis backend), with the
job's progress bar going through reading, forecasting each series, reconciling and writing."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.jobs.models import Job
from planea.jobs.services import JobRefused, on_abandoned, running, set_result

from .execution import ForecastingError, execute_run
from .models import ForecastRun, RunStatus


@task()
def forecast_run_job(job_id: str, run_id: int) -> None:
    with running(job_id) as progress:
        done = ForecastRun.objects.filter(pk=run_id, status=RunStatus.DONE).first()
        try:
            # A job delivered again (a retry, a second worker) finds its run done: nothing to redo.
            run = done or execute_run(run_id, progress)
        except ForecastingError as error:
            raise JobRefused(str(error)) from error
        set_result(
            job_id,
            {"run": run.pk, "series": run.series_count, "input_sha256": run.input_sha256},
            _("%(n)s series pronosticadas para %(year)s.") % {"n": run.series_count, "year": run.target_year},
        )


@on_abandoned("forecast_run")
def run_abandoned(job: Job) -> None:
    """The worker stopped half-way through a run: the run fails with the job (a new one can be started); nothing of
    it was stored, since a run stores its forecasts in one transaction at the end."""
    message = _("La corrida se interrumpió: el proceso que la hacía se detuvo. Puede iniciar una nueva.")
    for run in ForecastRun.objects.filter(job=job, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]):
        if ForecastRun.objects.filter(pk=run.pk, status=run.status).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), summary={"error": message}
        ):
            record(actor=run.created_by, action="forecast_run_failed", instance=run, summary=message)
