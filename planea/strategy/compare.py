"""Side-by-side comparison of two PEI versions. Elements are matched by their code (stable across versions), so a
renamed product shows as changed and a new one as added; long texts get a word-level difference."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from planea.core.richtext import plain_text
from planea.core.rows import concrete_field

from .models import StrategicPlan

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"


@dataclass
class Row:
    element: str
    attribute: str
    left: str
    right: str
    status: str
    left_html: SafeString | None = None
    right_html: SafeString | None = None


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for row in self.rows if row.status != SAME)


def _plan_fields(plan: StrategicPlan) -> dict[tuple[str, str], str]:
    rich = set(StrategicPlan.RICH_TEXT_FIELDS)
    values: dict[tuple[str, str], str] = {}
    for name in ("name", "start_year", "end_year", "mission", "vision", "principles", *StrategicPlan.RICH_TEXT_FIELDS):
        label = str(concrete_field(StrategicPlan, name).verbose_name).capitalize()
        raw = getattr(plan, name)
        values[(_("PEI"), label)] = plain_text(raw) if name in rich else str(raw)
    return values


def _rows(objects: Any, attributes: list[tuple[str, Any]]) -> dict[tuple[str, str], str]:
    values: dict[tuple[str, str], str] = {}
    for obj in objects:
        for label, getter in attributes:
            value = getter(obj)
            values[(obj.code, str(label))] = "" if value is None else str(value)
    return values


def _units(obj: Any, name: str) -> str:
    return ", ".join(sorted(u.code for u in getattr(obj, name).all()))


def snapshot_of(plan: StrategicPlan) -> dict[str, dict[tuple[str, str], str]]:
    results = plan.results.select_related("parent")
    indicators = plan.indicators.select_related("result", "responsible_unit").prefetch_related("targets")
    products = plan.products.select_related("result", "unit").prefetch_related("responsible_units")
    subproducts = plan.subproducts.select_related("product", "unit").prefetch_related(
        "responsible_units", "cost_centers"
    )
    targets: dict[tuple[str, str], str] = {}
    for indicator in indicators:
        for target in indicator.targets.all():
            targets[(indicator.code, str(target.year))] = f"{target.value:g}"
    return {
        _("Encabezado y marcos"): _plan_fields(plan),
        _("Resultados"): _rows(
            results,
            [
                (_("Nivel"), lambda r: r.get_level_display()),
                (_("Enunciado"), lambda r: r.name),
                (_("Descripción"), lambda r: r.description),
                (_("Contribuye a"), lambda r: r.parent.code if r.parent else ""),
            ],
        ),
        _("Indicadores"): _rows(
            indicators,
            [
                (_("Nombre"), lambda i: i.name),
                (_("Resultado"), lambda i: i.result.code),
                (_("Fórmula"), lambda i: i.formula),
                (_("Unidad"), lambda i: i.unit),
                (_("Línea base"), lambda i: f"{i.baseline_year}: {i.baseline_value:g}"),
                (_("Fuente"), lambda i: i.source),
                (_("Frecuencia"), lambda i: i.get_frequency_display()),
                (_("Unidad responsable"), lambda i: i.responsible_unit.code),
            ],
        ),
        _("Metas anuales de los indicadores"): targets,
        _("Productos"): _rows(
            products,
            [
                (_("Nombre"), lambda p: p.name),
                (_("Resultado"), lambda p: p.result.code),
                (_("Unidad de medida"), lambda p: p.unit.name),
                (_("Estructura presupuestaria"), lambda p: p.budget_structure),
                (_("Unidades responsables"), lambda p: _units(p, "responsible_units")),
            ],
        ),
        _("Subproductos"): _rows(
            subproducts,
            [
                (_("Nombre"), lambda s: s.name),
                (_("Producto"), lambda s: s.product.code),
                (_("Unidad de medida"), lambda s: s.unit.name),
                (_("Unidades responsables"), lambda s: _units(s, "responsible_units")),
                (_("Centros de costo"), lambda s: ", ".join(sorted(c.code for c in s.cost_centers.all()))),
            ],
        ),
    }


def word_diff(left: str, right: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, removed words in <del> on the left and added words in <ins> on the right."""
    a, b = left.split(), right.split()
    out_left: list[str] = []
    out_right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old, new = escape(" ".join(a[i1:i2])), escape(" ".join(b[j1:j2]))
        if op == "equal":
            out_left.append(old)
            out_right.append(new)
            continue
        if old:
            out_left.append(f"<del>{old}</del>")
        if new:
            out_right.append(f"<ins>{new}</ins>")
    return mark_safe(" ".join(out_left)), mark_safe(" ".join(out_right))


def compare(left: StrategicPlan, right: StrategicPlan) -> list[Section]:
    a, b = snapshot_of(left), snapshot_of(right)
    sections = []
    for title in a:
        section = Section(str(title))
        keys = list(dict.fromkeys([*a[title], *b[title]]))
        for key in keys:
            old, new = a[title].get(key), b[title].get(key)
            if old is None:
                status = ADDED
            elif new is None:
                status = REMOVED
            else:
                status = SAME if old == new else CHANGED
            row = Row(key[0], key[1], old or "", new or "", status)
            if status == CHANGED and (len(row.left) > 60 or len(row.right) > 60):
                row.left_html, row.right_html = word_diff(row.left, row.right)
            section.rows.append(row)
        sections.append(section)
    return sections
