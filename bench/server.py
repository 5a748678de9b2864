"""Helpers shared by the HTTP benchmarks: a gunicorn server on a free port, a signed-in session cookie, and
timed GET requests (warm-up first, then p50/p95)."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def session_key(username: str) -> str:
    """A session signing `username` in, stored in the benchmark database."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from planea.org.models import Person

    user = Person.objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the one that loads people
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


def session_headers(username: str) -> dict[str, str]:
    """The Cookie header of a browser signed in as `username`: its session and the CSRF cookie its sign-in page
    left, which a page with a form then reuses instead of issuing a new one."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    session = f"{settings.SESSION_COOKIE_NAME}={session_key(username)}"
    return {"Cookie": f"{session}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}", "Host": "127.0.0.1"}


@contextmanager
def gunicorn(*, config_file: bool = False) -> Iterator[int]:
    """A gunicorn on a free port with the production settings of gunicorn.conf.py: all of them (the load test), or
    with one worker (latency benchmarks)."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    workers = [] if config_file else ["-w", "1"]
    command = [sys.executable, "-m", "gunicorn", "planea.wsgi", "-c", str(ROOT / "gunicorn.conf.py"), *workers]
    command += ["-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def time_gets(
    port: int,
    paths: dict[str, Callable[[bytes], bool]],
    headers: dict[str, str],
    requests: int,
    warmup: int = 20,
) -> dict[str, list[float]]:
    """Milliseconds per request for each path, interleaved; each answer must be 200 and pass its check."""
    timings: dict[str, list[float]] = {path: [] for path in paths}
    for i in range(requests + warmup):
        for path, check in paths.items():
            conn = http.client.HTTPConnection("127.0.0.1", port)
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            conn.close()
            assert response.status == 200 and check(body), (path, response.status)
            if i >= warmup:
                timings[path].append(elapsed)
    return timings
