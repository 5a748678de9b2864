"""Background task of the forecasts: a run is executed by the task worker (database or Redis backend), with the
job's progress bar going through reading, forecasting each series, reconciling and writing."""

from __future__ import annotations

from django.tasks import task
from django.utils.translation import gettext as _

from planea.jobs.services import JobRefused, running, set_result

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
