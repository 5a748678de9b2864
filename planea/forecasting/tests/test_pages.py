"""The forecast pages as people use them: the list with the form to start a run (a year chosen, not typed), the job
page with its progress bar leading to the run, the run's summary and table of series (filtered by variable and
level), a series' months with its chart; who may do what; malformed parameters answer 400/404, never 500."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse

from planea.forecasting.models import ForecastRun, RunStatus, SeriesForecast, SeriesLevel
from planea.forecasting.runs import start_run
from planea.forecasting.tasks import forecast_run_job
from planea.jobs.models import Job
from planea.statistics.models import StatisticYear
from planea.statistics.tests import rows as statistic_rows

from .conftest import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(dataset):
    started = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    forecast_run_job.call(str(started.job_id), started.pk)
    started.refresh_from_db()
    return started


def test_the_list_offers_the_years_within_reach_to_planning_staff(dataset, client_as):
    page = client_as("profesional_planes_programas").get("/pronosticos/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="start-run"' in html
    assert re.findall(r'<option value="(\d+)"', html) == ["2026", "2027", "2028"]
    assert 'value="2027" selected' in html
    assert 'data-testid="stale-statistics"' not in html  # statistics reach October 2026, the last closed month
    assert 'data-testid="mase-explained"' in html and "menos de 1 es mejor que repetir el año anterior" in html
    # Statistics reads the runs but does not start them; the area liaison does not read them.
    reader = client_as("estadistica").get("/pronosticos/")
    assert reader.status_code == 200 and 'data-testid="start-run"' not in reader.content.decode()
    assert client_as("enlace_area").get("/pronosticos/").status_code == 403
    assert client_as("estadistica").post("/pronosticos/nueva/", {"target_year": "2027"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_starting_a_run_leads_through_the_progress_bar_to_the_run(dataset, client_as):
    client = client_as("jefe_planes_programas")
    response = client.post("/pronosticos/nueva/", {"target_year": "2027"})
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trabajos/{run.job_id}/"
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-progress"' in waiting and 'hx-trigger="every 1s"' in waiting
    run_worker()
    done = client.get(response["Location"]).content.decode()
    assert f'href="/pronosticos/{run.pk}/" data-testid="job-next"' in done
    listing = client.get("/pronosticos/").content.decode()
    assert f'href="/pronosticos/{run.pk}/"' in listing and "Terminada" in listing


@pytest.mark.parametrize("year", ["2030", "abc", "", "-1", "２０２７"])
def test_a_year_not_offered_is_refused_next_to_the_field(dataset, client_as, year):
    response = client_as("profesional_planes_programas").post("/pronosticos/nueva/", {"target_year": year})
    assert response.status_code == 400 and not ForecastRun.objects.exists()
    assert 'class="invalid-feedback' in response.content.decode() or "is-invalid" in response.content.decode()


def test_the_list_warns_when_statistics_stop_before_the_last_closed_month(dataset, client_as):
    statistic_rows.clear(StatisticYear.objects.filter(year=2026), range(9, 13))
    html = client_as("profesional_planes_programas").get("/pronosticos/").content.decode()
    assert "Las estadísticas llegan hasta 08/2026 y el último mes cerrado es 10/2026" in html


def test_a_refused_start_shows_why(demo, client_as):
    response = client_as("profesional_planes_programas").post("/pronosticos/nueva/", {"target_year": "2027"})
    assert response.status_code == 400
    assert "No hay estadísticas cargadas hasta 10/2026" in response.content.decode()


def test_the_run_page_summarizes_and_filters(run, client_as):
    client = client_as("subdirector_planificacion")
    html = client.get(f"/pronosticos/{run.pk}/").content.decode()
    assert run.input_sha256[:32] in html and run.input_sha256[32:] in html and run.method_version in html
    assert html.count("/series/") == 7
    areas = client.get(f"/pronosticos/{run.pk}/?variable=CTRL&nivel=area").content.decode()
    assert areas.count("/series/") == 2 and "10.02.U0" in areas
    passports = client.get(f"/pronosticos/{run.pk}/?variable=PAS").content.decode()
    assert passports.count("/series/") == 1 and "Toda la institución" in passports


@pytest.mark.parametrize(
    "query", ["variable=NOPE", "nivel=planeta", "variable=%00", "nivel=" + "x" * 5000, "pagina=abc", "pagina=-1"]
)
def test_malformed_filters_are_refused_not_crashed(run, client_as, query):
    response = client_as("jefe_planes_programas").get(f"/pronosticos/{run.pk}/?{query}")
    assert response.status_code in (200, 400)
    if query.startswith(("variable", "nivel")):
        assert response.status_code == 400


def test_a_run_not_finished_points_to_its_progress(dataset, client_as):
    run = start_run(target_year=2028, actor=dataset["profesional_planes_programas"])
    html = client_as("profesional_planes_programas").get(f"/pronosticos/{run.pk}/").content.decode()
    assert "En espera" in html and f"/trabajos/{run.job_id}/" in html and 'data-testid="series-table"' not in html


def test_a_failed_run_says_why(dataset, client_as):
    run = start_run(target_year=2028, actor=dataset["profesional_planes_programas"])
    ForecastRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, summary={"error": "Sin memoria."})
    html = client_as("profesional_planes_programas").get(f"/pronosticos/{run.pk}/").content.decode()
    assert 'data-testid="run-error">Sin memoria.' in html


def test_the_series_page_shows_the_months_and_the_chart_without_inline_script(run, client_as):
    series = SeriesForecast.objects.get(run=run, level=SeriesLevel.COST_CENTER, cost_center__code="0201")
    response = client_as("estadistica").get(f"/pronosticos/{run.pk}/series/{series.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'<th scope="row">\w+ 2027</th>', html)) == 12
    assert 'id="forecast-data" type="application/json"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "forecasting/forecast_chart.js" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    try:
        url = reverse("statistics:series", args=["CTRL"])
    except NoReverseMatch:
        assert 'data-testid="statistics-link"' not in html
    else:
        assert f'href="{url}?centro=0201"' in html


def test_series_of_another_run_or_unknown_is_not_found(run, dataset, client_as):
    other = start_run(target_year=2028, actor=dataset["profesional_planes_programas"])
    series = SeriesForecast.objects.filter(run=run).first()
    client = client_as("jefe_planes_programas")
    assert client.get(f"/pronosticos/{other.pk}/series/{series.pk}/").status_code == 404
    assert client.get(f"/pronosticos/{run.pk}/series/999999/").status_code == 404
    assert client.get("/pronosticos/999999/").status_code == 404
    assert client.get(f"/pronosticos/{run.pk}/series/abc/").status_code == 404
    assert client_as("enlace_area").get(f"/pronosticos/{run.pk}/series/{series.pk}/").status_code == 403


def test_the_menu_offers_the_forecasts_to_planning(dataset, client_as):
    assert 'href="/pronosticos/"' in client_as("profesional_planes_programas").get("/").content.decode()
    assert 'href="/pronosticos/"' not in client_as("enlace_area").get("/").content.decode()
    assert Job.objects.count() == 0


def test_in_a_run_for_the_current_year_the_closed_months_are_marked_observed(dataset, client_as):
    started = start_run(target_year=2026, actor=dataset["profesional_planes_programas"])
    forecast_run_job.call(str(started.job_id), started.pk)
    series = SeriesForecast.objects.get(run=started, level=SeriesLevel.INSTITUTION, variable__code="CTRL")
    html = client_as("jefe_planes_programas").get(f"/pronosticos/{started.pk}/series/{series.pk}/").content.decode()
    assert html.count('data-testid="observed"') == 10
    chart = re.search(r'id="forecast-data" type="application/json">(.*?)</script>', html).group(1)
    assert chart.count("Nov 2026") == 1 and "Oct 2026" in chart  # history up to October, forecasts after it


def test_a_run_says_when_the_statistics_changed_after_it_read_them(run, dataset, client_as):
    """A load or a change of excluded periods after the run: the run keeps its numbers, and says a new run would
    read other data (the run page and the chosen run of P5 step 2 both say it)."""
    from planea.statistics.exclusions import Span, mark_period, remove_period
    from planea.statistics.loading import load_csv
    from planea.statistics.models import Treatment

    client = client_as("profesional_planes_programas")
    assert 'data-testid="run-changed"' not in client.get(f"/pronosticos/{run.pk}/").content.decode()
    numbers_before = sorted(run.series.values_list("values__yhat", flat=True))
    late = b"variable,centro_costo,mes,valor\nCTRL,0201,2026-10,1\n"
    load_csv(late, file_name="tardio.csv", actor=dataset["estadistica"])
    html = client.get(f"/pronosticos/{run.pk}/").content.decode()
    assert 'data-testid="run-changed"' in html and "Después de esta corrida hubo 1 carga de estadísticas" in html
    span = Span((2022, 1), (2022, 2), Treatment.EXCLUDE, "cierre", variable=None, cost_center=None)
    remove_period(mark_period(span, actor=dataset["estadistica"]), actor=dataset["estadistica"])
    html = client.get(f"/pronosticos/{run.pk}/").content.decode()
    assert "1 carga de estadísticas y 2 cambios de periodos atípicos" in html
    assert sorted(run.series.values_list("values__yhat", flat=True)) == numbers_before


def test_a_run_whose_worker_stopped_fails_with_its_job_and_can_be_started_again(dataset, client_as, settings):
    """The worker stopped half-way (a restart): after PLANEA_JOB_SILENT_MINUTES without a sign of life the job and
    its run show as failed, saying it can be asked again, and a new run of the year can start."""
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from planea.audit.models import AuditEvent
    from planea.jobs.models import JobStatus

    started = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    ForecastRun.objects.filter(pk=started.pk).update(status=RunStatus.RUNNING)
    silent = timezone.now() - timedelta(minutes=settings.PLANEA_JOB_SILENT_MINUTES + 1)
    Job.objects.filter(pk=str(started.job_id)).update(status=JobStatus.RUNNING, started_at=silent, heartbeat_at=silent)
    call_command("fail_abandoned_jobs", stdout=io.StringIO())
    started.refresh_from_db()
    job = Job.objects.get(pk=str(started.job_id))
    assert job.status == JobStatus.FAILED and "puede pedirlo de nuevo" in job.message
    assert started.status == RunStatus.FAILED and "Puede iniciar una nueva" in started.summary["error"]
    assert AuditEvent.objects.filter(action="job_abandoned").count() == 1
    assert AuditEvent.objects.filter(action="forecast_run_failed", object_id=str(started.pk)).exists()
    html = client_as("profesional_planes_programas").get(f"/pronosticos/{started.pk}/").content.decode()
    assert 'data-testid="run-error"' in html and "La corrida se interrumpió" in html
    again = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    assert again.pk != started.pk


def test_a_job_still_reporting_progress_is_not_abandoned(dataset, settings):
    from datetime import timedelta

    from django.utils import timezone

    from planea.jobs.models import JobStatus
    from planea.jobs.services import Progress, fail_abandoned

    started = start_run(target_year=2027, actor=dataset["profesional_planes_programas"])
    long_ago = timezone.now() - timedelta(minutes=settings.PLANEA_JOB_SILENT_MINUTES * 3)
    Job.objects.filter(pk=str(started.job_id)).update(
        status=JobStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    Progress(str(started.job_id))(5, 10, "Pronosticando…")  # a sign of life
    assert fail_abandoned() == 0
    assert Job.objects.get(pk=str(started.job_id)).status == JobStatus.RUNNING
