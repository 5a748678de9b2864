"""The lines of a POA's execution (subproduct × cost center) added up by product, subproduct, area or cost center,
for step 3's analysis and the dashboard's drill-down: product → subproduct → area → cost center. Each group has its
totals (programmed, current, executed, % and deviation), how many lines it holds and how many of them pass the
tolerance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from planea.org.models import CostCenter
from planea.strategy.models import Subproduct

from .analysis import LineFigures, Totals, totals
from .executed import Line

PRODUCT, SUBPRODUCT, AREA, CENTER = "producto", "subproducto", "area", "centro"
LEVELS = (PRODUCT, SUBPRODUCT, AREA, CENTER)
LEVEL_LABELS = {PRODUCT: _("Producto"), SUBPRODUCT: _("Subproducto"), AREA: _("Área"), CENTER: _("Centro de costo")}


@dataclass(frozen=True)
class LineNames:
    product: tuple[str, str]  # code, name
    subproduct: tuple[str, str]
    unit: str  # of measure, of the subproduct
    area: tuple[str, str]
    center: tuple[str, str]

    def at(self, level: str) -> tuple[str, str]:
        return {PRODUCT: self.product, SUBPRODUCT: self.subproduct, AREA: self.area, CENTER: self.center}[level]


def names_of(lines: Iterable[Line]) -> dict[Line, LineNames]:
    """The codes and names of each line's product, subproduct, area and cost center (two queries)."""
    lines = list(lines)
    subproducts = {
        s.pk: s
        for s in Subproduct.objects.filter(pk__in={s for s, _c in lines}).select_related("product", "unit").order_by()
    }
    centers = {
        c.pk: c for c in CostCenter.objects.filter(pk__in={c for _s, c in lines}).select_related("org_unit").order_by()
    }
    found = {}
    for s, c in lines:
        subproduct, center = subproducts[s], centers[c]
        found[(s, c)] = LineNames(
            (subproduct.product.code, subproduct.product.name),
            (subproduct.code, subproduct.name),
            subproduct.unit.name,
            (center.org_unit.code, center.org_unit.name),
            (center.code, center.name),
        )
    return found


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    totals: Totals
    lines: int
    beyond: int  # lines past the tolerance
    reported: int  # lines with their executed value
    reported_current: int  # the current goal of those lines

    @property
    def percent(self) -> Decimal | None:
        """Executed against the current goal of the lines that have their value (a line not registered yet is not
        a line executed at 0 %); None while none has."""
        if not self.reported:
            return None
        return Totals(0, self.reported_current, self.totals.executed).percent

    @property
    def deviation(self) -> int | None:
        """Executed less the current goal of the same lines as the % (those with their value); None while none has."""
        return self.totals.executed - self.reported_current if self.reported else None


def within(
    lines: dict[Line, LineFigures], names: dict[Line, LineNames], path: dict[str, str]
) -> dict[Line, LineFigures]:
    """The lines under a drill-down path: level → code (product P01, then subproduct P01-02, …)."""
    return {
        key: figures
        for key, figures in lines.items()
        if all(names[key].at(level)[0] == code for level, code in path.items() if code)
    }


def grouped(lines: dict[Line, LineFigures], names: dict[Line, LineNames], level: str, limit: Decimal) -> list[Group]:
    """The lines added up at `level`, in the order of the codes."""
    members: dict[tuple[str, str], dict[Line, LineFigures]] = {}
    for key, figures in lines.items():
        members.setdefault(names[key].at(level), {})[key] = figures
    return [
        Group(
            code,
            name,
            totals(chosen),
            len(chosen),
            sum(1 for f in chosen.values() if f.beyond(limit)),
            sum(1 for f in chosen.values() if f.executed is not None),
            sum(f.current for f in chosen.values() if f.executed is not None),
        )
        for (code, name), chosen in sorted(members.items())
    ]


def next_level(level: str) -> str | None:
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None
