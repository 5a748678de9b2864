"""Load test: BENCH_LOAD_USERS (50) planning staff for BENCH_LOAD_SECONDS (300) against gunicorn with the
production settings (gunicorn.conf.py), on loopback, over the national-scale plans of plans_national. Each user
opens the inbox, a goal grid of 60 cost centers × 12 months, a case page, and saves a goal cell of their own.

Prints the error count (target 0), p50/p95 per page and the throughput; on DATABASE_URL (PostgreSQL in production).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "300"))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.database import prepare, save

    database = prepare()
    from django.conf import settings

    from bench.plans_national import build_plans
    from bench.scale import build
    from bench.server import gunicorn, session_key
    from planea.org.models import Person
    from planea.org.roles import Role
    from planea.procedures import cases, notifications
    from planea.procedures.manual import P6
    from planea.procedures.models import Case

    build(cost_centers=64)
    pei, poa = build_plans()
    sub = pei.subproducts.order_by("code").first()
    centers = list(sub.cost_centers.order_by("code").values_list("pk", flat=True))
    staff = list(
        Person.objects.filter(role_assignments__role=Role.PROFESIONAL_PLANES_PROGRAMAS).distinct().order_by("pk")
    )[:USERS]
    jefe = Person.objects.get(username="jefe_planes_programas")
    case = Case.objects.filter(title="Carga: ejecución de metas").first()
    if case is None:
        with notifications.muted():
            case = cases.start_case(code=P6.code, title="Carga: ejecución de metas", subject="Octubre", actor=jefe)
    cookie = settings.SESSION_COOKIE_NAME
    config = {
        "cookie": cookie,
        "sessions": [session_key(p.username) for p in staff],
        "grid": f"/planes/{poa.pk}/metas/?subproducto={sub.pk}",
        "save": f"/planes/{poa.pk}/metas/guardar/",
        "subproduct": str(sub.pk),
        "case": f"/expedientes/{case.pk}/",
        # Each user's own cell: a cost center (by user) and a month, so that no two saves conflict.
        "cells": [f"c-{centers[n % len(centers)]}-{poa.start_year}-{n // len(centers) % 12 + 1}" for n in range(USERS)],
    }
    out = ROOT / "var" / "bench"
    (out / "load-config.json").write_text(json.dumps(config))
    env = {**os.environ, "BENCH_LOAD_CONFIG": str(out / "load-config.json")}
    with gunicorn(config_file=True) as port:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "load.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(out / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
        )
    with (out / "load_stats.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    pages = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
        }
        for row in rows
        if row["Name"] != "Aggregated"
    }
    total = next(row for row in rows if row["Name"] == "Aggregated")
    result = {
        "benchmark": "load",
        "users": USERS,
        "seconds": SECONDS,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "pages": pages,
    }
    print(f"load ({database}) — {USERS} usuarios durante {SECONDS} s, gunicorn con gunicorn.conf.py")
    for name, page in sorted(pages.items()):
        print(
            f"  {name:22s} {page['requests']:6d} solicitudes  errores {page['errors']:3d}  "
            f"p50 {page['p50_ms']:7.0f} ms  p95 {page['p95_ms']:7.0f} ms"
        )
    rate = result["requests_per_second"]
    print(f"  total {result['requests']:,} solicitudes, {result['errors']} errores, {rate} por segundo")
    save(result, database)


if __name__ == "__main__":
    main()
