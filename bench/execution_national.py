"""Benchmark: the execution of physical goals (P6) at national scale — 100 subproducts × 60 cost centers × 12 months,
ten years of POAs (nine approved, each with its twelve months executed and approved, the approved figures of every
month stored), and a forecast run of the measured year (6,000 series of cost centers, twelve months each).

1. The execution dashboard (year to date through June, so that the projection reads the forecast of July–December;
   lights per product, the monthly chart, the heat map of 60 cost centers and the projection of 100 subproducts) and
   the third four-monthly report (from the approved figures of September–December), against the bare view: p50/p95
   and their ratios. Target: p95 ≤ 150 ms and ≤ 10× the bare view.
2. A month's approval timed: December reopened, registered, authorized and approved again (the lock and its
   approved figures with their SHA-256), then its comprobantes made (the consolidated PDF and one per area).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
MEASURED_YEAR = 2029


def value(i: int, month: int) -> int:
    """The executed quantity of line i in a month: near its goal ((i * 7 + month * 13) % 5000), some lines astray."""
    goal = (i * 7 + month * 13) % 5000
    return goal if i % 9 else goal * 3 // 4


def build_execution(pei: object) -> object:
    """Executed values, approved months and their approved figures for every approved POA of the benchmark PEI, and a
    forecast run of MEASURED_YEAR. Built once per benchmark database; returns the measured POA."""
    from django.db import transaction
    from django.utils import timezone

    from planea.execution.models import (
        ApprovedRevision,
        ExecutedGoal,
        ExecutionMonth,
        MonthStatus,
        Source,
        executed_column,
        source_column,
    )
    from planea.execution.months import digest
    from planea.forecasting.models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel
    from planea.operations.models import OperationalPlan, PhysicalGoal
    from planea.org.models import Person
    from planea.statistics.models import StatisticalVariable
    from planea.strategy.models import PlanStatus

    measured = OperationalPlan.objects.get(code=f"POA-BENCH-{MEASURED_YEAR}")
    if ExecutionMonth.objects.filter(plan=measured).exists():
        return measured
    sub = Person.objects.get(username="subdirector_planificacion")
    now = timezone.now()
    plans = OperationalPlan.objects.filter(strategic_plan=pei, status=PlanStatus.APPROVED).order_by("start_year")
    for plan in plans:
        with transaction.atomic():
            goals = list(
                PhysicalGoal.objects.filter(plan=plan)
                .order_by("subproduct__code", "cost_center__code")
                .values_list("subproduct_id", "cost_center_id", "subproduct__code", "cost_center__code")
            )
            ExecutedGoal.objects.bulk_create(
                (
                    ExecutedGoal(
                        plan=plan,
                        subproduct_id=s,
                        cost_center_id=c,
                        year=plan.start_year,
                        **{executed_column(m): value(i, m) for m in range(1, 13)},
                        **{source_column(m): Source.IMPORT for m in range(1, 13)},
                    )
                    for i, (s, c, _sc, _cc) in enumerate(goals)
                ),
                batch_size=1000,
            )
            for month in range(1, 13):
                figures = [
                    {
                        "subproduct": subproduct,
                        "cost_center": center,
                        "planned": (i * 7 + month * 13) % 5000,
                        "current": (i * 7 + month * 13) % 5000,
                        "executed": value(i, month),
                        "cause": "" if i % 9 else "Cierre parcial del puesto.",
                    }
                    for i, (_s, _c, subproduct, center) in enumerate(goals)
                ]
                found = ExecutionMonth.objects.create(
                    plan=plan,
                    year=plan.start_year,
                    month=month,
                    status=MonthStatus.APPROVED,
                    registered_by=sub,
                    registered_at=now,
                    authorized_by=sub,
                    authorized_at=now,
                    approved_by=sub,
                    approved_at=now,
                )
                ApprovedRevision.objects.create(
                    execution_month=found,
                    revision=1,
                    figures=figures,
                    sha256=digest(figures),
                    approved_by=sub,
                    approved_at=now,
                )
    with transaction.atomic():
        variables = {}
        for subproduct in pei.subproducts.select_related("unit"):
            variables[subproduct.pk] = StatisticalVariable.objects.create(
                code=f"BENCH-{subproduct.code}", name=subproduct.name, unit=subproduct.unit, subproduct=subproduct
            )
        run = ForecastRun.objects.create(
            target_year=MEASURED_YEAR,
            data_until=date(MEASURED_YEAR - 1, 12, 1),
            status=RunStatus.RUNNING,
            created_by=sub,
            created_at=now,
            method_version="bench",
        )
        lines = PhysicalGoal.objects.filter(plan=measured).values_list("subproduct_id", "cost_center_id")
        series = SeriesForecast.objects.bulk_create(
            (
                SeriesForecast(
                    run=run, variable=variables[s], level=SeriesLevel.COST_CENTER, cost_center_id=c, model="b"
                )
                for s, c in lines
            ),
            batch_size=1000,
        )
        ForecastValue.objects.bulk_create(
            (
                ForecastValue(series=one, month=m, base=100, yhat=100, lo80=80, hi80=120, lo95=70, hi95=130)
                for one in series
                for m in range(1, 13)
            ),
            batch_size=5000,
        )
        ForecastRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, series_count=len(series))
    return measured


def time_approval(plan: object) -> dict[str, float]:
    """December reopened and approved again through the services (seconds of the approval), then its
    comprobantes made (seconds, and how many)."""
    from django.utils import timezone

    from planea.execution import comprobantes, months
    from planea.execution.models import DeviationCause, ExecutionMonth, MonthStatus
    from planea.org.models import Person

    people = {p.username: p for p in Person.objects.filter(username__endswith="planes_programas")}
    sub = Person.objects.get(username="subdirector_planificacion")
    december = ExecutionMonth.objects.get(plan=plan, month=12)
    if december.status == MonthStatus.APPROVED:
        months.reopen(december, reason="Benchmark: aprobar de nuevo.", actor=sub)
        december.refresh_from_db()
    if december.status == MonthStatus.OPEN:
        december = months.register(december, actor=people["profesional_planes_programas"])
    written = timezone.now()
    DeviationCause.objects.bulk_create(  # the causes of the lines astray, as the profesional writes them
        DeviationCause(
            execution_month=december,
            subproduct_id=s,
            cost_center_id=c,
            text="Cierre parcial del puesto.",
            written_by=people["profesional_planes_programas"],
            written_at=written,
        )
        for s, c in months.needing_cause(december)
    )
    if december.status == MonthStatus.REGISTERED:
        months.authorize(december, actor=people["jefe_planes_programas"])
    started = time.perf_counter()
    revision = months.approve(december, actor=sub)
    approved = time.perf_counter() - started
    started = time.perf_counter()
    made = comprobantes.generate(revision, actor=sub)
    made_in = time.perf_counter() - started
    return {"approve_s": approved, "comprobantes_s": made_in, "comprobantes": len(made)}


def compute_cold(plan: object) -> dict[str, float]:
    """The dashboard and the report computed afresh (what the first request after a change of the data pays, before
    the pages remember them until the next change): median of 5, in ms."""
    import statistics

    from planea.execution import dashboard, four_monthly

    timings: dict[str, list[float]] = {"dashboard": [], "report": []}
    for _ in range(5):
        started = time.perf_counter()
        dashboard.dashboard(plan, through=6)
        timings["dashboard"].append(time.perf_counter() - started)
        started = time.perf_counter()
        four_monthly.report(plan, 3)
        timings["report"].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.database import prepare, save, settle

    database = prepare()
    from bench.plans_national import COST_CENTERS, SUBPRODUCTS, YEARS, build_plans
    from bench.scale import build
    from bench.server import gunicorn, percentile, session_headers, time_gets

    build(cost_centers=COST_CENTERS + 4)
    started = time.perf_counter()
    pei, _last = build_plans()
    plan = build_execution(pei)
    built = time.perf_counter() - started
    settle()
    headers = session_headers("director_general")
    dashboard = f"/ejecucion/tablero/?poa={plan.pk}&hasta=6"
    report = f"/ejecucion/informes/?poa={plan.pk}&periodo=3"
    paths = {
        "/bench/bare/": lambda body: True,
        dashboard: lambda body: b'data-testid="dashboard-projections"' in body and body.count(b"heat-") >= 60,
        report: lambda body: b"09/2029, 10/2029, 11/2029, 12/2029" in body,
    }
    approval = time_approval(plan)  # first: it leaves December approved again, as the report expects
    settle()
    cold = compute_cold(plan)
    with gunicorn() as port:
        timings = time_gets(port, paths, headers, REQUESTS, warmup=5)
    bare, board, four = timings["/bench/bare/"], timings[dashboard], timings[report]
    result: dict[str, object] = {
        "benchmark": "execution_national",
        "subproducts": SUBPRODUCTS,
        "cost_centers": COST_CENTERS,
        "years_of_poa": YEARS,
        "build_seconds": round(built, 1),
        "requests": REQUESTS,
        "bare_p50_ms": round(percentile(bare, 50), 2),
        "bare_p95_ms": round(percentile(bare, 95), 2),
        "dashboard_p50_ms": round(percentile(board, 50), 2),
        "dashboard_p95_ms": round(percentile(board, 95), 2),
        "report_p50_ms": round(percentile(four, 50), 2),
        "report_p95_ms": round(percentile(four, 95), 2),
        "dashboard_cold_ms": round(cold["dashboard"], 1),
        "report_cold_ms": round(cold["report"], 1),
        "approve_ms": round(approval["approve_s"] * 1000, 1),
        "comprobantes_s": round(approval["comprobantes_s"], 1),
        "comprobantes": approval["comprobantes"],
    }
    for name in ("dashboard", "report"):
        for q in ("p50", "p95"):
            result[f"{name}_ratio_{q}"] = round(float(result[f"{name}_{q}_ms"]) / float(result[f"bare_{q}_ms"]), 2)
    print(
        f"execution_national ({database}) — {SUBPRODUCTS} subproductos × {COST_CENTERS} centros × 12 meses, "
        f"{YEARS} POA con ejecución; {REQUESTS} solicitudes c/u"
    )
    print(f"  vista mínima          p50 {result['bare_p50_ms']:8.2f} ms   p95 {result['bare_p95_ms']:8.2f} ms")
    for name, label in (("dashboard", "tablero (ene–jun)  "), ("report", "informe cuatrimestral")):
        print(
            f"  {label} p50 {result[f'{name}_p50_ms']:8.2f} ms   p95 {result[f'{name}_p95_ms']:8.2f} ms   "
            f"razón p50 {result[f'{name}_ratio_p50']:.2f}x · p95 {result[f'{name}_ratio_p95']:.2f}x"
        )
    print(
        f"  sin caché (primera solicitud tras un cambio): tablero {result['dashboard_cold_ms']:,.0f} ms, "
        f"informe {result['report_cold_ms']:,.0f} ms"
    )
    print(
        f"  aprobación de diciembre (bloqueo y cifras con SHA-256): {result['approve_ms']:,.0f} ms; "
        f"{result['comprobantes']} comprobantes PDF en {result['comprobantes_s']:,.1f} s (trabajo en segundo plano)"
    )
    save(result, database)


if __name__ == "__main__":
    main()
