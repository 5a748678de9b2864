"""Benchmark: plan data at national scale — 100 subproducts × 60 cost centers × 12 months, ten years of POAs
(720,000 monthly goals, stored as 60,000 rows of a year).

1. The goal grid of one subproduct (60 × 12 editable cells with row, cuatrimestre and column sums) and the POA
   summary (totals per subproduct and cost center, computed from 72,000 cells) against a bare view, p50/p95.
2. Importing a 60 × 12 × 100 goals template (6,000 rows, every row checked, all written in one transaction with its
   audit event) against a raw python-calamine read of the same file.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
IMPORTS = 8  # timed imports, each changing all 72,000 cells, each after a read of its file by calamine alone
SUBPRODUCTS, COST_CENTERS, YEARS = 100, 60, 10


def build_plans() -> tuple[object, object]:
    """An approved PEI with 10 products × 10 subproducts each delivered by 60 cost centers, and one POA per year
    2021-2030 with every monthly goal (the last one a draft). Built once per benchmark database."""
    from django.db import transaction

    from planea.operations.models import OperationalPlan, PhysicalGoal, PlanKind, goal_column
    from planea.org.models import CostCenter, OrgUnit, Person
    from planea.strategy import lifecycle as strategy_lifecycle
    from planea.strategy.models import PlanStatus, Product, Result, StrategicPlan, Subproduct, UnitOfMeasure
    from planea.strategy.plans import create_plan as create_pei

    pei = StrategicPlan.objects.filter(code="PEI-BENCH").first()
    if pei is not None:
        return pei, OperationalPlan.objects.get(code="POA-BENCH-2030")
    jefe = Person.objects.get(username="jefe_planes_programas")
    centers = list(CostCenter.objects.order_by("code")[:COST_CENTERS])
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    area = OrgUnit.objects.get(code="10.02.U0")
    with transaction.atomic():
        pei = create_pei(actor=jefe, code="PEI-BENCH", name="PEI nacional", start_year=2021, end_year=2030)
        result = Result.objects.create(plan=pei, code="RI-01", level="institutional", name="Resultado")
        for p in range(SUBPRODUCTS // 10):
            product = Product.objects.create(
                plan=pei, result=result, code=f"P{p:02d}", name=f"Producto {p}", unit=unit, program="11", activity="001"
            )
            for s in range(10):
                sub = Subproduct.objects.create(
                    product=product, code=f"P{p:02d}-{s:02d}", name=f"Subproducto {p}.{s}", unit=unit
                )
                sub.cost_centers.set(centers)
                sub.responsible_units.set([area])
        strategy_lifecycle.approve(pei, actor=jefe)
        subproducts = list(Subproduct.objects.filter(plan=pei))
        last = None
        for year in range(2021, 2031):
            last = OperationalPlan.objects.create(
                kind=PlanKind.ANNUAL,
                code="POA-BENCH-2030" if year == 2030 else f"POA-BENCH-{year}",
                name=f"POA {year}",
                start_year=year,
                end_year=year,
                strategic_plan=pei,
                status=PlanStatus.DRAFT if year == 2030 else PlanStatus.APPROVED,
                created_by=jefe,
            )
            PhysicalGoal.objects.bulk_create(
                (
                    PhysicalGoal(
                        plan=last,
                        subproduct=sub,
                        cost_center=cc,
                        year=year,
                        **{
                            goal_column(attr, month): (i * 7 + month * 13) % 5000
                            for month in range(1, 13)
                            for attr in ("planned", "current")
                        },
                    )
                    for i, (sub, cc) in enumerate((s, c) for s in subproducts for c in centers)
                ),
                batch_size=1000,
            )
    return pei, last


def changed_template(data: bytes, step: int) -> tuple[bytes, list[int]]:
    """The exported template with `step` added to every monthly goal, saved as Excel saves it: the Total column
    keeps its formula with the calculated value beside it. Importing it changes every cell."""
    import io
    import re
    import zipfile

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb["Metas"]
    numbers, totals = [], {}
    for row in ws.iter_rows(min_row=2):
        for cell in row[4:16]:
            cell.value = (cell.value or 0) + step
        totals[str(row[0].row)] = sum(cell.value for cell in row[4:16])
        numbers.append(row[0].row)
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl writes formulas without a value (<v></v>); Excel stores the value it calculated.
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    sheet = next(n for n in source.namelist() if n.startswith("xl/worksheets/") and b"SUM(E" in source.read(n))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if name == sheet:
                part = re.sub(
                    rb'(<c r="Q(\d+)"[^>]*><f>[^<]*</f>)<v\s*/?>(?:</v>)?',
                    lambda m: m.group(1) + b"<v>%d</v>" % totals[m.group(2).decode()],
                    part,
                )
            target.writestr(name, part)
    return out.getvalue(), numbers


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.database import prepare, save, settle

    database = prepare()
    from django.conf import settings
    from python_calamine import CalamineWorkbook

    from bench.scale import build
    from bench.server import gunicorn, percentile, session_headers, time_gets
    from planea.operations.goals_excel import export_goals, import_goals
    from planea.operations.models import PhysicalGoal
    from planea.org.models import Person

    build(cost_centers=COST_CENTERS + 4)
    started = time.perf_counter()
    pei, poa = build_plans()
    built = time.perf_counter() - started
    settle()
    goals = PhysicalGoal.objects.filter(plan__strategic_plan=pei).count() * 12  # monthly goals, in rows of a year
    sub = pei.subproducts.order_by("code").first()
    headers = session_headers("jefe_planes_programas")
    grid_path, summary_path = f"/planes/{poa.pk}/metas/?subproducto={sub.pk}", f"/planes/{poa.pk}/"
    paths = {
        "/bench/bare/": lambda body: True,
        grid_path: lambda body: body.count(b'name="c-') == COST_CENTERS * 12,
        summary_path: lambda body: b"III cuatrimestre" in body,
    }
    with gunicorn() as port:
        timings = time_gets(port, paths, headers, REQUESTS, warmup=5)

    # The import: a full national template in which every cell changes (72,000 values), against calamine reading
    # the same file. Two files alternate (+1 and +2 on every stored value) so that each timed import changes all.
    templates = [changed_template(export_goals(poa), step) for step in (1, 2)]
    rows = len(templates[0][1])
    jefe = Person.objects.get(username="jefe_planes_programas")
    raw_times, import_times, changed = [], [], []
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    for attempt in range(IMPORTS):
        data, _rows = templates[attempt % 2]
        path = settings.DATA_DIR / f"metas-nacional-{attempt % 2}.xlsx"
        path.write_bytes(data)
        start = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Metas").to_python()
        raw_times.append(time.perf_counter() - start)
        assert len(sheet) == rows + 1
        start = time.perf_counter()
        summary = import_goals(data, jefe, filename=path.name)
        import_times.append(time.perf_counter() - start)
        assert summary.rows == rows and summary.changed == rows * 12, summary
        changed.append(summary.changed)

    bare, grid, totals = timings["/bench/bare/"], timings[grid_path], timings[summary_path]
    raw, imported = statistics.median(raw_times) * 1000, statistics.median(import_times) * 1000
    result = {
        "benchmark": "plans_national",
        "subproducts": SUBPRODUCTS,
        "cost_centers": COST_CENTERS,
        "years_of_poa": YEARS,
        "goals": goals,
        "build_seconds": round(built, 1),
        "requests": REQUESTS,
        "bare_p50_ms": round(percentile(bare, 50), 2),
        "bare_p95_ms": round(percentile(bare, 95), 2),
        "grid_p50_ms": round(percentile(grid, 50), 2),
        "grid_p95_ms": round(percentile(grid, 95), 2),
        "summary_p50_ms": round(percentile(totals, 50), 2),
        "summary_p95_ms": round(percentile(totals, 95), 2),
        "template_rows": rows,
        "cells_changed_per_import": changed,
        "calamine_read_ms": round(raw, 1),
        "import_ms": round(imported, 1),
    }
    result["grid_ratio_p50"] = round(result["grid_p50_ms"] / result["bare_p50_ms"], 2)
    result["summary_ratio_p50"] = round(result["summary_p50_ms"] / result["bare_p50_ms"], 2)
    # Each import is timed right after its own calamine read, and the ratio is the median of those pairs: a machine
    # that slows down for a moment weighs on both sides of a pair alike.
    result["import_ratio"] = round(statistics.median(i / r for i, r in zip(import_times, raw_times, strict=True)), 2)
    print(
        f"plans_national ({database}) — {SUBPRODUCTS} subproductos × {COST_CENTERS} centros × 12 meses, {YEARS} POA: "
        f"{goals:,} metas; {REQUESTS} solicitudes c/u"
    )
    print(f"  vista mínima          p50 {result['bare_p50_ms']:8.2f} ms   p95 {result['bare_p95_ms']:8.2f} ms")
    print(f"  cuadrícula (60 × 12)  p50 {result['grid_p50_ms']:8.2f} ms   p95 {result['grid_p95_ms']:8.2f} ms")
    print(f"  resumen con totales   p50 {result['summary_p50_ms']:8.2f} ms   p95 {result['summary_p95_ms']:8.2f} ms")
    print(
        f"  razón cuadrícula/mínima p50 {result['grid_ratio_p50']:.2f}x · "
        f"resumen/mínima {result['summary_ratio_p50']:.2f}x"
    )
    print(
        f"  importación de {rows:,} filas: {imported:,.0f} ms; lectura calamine sola {raw:,.0f} ms; "
        f"razón {result['import_ratio']:.1f}x"
    )
    save(result, database)


if __name__ == "__main__":
    main()
