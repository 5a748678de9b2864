"""The second worker backend: with PLANEA_TASKS_BACKEND=django_tasks_rq.RQBackend a forecast run is enqueued in
Redis and executed by an RQ worker (any machine with the code and the settings can run one). Here one forecast job
goes through the real Redis of the machine (.ci/run starts it), on a queue of its own in a database of its own
(PLANEA_TEST_REDIS_URL, default DB 15), so that parallel test workers and other checkouts never share a job. The
worker runs in burst mode in this process (rq's SimpleWorker: no fork, so it sees the test database)."""

from __future__ import annotations

import os
import uuid

import pytest
from django.urls import get_resolver

from planea.forecasting import runs, tasks
from planea.forecasting.models import ForecastRun, RunStatus, SeriesForecast
from planea.jobs.models import Job, JobStatus

REDIS_URL = os.environ.get("PLANEA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> str:
    """'' when Redis answers, else why not."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis no responde en {REDIS_URL} ({error}); .ci/run lo inicia"
    return ""


@pytest.fixture
def rq_backend(settings, monkeypatch):
    """The RQ backend on a queue named for this test alone; the queue and its jobs are removed afterwards."""
    unreachable = redis_reachable()
    if unreachable:
        pytest.skip(unreachable)
    import django_rq
    from django_tasks_rq import Job as RQJob

    # Every module with tasks is imported first: a @task declared while the RQ backend is selected would be built
    # by its task class and stay so for the tests that follow in this process.
    assert get_resolver().url_patterns
    queue_name = f"planea-test-{uuid.uuid4().hex[:12]}"
    # "default" stays declared (tasks of modules imported later are checked against it) but nothing goes there.
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600} for name in ("default", queue_name)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", queue_name]}}
    monkeypatch.setattr(runs, "forecast_run_job", tasks.forecast_run_job.using(queue_name=queue_name))
    queue = django_rq.get_queue(queue_name, job_class=RQJob)
    yield queue
    queue.delete(delete_jobs=True)


def work(queue) -> None:
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True, with_scheduler=False)


@pytest.mark.django_db(transaction=True)
def test_a_forecast_job_runs_through_redis(dataset, rq_backend, client_as):
    from django.tasks import task_backends
    from django_tasks_rq import RQBackend

    backend = task_backends["default"]
    assert isinstance(backend, RQBackend)
    response = client_as("profesional_planes_programas").post("/pronosticos/nueva/", {"target_year": "2027"})
    run = ForecastRun.objects.get()
    job = Job.objects.get()
    assert response.status_code == 302 and run.job_id == job.pk and job.status == JobStatus.QUEUED
    assert rq_backend.count == 1 and rq_backend.job_ids == [job.task_result_id]  # in Redis, not in the database

    work(rq_backend)

    run.refresh_from_db()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert run.status == RunStatus.DONE and run.series_count == 7 == SeriesForecast.objects.filter(run=run).count()
    assert rq_backend.count == 0
    assert backend.get_result(job.task_result_id).status == "SUCCESSFUL"  # the result is read back from Redis
