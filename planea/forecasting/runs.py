"""Forecast runs (P5 step 2): a planner starts one for a target year; it is checked, audited and queued here, and
the task worker executes it (tasks.py, execution.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.jobs.services import start_job
from planea.org.models import Institution, Person
from planea.procedures.models import Case
from planea.statistics import loading

from . import pipeline
from .execution import ForecastingError, data_until, horizon_of
from .models import ForecastRun, RunStatus
from .tasks import forecast_run_job

# How far ahead a run may look: the year of the last closed month and the two after it.
YEARS_AHEAD = 2
# A run queued or running longer than this no longer blocks another for the same year (its worker was stopped).
STALE_RUN = timedelta(hours=2)


def last_closed_month() -> date:
    """The first day of the last month that has ended (`statistics.loading`): statistics and forecasts stop there."""
    year, month = loading.last_closed_month()
    return date(year, month, 1)


def target_years() -> list[int]:
    """The years a run may forecast: the year of the last closed month and the next YEARS_AHEAD."""
    first = last_closed_month().year
    return list(range(first, first + YEARS_AHEAD + 1))


def start_run(*, target_year: int, actor: Person, case: Case | None = None) -> ForecastRun:
    """Create a queued run for `target_year` and the job that executes it (once the transaction commits).
    ForecastingError when the year is out of range, there are no statistics, or a run for that year is already
    under way; JobLimitReached (planea.jobs) when the person has too many open jobs."""
    closed = last_closed_month()
    years = target_years()
    if target_year not in years:
        raise ForecastingError(
            _("El año a pronosticar debe estar entre %(first)s y %(last)s (el último mes cerrado es %(closed)s).")
            % {"first": years[0], "last": years[-1], "closed": f"{closed:%m/%Y}"}
        )
    until = data_until(closed)
    if until is None:
        raise ForecastingError(
            _("No hay estadísticas cargadas hasta %(closed)s: cárguelas antes de pronosticar.")
            % {"closed": f"{closed:%m/%Y}"}
        )
    if horizon_of(until, target_year) < 1:
        raise ForecastingError(
            _("Las estadísticas de %(year)s ya están completas: no queda ningún mes que pronosticar.")
            % {"year": target_year}
        )
    with transaction.atomic():
        # One start at a time: two people asking at once for the same year would both find no run under way.
        list(Institution.objects.select_for_update().values_list("pk", flat=True))
        busy = ForecastRun.objects.filter(
            target_year=target_year,
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
            created_at__gte=timezone.now() - STALE_RUN,
        )
        if busy.exists():
            raise ForecastingError(
                _("Ya hay una corrida de pronósticos para %(year)s en curso; espere a que termine.")
                % {"year": target_year}
            )
        run = ForecastRun.objects.create(
            target_year=target_year,
            data_until=until,
            status=RunStatus.QUEUED,
            case=case,
            created_by=actor,
            created_at=timezone.now(),
            method_version=pipeline.METHOD_VERSION,
        )
        title = _("Pronósticos para %(year)s (datos hasta %(until)s)") % {
            "year": target_year,
            "until": f"{until:%m/%Y}",
        }
        job = start_job(
            task=forecast_run_job,
            kind="forecast_run",
            title=title,
            actor=actor,
            next_url=reverse("forecasting:run", args=[run.pk]),
            run_id=run.pk,
        )
        ForecastRun.objects.filter(pk=run.pk).update(job=job)
        run.job = job
        record(
            actor=actor,
            action="forecast_run_started",
            instance=run,
            after={
                "target_year": target_year,
                "data_until": until.isoformat(),
                "method_version": run.method_version,
                "case": case.pk if case else None,
            },
            summary=title,
        )
    return run
