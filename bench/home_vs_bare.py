"""Benchmark: the signed-in home page (Bandeja) against a bare Django view, on the same gunicorn server.

Prints p50/p95 latency of each and their ratio, on an org of national scale (60+ cost centers, 300+ people).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from bench.scale import build
    from planea.org.models import Person

    call_command("migrate", verbosity=0)
    centers, people = build()
    user = Person.objects.get(username="jefe_planes_programas")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "planea.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "Host": "127.0.0.1"}
        timings: dict[str, list[float]] = {"/bench/bare/": [], "/": []}
        for i in range(REQUESTS + 20):
            for path, samples in timings.items():
                conn = http.client.HTTPConnection("127.0.0.1", port)
                start = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                conn.close()
                assert response.status == 200, (path, response.status)
                if path == "/":
                    assert b"Bandeja" in body
                if i >= 20:  # warm-up
                    samples.append(elapsed)
    finally:
        server.terminate()
        server.wait(timeout=10)

    bare, home = timings["/bench/bare/"], timings["/"]
    result = {
        "benchmark": "home_vs_bare",
        "cost_centers": centers,
        "people": people,
        "requests": REQUESTS,
        "bare_p50_ms": round(percentile(bare, 50), 2),
        "bare_p95_ms": round(percentile(bare, 95), 2),
        "home_p50_ms": round(percentile(home, 50), 2),
        "home_p95_ms": round(percentile(home, 95), 2),
    }
    result["ratio_p50"] = round(result["home_p50_ms"] / result["bare_p50_ms"], 2)
    result["ratio_p95"] = round(result["home_p95_ms"] / result["bare_p95_ms"], 2)
    print(f"home_vs_bare — organización: {centers} centros de costo, {people} personas; {REQUESTS} solicitudes c/u")
    print(f"  vista mínima        p50 {result['bare_p50_ms']:7.2f} ms   p95 {result['bare_p95_ms']:7.2f} ms")
    print(f"  bandeja (inicio)    p50 {result['home_p50_ms']:7.2f} ms   p95 {result['home_p95_ms']:7.2f} ms")
    print(f"  razón bandeja/mínima  p50 {result['ratio_p50']:.2f}x   p95 {result['ratio_p95']:.2f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "home_vs_bare.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
