"""A finished run never changes: its series and months refuse every way of writing (save, create, bulk_create,
update, bulk_update, delete, queryset delete), and so does the run itself; rows of a run not finished may still be
written (the run writes them before it is marked done)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from planea.forecasting.models import FinishedRunError, ForecastRun, ForecastValue, RunStatus, SeriesForecast
from planea.forecasting.runs import start_run
from planea.forecasting.tasks import forecast_run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(dataset):
    started = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    forecast_run_job.call(str(started.job_id), started.pk)
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def snapshot(run):
    return (
        list(ForecastRun.objects.filter(pk=run.pk).values()),
        list(SeriesForecast.objects.filter(run=run).order_by("pk").values()),
        list(ForecastValue.objects.filter(series__run=run).order_by("pk").values()),
    )


def refused(action):
    # Inside a savepoint: Django's bulk_update runs in atomic(savepoint=False), and a refusal there spoils the
    # enclosing transaction (as it should: the whole operation is undone).
    with pytest.raises(FinishedRunError, match="no se modifica ni se elimina"), transaction.atomic():
        action()


def test_series_refuse_every_path(run):
    before = snapshot(run)
    series = SeriesForecast.objects.filter(run=run)[0]
    series.model = "Otro"
    refused(series.save)
    refused(series.delete)
    refused(lambda: SeriesForecast.objects.filter(run=run).update(model="Otro"))
    refused(lambda: SeriesForecast.objects.filter(pk=series.pk).delete())
    refused(lambda: SeriesForecast.objects.bulk_update([series], ["model"]))
    copy = SeriesForecast(run=run, variable=series.variable, level=series.level, org_unit=series.org_unit, model="X")
    refused(copy.save)
    refused(lambda: SeriesForecast.objects.bulk_create([copy]))
    refused(lambda: SeriesForecast.objects.create(run=run, variable=series.variable, level="area", model="X"))
    assert snapshot(run) == before


def test_months_refuse_every_path(run):
    before = snapshot(run)
    value = ForecastValue.objects.filter(series__run=run)[0]
    value.yhat = Decimal(1)
    refused(value.save)
    refused(value.delete)
    refused(lambda: ForecastValue.objects.filter(series__run=run).update(yhat=0))
    refused(lambda: ForecastValue.objects.filter(pk=value.pk).delete())
    refused(lambda: ForecastValue.objects.bulk_update([value], ["yhat"]))
    refused(lambda: value.series.values.all().update(yhat=0))  # through the related manager
    extra = ForecastValue(series=value.series, month=1, base=0, yhat=0, lo80=0, hi80=0, lo95=0, hi95=0)
    refused(extra.save)
    refused(lambda: ForecastValue.objects.bulk_create([extra]))
    assert snapshot(run) == before


def test_the_run_itself_refuses_changes_and_removal(run):
    before = snapshot(run)
    run.summary = {}
    refused(run.save)
    refused(run.delete)  # would cascade to its series
    refused(lambda: ForecastRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED))
    refused(lambda: ForecastRun.objects.filter(pk=run.pk).delete())
    refused(lambda: ForecastRun.objects.all().delete())
    assert snapshot(run) == before


def test_a_run_not_finished_can_still_be_written_and_removed(run, dataset):
    queued = start_run(target_year=2028, actor=dataset["jefe_planes_programas"])
    series = SeriesForecast.objects.create(run=queued, variable=dataset["control"], level="institucion", model="X")
    value = ForecastValue.objects.create(series=series, month=1, base=1, yhat=1, lo80=1, hi80=1, lo95=1, hi95=1)
    value.yhat = Decimal(2)
    value.save()
    SeriesForecast.objects.filter(run=queued).update(model="Y")
    queued.summary = {"nota": "x"}
    queued.save()
    ForecastRun.objects.filter(pk=queued.pk).delete()
    assert not SeriesForecast.objects.filter(pk=series.pk).exists()
    assert ForecastRun.objects.filter(pk=run.pk).exists()
