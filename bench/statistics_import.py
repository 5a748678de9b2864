"""Benchmark: loading 100,800 monthly statistics (140 variables × 60 cost centers × 12 months) from the long-form
CSV and from the Excel template of the year (exported by Planea with those values), each against a raw read of the
same file in the same run (the csv module for the CSV, python-calamine for the workbook). Every load checks every
row and writes one batch in one transaction with its audit event, into an empty set of statistics (the values,
their revisions and batches are deleted between attempts). Target: ≤ 5× the raw read."""

from __future__ import annotations

import csv
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIABLES, COST_CENTERS, YEAR = 140, 60, 2024
ATTEMPTS = 3


def build_variables() -> list[object]:
    from planea.statistics.models import StatisticalVariable
    from planea.strategy.models import UnitOfMeasure

    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    for n in range(StatisticalVariable.objects.count(), VARIABLES):
        StatisticalVariable.objects.get_or_create(code=f"BV{n:03d}", defaults={"name": f"Variable {n}", "unit": unit})
    return list(StatisticalVariable.objects.order_by("code")[:VARIABLES])


def long_csv(variables: list[object], centers: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["variable", "centro_costo", "mes", "valor"])
    for v, variable in enumerate(variables):
        for c, center in enumerate(centers):
            for month in range(1, 13):
                writer.writerow([variable.code, center, f"{YEAR}-{month:02d}", (v * 7 + c * 13 + month * 101) % 9973])  # type: ignore[attr-defined]
    return out.getvalue().encode()


def empty_statistics() -> None:
    from bench.database import settle
    from planea.statistics.models import StatisticRevision, StatisticsBatch, StatisticYear

    StatisticRevision.objects.all().delete()
    StatisticYear.objects.all().delete()
    StatisticsBatch.objects.all().delete()
    settle()  # the deleted rows vacuumed, as autovacuum would have: not left in the indexes the next load fills


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.database import prepare, save, settle

    database = prepare()
    from python_calamine import CalamineWorkbook

    from bench.scale import build
    from planea.org.models import CostCenter, Person
    from planea.statistics.excel import export_template, load_xlsx
    from planea.statistics.loading import load_csv
    from planea.statistics.models import StatisticsBatch

    build(cost_centers=COST_CENTERS + 4)
    variables = build_variables()
    centers = list(CostCenter.objects.order_by("code").values_list("code", flat=True)[:COST_CENTERS])
    statistician = Person.objects.get(username="estadistica")
    data_csv = long_csv(variables, centers)
    settle()

    results: dict[str, dict[str, float]] = {}
    for label, raw_read, load, data in (
        ("CSV", lambda d: list(csv.reader(io.StringIO(d.decode("utf-8-sig")))), load_csv, data_csv),
    ):
        results[label] = timed(raw_read, load, data, statistician)
    # The template of the year as Planea exports it with the values just loaded: what Estadística sends back.
    template = export_template(YEAR)
    results["XLSX"] = timed(
        lambda d: CalamineWorkbook.from_filelike(io.BytesIO(d)).get_sheet_by_name("Estadísticas").to_python(),
        load_xlsx,
        template,
        statistician,
    )
    values_in_template = StatisticsBatch.objects.get().rows  # the values the last load (of the template) brought
    rows = data_csv.count(b"\n") - 1

    print(f"Carga de estadísticas ({database}): {rows:,} filas del CSV, {values_in_template:,} datos de la plantilla")
    for label, figures in results.items():
        print(
            f"  {label}: carga {figures['load_ms']:,.0f} ms; lectura cruda {figures['raw_ms']:,.0f} ms; "
            f"razón (mediana de pares) {figures['ratio']:.2f}× (meta ≤ 5×)"
        )
    save(
        {
            "benchmark": "statistics_import",
            "csv_rows": rows,
            "template_values": values_in_template,
            **{f"{k.lower()}_{m}": round(v, 2) for k, f in results.items() for m, v in f.items()},
        },
        database,
    )


def timed(raw_read: object, load: object, data: bytes, statistician: object) -> dict[str, float]:
    """Median load, median raw read and the median of their per-attempt ratios (each load after its own read)."""
    raws, loads, ratios = [], [], []
    for _attempt in range(ATTEMPTS):
        empty_statistics()
        start = time.perf_counter()
        raw_read(data)  # type: ignore[operator]
        raw = time.perf_counter() - start
        start = time.perf_counter()
        result = load(data, file_name="bench", actor=statistician)  # type: ignore[operator]
        loaded = time.perf_counter() - start
        assert result.created > 0 and result.revised == 0, result
        raws.append(raw * 1000)
        loads.append(loaded * 1000)
        ratios.append(loaded / raw)
    return {"load_ms": statistics.median(loads), "raw_ms": statistics.median(raws), "ratio": statistics.median(ratios)}


if __name__ == "__main__":
    main()
