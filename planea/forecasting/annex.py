"""The annex of the oficio of P5 step 4 (traslada los pronósticos de metas físicas al Jefe del Departamento): the
proposal of the forecast run per product, subproduct and cost center, with its unit of measure, the forecast of the
target year and its 80 % interval, the POM goal of that year, the difference, the percentage and a flag beyond the
case's tolerance; totals per subproduct and per unit of measure; one chart per subproduct (charts.py). A PDF, letter
landscape, that prints every column inside the page with national-scale numbers.

The table is computed here from the proposal (proposal.py) and the POM goals: once step 3's comparison
(comparison.py, `comparison(programming)`) is merged, `annex_table` should take its lines from there instead, so
that step 3 and the annex show the same numbers by construction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from planea.core.numbers import grouped
from planea.operations import goals
from planea.org.models import CostCenter, Institution, OrgUnit
from planea.spreadsheets.imports import Progress, no_progress
from planea.strategy.models import Subproduct

from . import charts
from .models import Programming
from .proposal import Band, proposal

HUNDRED = Decimal(100)
ONE = Decimal(1)


def whole(value: Decimal) -> int:
    """A forecast quantity as the whole units a goal takes (half up)."""
    return int(value.quantize(ONE, rounding=ROUND_HALF_UP))


@dataclass
class AnnexRow:
    """One cost center of a subproduct (or the subproduct's total): the forecast of the year with its 80 %
    interval, the POM goal of the year and how far the forecast is from it."""

    code: str
    name: str
    forecast: int | None  # None: no forecast for a center that has a goal
    lo80: int | None
    hi80: int | None
    goal: int | None  # None: the POM has no goal for it
    tolerance: Decimal

    @property
    def difference(self) -> int | None:
        if self.forecast is None or self.goal is None:
            return None
        return self.forecast - self.goal

    @property
    def percent(self) -> Decimal | None:
        if self.difference is None or not self.goal:
            return None
        return (Decimal(self.difference) * HUNDRED / self.goal).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def percent_text(self) -> str:
        """The percentage as printed: one decimal, and beyond ±999 % only its sign (a goal of a few units)."""
        percent = self.percent
        if percent is None:
            return "—"
        if abs(percent) >= 1000:
            return "> 999" if percent > 0 else "< −999"
        return f"{percent:,.1f}".replace("-", "−")

    @property
    def flagged(self) -> bool:
        """Beyond the tolerance: a difference above it in percent, a forecast where the POM has no (or a zero)
        goal, or a goal without forecast."""
        if self.forecast is None or self.goal is None:
            return True
        if self.goal == 0:
            return self.forecast != 0
        percent = self.percent
        return percent is not None and abs(percent) > self.tolerance


@dataclass
class AnnexSubproduct:
    product_code: str
    product_name: str
    code: str
    name: str
    unit: str
    rows: list[AnnexRow]
    total: AnnexRow
    months: list[Band]  # the subproduct's forecast by month, summed over its cost centers
    goal_monthly: Decimal | None  # the POM goal of the year ÷ 12
    year: int = 0

    def chart(self) -> str:
        return charts.band_chart(
            charts.month_bands(self.months),
            goal_monthly=self.goal_monthly,
            title=_("%(code)s · pronóstico mensual de %(year)s (%(unit)s)")
            % {"code": self.code, "year": self.year, "unit": self.unit.lower()},
        )


@dataclass
class UnitTotal:
    unit: str
    forecast: int
    goal: int

    @property
    def difference(self) -> int:
        return self.forecast - self.goal


@dataclass
class Annex:
    """The whole annex: what the header says of the run and the case, and the subproducts in code order."""

    run_number: int
    target_year: int
    data_until: date
    method_version: str
    input_sha256: str
    plan_code: str
    pom_code: str
    case_number: str
    tolerance: Decimal
    subproducts: list[AnnexSubproduct] = field(default_factory=list)

    @property
    def unit_totals(self) -> list[UnitTotal]:
        """Totals per unit of measure (quantities of different units do not add up)."""
        totals: dict[str, UnitTotal] = {}
        for sub in self.subproducts:
            line = totals.setdefault(sub.unit, UnitTotal(sub.unit, 0, 0))
            line.forecast += sub.total.forecast or 0
            line.goal += sub.total.goal or 0
        return sorted(totals.values(), key=lambda t: t.unit)

    @property
    def flagged(self) -> int:
        return sum(1 for sub in self.subproducts for row in sub.rows if row.flagged)


def pom_goals(programming: Programming) -> dict[tuple[int, int], int]:
    """The POM goals of the target year by (subproduct, cost center): those in force once the POM is approved,
    the programmed ones while it is a draft (as the goal grid shows it)."""
    pom = programming.plan.multiannual
    if pom is None:
        return {}
    attr = "planned" if pom.is_editable else "current"
    year = programming.run.target_year if programming.run else programming.plan.start_year
    return {(s, c): v for (s, c, y, _m), v in goals.values_of(pom, attr=attr).items() if y == year}


def annex_table(programming: Programming) -> Annex:
    """The annex of a programming with a chosen run: every (subproduct, cost center) that has a forecast or a POM
    goal of the target year. TODO(merge): take the lines from comparison.comparison(programming)."""
    run = programming.run
    assert run is not None
    lines = proposal(run)
    targets = pom_goals(programming)
    pom = programming.plan.multiannual
    annex = Annex(
        run.pk,
        run.target_year,
        run.data_until,
        run.method_version,
        run.input_sha256,
        programming.plan.code,
        pom.code if pom else "",
        programming.case.number,
        programming.tolerance,
    )
    keys = set(lines) | set(targets)
    subproducts = Subproduct.objects.filter(pk__in={s for s, _c in keys}).select_related("product", "unit")
    centers = {c.pk: c for c in CostCenter.objects.filter(pk__in={c for _s, c in keys})}
    by_sub: dict[int, list[int]] = defaultdict(list)
    for s, c in keys:
        by_sub[s].append(c)
    for sub in sorted(subproducts, key=lambda s: (s.product.code, s.code)):
        rows = []
        months = [Band() for _m in range(12)]
        for center in sorted((centers[c] for c in by_sub[sub.pk]), key=lambda c: c.code):
            line = lines.get((sub.pk, center.pk))
            total = line.total if line else None
            if line:
                months = [months[m - 1] + line.month(m) for m in range(1, 13)]
            rows.append(
                AnnexRow(
                    center.code,
                    center.name,
                    whole(total.yhat) if total else None,
                    whole(total.lo80) if total else None,
                    whole(total.hi80) if total else None,
                    targets.get((sub.pk, center.pk)),
                    programming.tolerance,
                )
            )
        annex.subproducts.append(
            subproduct_lines(sub.product.code, sub.product.name, sub, rows, months, annex.tolerance, run.target_year)
        )
    return annex


def _sum(values: list[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def subproduct_lines(
    product_code: str,
    product_name: str,
    sub: Any,
    rows: list[AnnexRow],
    months: list[Band],
    tolerance: Decimal,
    year: int,
) -> AnnexSubproduct:
    """A subproduct of the annex from its rows: the total row and the monthly equivalent of its POM goal. `sub` has
    code, name and unit.name (a Subproduct)."""
    goal = _sum([r.goal for r in rows])
    total = AnnexRow(
        sub.code,
        _("Total"),
        _sum([r.forecast for r in rows]),
        _sum([r.lo80 for r in rows]),
        _sum([r.hi80 for r in rows]),
        goal,
        tolerance,
    )
    goal_monthly = (Decimal(goal) / 12).quantize(Decimal("0.01")) if goal is not None else None
    return AnnexSubproduct(
        product_code, product_name, sub.code, sub.name, sub.unit.name, rows, total, months, goal_monthly, year
    )


# The printed table: letter landscape with 1.5 cm side margins, a cost-center column and seven number columns wide
# enough for 99,999,999 (and the percentage, and the flag) in DejaVu Sans Condensed at TEXT_SIZE.
TEXT_SIZE = 7.5


def render_pdf(annex: Annex, *, progress: Progress | None = None) -> bytes:
    """The annex as a PDF (letter landscape); an official document, always in Spanish."""
    from weasyprint import HTML  # slow to import; only when a PDF is made

    report = progress or no_progress
    report(0, 2, _("Preparando el anexo de la propuesta…"))
    with translation.override("es"):
        context = {
            "institution": Institution.current(),
            "unit": OrgUnit.objects.filter(code="11.01.U0").first(),
            "annex": annex,
            "generated": timezone.localtime(),
            "text_size": TEXT_SIZE,
            "tolerance": grouped(int(annex.tolerance)) if annex.tolerance == int(annex.tolerance) else annex.tolerance,
        }
        html = render_to_string("forecasting/proposal/annex.html", context)
    report(1, 2, _("Generando el PDF del anexo…"))
    return HTML(string=html).write_pdf()


def build_pdf(programming: Programming, *, progress: Progress | None = None) -> bytes:
    return render_pdf(annex_table(programming), progress=progress)
