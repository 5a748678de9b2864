"""The four-monthly and annual reports are made of approved months only, say which months they cover, and each
cuatrimestre adds up exactly the months in it (so the year is the sum of its cuatrimestres)."""

import io

import pytest
from openpyxl import load_workbook

from planea.execution import four_monthly, months, report_files
from planea.execution.models import ExecutionMonth

from .test_months import executed_as_goals, through_approval

pytestmark = pytest.mark.django_db


def test_a_cuatrimestre_adds_up_its_approved_months_and_names_the_missing_ones(poa, demo):
    through_approval(poa, 1, demo)
    through_approval(poa, 2, demo)
    executed_as_goals(poa, 3, demo)  # registered only: not in the report
    months.register(ExecutionMonth.objects.get(plan=poa, month=3), actor=demo["profesional_planes_programas"])
    first = four_monthly.report(poa, 1)
    assert (first.months, first.pending) == ([1, 2], [3, 4])
    january = four_monthly.report(poa, four_monthly.YEAR)
    (line,) = first.lines
    assert line.subproduct_code == "P02-02" and line.unit
    by_month = [four_monthly.approved_figures(poa, (m,)) for m in (1, 2)]
    assert line.executed == sum(
        int(str(row["executed"])) for found in by_month for rows in found.values() for row in rows
    )
    assert line.current == sum(
        int(str(row["current"])) for found in by_month for rows in found.values() for row in rows
    )
    assert line.percent == 100  # executed as the goals
    assert january.lines[0].executed == line.executed  # the year so far is the same two months
    assert four_monthly.report(poa, 2).lines == [] and four_monthly.report(poa, 2).pending == [5, 6, 7, 8]


def test_the_year_is_the_sum_of_its_cuatrimestres(poa, demo):
    for month in range(1, 6):
        through_approval(poa, month, demo)
    year = four_monthly.report(poa, four_monthly.YEAR)
    parts = [four_monthly.report(poa, c) for c in (1, 2, 3)]
    assert year.lines[0].executed == sum(p.lines[0].executed for p in parts if p.lines)
    assert year.months == [1, 2, 3, 4, 5]


def test_every_cause_is_whole_in_the_workbook_even_past_what_a_cell_holds(poa, demo):
    through_approval(poa, 1, demo)
    report = four_monthly.report(poa, 1)
    (line,) = report.lines
    line.causes = [f"01/2026 · 02{n:02d}: " + "=causa larga " * 300 for n in range(10)]  # 39,000 characters
    workbook = load_workbook(io.BytesIO(report_files.to_xlsx(report)))
    main, causes = workbook.worksheets
    cell = str(main.cell(row=5, column=12).value)
    assert len(cell) <= 32_767 and cell.endswith("… (continúan en la hoja «Causas»)")
    rows = list(causes.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == [f"01/2026 · 02{n:02d}" for n in range(10)]
    assert all(row[0] == "P02-02" and row[3] == "'" + "=causa larga " * 300 for row in rows)  # whole, never a formula
    assert main.cell(row=5, column=9).number_format == '0.0" %"'
