"""Benchmark: the signed-in home page (Bandeja) against a bare Django view, on the same gunicorn server.

Prints p50/p95 latency of each and their ratio, on an org of national scale (60+ cost centers, 300+ people), for
the head of planning with 20 pending steps in the inbox.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
PENDING = 20  # steps in the inbox, as a head of planning has in a busy month


def pending_steps(username: str) -> int:
    """Open cases started by `username` until their inbox holds PENDING ready steps; returns how many it holds."""
    from planea.org.models import Person
    from planea.procedures import cases, notifications
    from planea.procedures.inbox import inbox_rows
    from planea.procedures.manual import P6

    person = Person.objects.get(username=username)
    with notifications.muted():
        for n in range(len(inbox_rows(person)), PENDING):
            cases.start_case(code=P6.code, title=f"Ejecución {n}", subject=f"Mes {n % 12 + 1}", actor=person)
    return len(inbox_rows(person))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.database import prepare, save

    database = prepare()

    from bench.scale import build
    from bench.server import gunicorn, percentile, session_headers, time_gets

    centers, people = build()
    pending = pending_steps("jefe_planes_programas")
    headers = session_headers("jefe_planes_programas")
    with gunicorn() as port:
        timings = time_gets(
            port,
            {"/bench/bare/": lambda body: True, "/": lambda body: body.count(b"data-step=") == pending},
            headers,
            REQUESTS,
        )

    bare, home = timings["/bench/bare/"], timings["/"]
    result = {
        "benchmark": "home_vs_bare",
        "cost_centers": centers,
        "people": people,
        "inbox_steps": pending,
        "requests": REQUESTS,
        "bare_p50_ms": round(percentile(bare, 50), 2),
        "bare_p95_ms": round(percentile(bare, 95), 2),
        "home_p50_ms": round(percentile(home, 50), 2),
        "home_p95_ms": round(percentile(home, 95), 2),
    }
    result["ratio_p50"] = round(result["home_p50_ms"] / result["bare_p50_ms"], 2)
    result["ratio_p95"] = round(result["home_p95_ms"] / result["bare_p95_ms"], 2)
    print(
        f"home_vs_bare ({database}) — organización: {centers} centros de costo, {people} personas; "
        f"{pending} pasos en la bandeja; {REQUESTS} solicitudes c/u"
    )
    print(f"  vista mínima        p50 {result['bare_p50_ms']:7.2f} ms   p95 {result['bare_p95_ms']:7.2f} ms")
    print(f"  bandeja (inicio)    p50 {result['home_p50_ms']:7.2f} ms   p95 {result['home_p95_ms']:7.2f} ms")
    print(f"  razón bandeja/mínima  p50 {result['ratio_p50']:.2f}x   p95 {result['ratio_p95']:.2f}x")
    save(result, database)


if __name__ == "__main__":
    main()
