"""The annex of the oficio of P5 step 4 (traslada los pronósticos de metas físicas al Jefe del Departamento): step 3's
comparison (comparison.py) printed — per product, subproduct and cost center, with its unit of measure, the forecast
of the target year and its 80 % interval, the POM goal of that year, the difference, the percentage and the flag
beyond the case's tolerance; totals per subproduct and per unit of measure; one chart per subproduct (charts.py).
Step 3 and the annex show the same numbers by construction. A PDF, letter landscape, that prints every column inside
the page with national-scale numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from planea.core.numbers import grouped
from planea.org.models import Institution, OrgUnit
from planea.spreadsheets.imports import Progress, no_progress

from . import charts
from .comparison import Comparison, Flag, SubproductGroup, comparison
from .models import Programming
from .proposal import Band


@dataclass
class AnnexSection:
    """A subproduct of the annex: its lines and total (from the comparison) and its chart of the monthly forecast
    summed over its cost centers, beside the monthly equivalent of its POM goal."""

    group: SubproductGroup
    year: int

    @property
    def months(self) -> list[Band]:
        months = [Band() for _m in range(12)]
        for line in self.group.lines:
            months = [months[m - 1] + line.months.get(m, Band()) for m in range(1, 13)]
        return months

    @property
    def goal_monthly(self) -> Decimal | None:
        goal = self.group.total.goal
        return None if goal is None else (Decimal(goal) / 12).quantize(Decimal("0.01"))

    def chart(self) -> str:
        return charts.band_chart(
            charts.month_bands(self.months),
            goal_monthly=self.goal_monthly,
            title=_("%(code)s · pronóstico mensual de %(year)s (%(unit)s)")
            % {"code": self.group.subproduct_code, "year": self.year, "unit": self.group.unit.lower()},
        )


@dataclass
class Annex:
    """The whole annex: what the header says of the run and the case, and the comparison it prints."""

    run_number: int
    target_year: int
    data_until: date
    method_version: str
    input_sha256: str
    case_number: str
    table: Comparison
    sections: list[AnnexSection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sections = [AnnexSection(group, self.target_year) for group in self.table.subproducts]

    @property
    def flagged(self) -> int:
        """Lines beyond the tolerance, with no forecast or no POM goal: every line the annex marks."""
        return sum(1 for line in self.table.lines if line.flagged != Flag.WITHIN)


def annex_table(programming: Programming) -> Annex:
    """The annex of a programming with a chosen run."""
    run = programming.run
    assert run is not None
    table = comparison(programming)
    return Annex(
        run.pk,
        run.target_year,
        run.data_until,
        run.method_version,
        run.input_sha256,
        programming.case.number,
        table,
    )


# The printed table: letter landscape with 1.5 cm side margins, a cost-center column and seven number columns wide
# enough for 99,999,999 (and the percentage, and the flag) in DejaVu Sans Condensed at TEXT_SIZE.
TEXT_SIZE = 7.5


def render_pdf(annex: Annex, *, progress: Progress | None = None) -> bytes:
    """The annex as a PDF (letter landscape); an official document, always in Spanish."""
    from weasyprint import HTML  # slow to import; only when a PDF is made

    report = progress or no_progress
    report(0, 2, _("Preparando el anexo de la propuesta…"))
    tolerance = annex.table.tolerance
    with translation.override("es"):
        context = {
            "institution": Institution.current(),
            "unit": OrgUnit.objects.filter(code="11.01.U0").first(),
            "annex": annex,
            "generated": timezone.localtime(),
            "text_size": TEXT_SIZE,
            "tolerance": grouped(int(tolerance)) if tolerance == int(tolerance) else tolerance,
        }
        html = render_to_string("forecasting/proposal/annex.html", context)
    report(1, 2, _("Generando el PDF del anexo…"))
    return HTML(string=html).write_pdf()


def build_pdf(programming: Programming, *, progress: Progress | None = None) -> bytes:
    return render_pdf(annex_table(programming), progress=progress)
