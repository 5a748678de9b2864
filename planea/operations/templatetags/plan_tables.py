"""Template helpers of the plan pages that show a hundred rows or options at a time."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planea.core.addresses import address
from planea.core.templatetags.planea import cells_html
from planea.operations import grid
from planea.org.access import is_allowed
from planea.strategy.models import Subproduct

register = template.Library()


@register.filter
def subproduct_options(subproducts: list[Any], chosen: Subproduct | None) -> SafeString:
    """The <option>s of the subproduct picker (options with pk, code, name and unit name), «code name (unit)», the
    chosen one selected: one pass instead of a template loop over every subproduct of the PEI."""
    chosen_pk = chosen.pk if chosen is not None else None
    return mark_safe(
        "".join(
            f'<option value="{s.pk}"{" selected" if s.pk == chosen_pk else ""}>'
            f"{html.escape(s.code)} {html.escape(s.name)} ({html.escape(s.unit.lower())})</option>"
            for s in subproducts
        )
    )


def _line_cells(line: Any, separator: str, total_css: str) -> str:
    """The cells of a totals line after its label: a grouped cell per period, the cuatrimestres of a POA, the
    total."""
    return (
        f"{cells_html(line.values, 'text-end', separator)}"
        f"{cells_html(line.cuatrimestres, 'text-end table-info', separator)}"
        f"{cells_html([line.total], total_css, separator)}"
    )


@register.filter
def unit_groups(groups: list[Any]) -> SafeString:
    """The bodies of a totals table (`operations.totals.UnitGroup`), one <tbody> per unit of measure: its heading,
    a row per line (label, one grouped cell per period, the cuatrimestres of a POA and the total) and the unit's
    total; a hundred and sixty rows in one pass rather than a template loop."""
    separator = html.escape(get_format("THOUSAND_SEPARATOR"))
    heading = html.escape(_("Unidad de medida"))  # outside the f-string, for makemessages
    bodies = []
    for group in groups:
        unit = html.escape(group.unit.lower())
        width = 2 + len(group.total.values) + len(group.total.cuatrimestres)
        rows = [
            f'<tbody data-unit="{unit}"><tr class="table-secondary"><th scope="rowgroup" colspan="{width}">'
            f"{heading}: {unit}</th></tr>"
        ]
        rows += [
            f'<tr><th scope="row" class="fw-normal">{html.escape(line.label)}</th>'
            f"{_line_cells(line, separator, 'text-end fw-semibold')}</tr>"
            for line in group.lines
        ]
        rows.append(
            f'<tr class="table-light fw-semibold" data-unit-total><th scope="row">{html.escape(group.total.label)}</th>'
            f"{_line_cells(group.total, separator, 'text-end')}</tr></tbody>"
        )
        bodies.append("".join(rows))
    return mark_safe("".join(bodies))


@register.simple_tag
def period_headers(columns: list[str], plan: Any) -> SafeString:
    """The column headers of a totals table after the first (`grid.period_headers`)."""
    return grid.period_headers(columns, plan.is_annual)


@register.simple_tag
def area_template_links(areas: list[Any], url: str) -> SafeString:
    """The menu items of the plan's template of each area: «code name», to `url`?area=code."""
    base = html.escape(url)
    return mark_safe(
        "".join(
            f'<li><a class="dropdown-item small" href="{base}?area={html.escape(quote(a.code, safe=""))}">'
            f"{html.escape(a.code)} {html.escape(a.name)}</a></li>"
            for a in areas
        )
    )


# The tabs of a plan's pages: (tab, URL name, label), shown in this order.
PLAN_TABS = (
    ("detail", "operations:detail", gettext_lazy("Resumen")),
    ("grid", "operations:grid", gettext_lazy("Metas físicas")),
    ("matrix", "operations:matrix", gettext_lazy("Matriz de insumos")),
    ("ceilings", "operations:ceilings", gettext_lazy("Techos")),
    ("consistency", "operations:consistency", gettext_lazy("Consistencia")),
    ("reprogramming", "operations:reprogramming_list", gettext_lazy("Reprogramaciones")),
)


@register.simple_tag(takes_context=True)
def plan_nav(context: template.Context, plan: Any, tab: str, here: str = "") -> SafeString:
    """`{% plan_nav plan "grid" here %}`: the breadcrumb (POM y POA › the plan › `here`) and the tabs of a plan's
    pages, `tab` active; the consistency tab only for those the policy table lets open it, reprogrammings only on a
    POA. Built in one pass: a dozen URL and translation tags cost a millisecond on every plan page."""
    request = context.get("request")
    code = html.escape(plan.code)
    detail = address("operations:detail", plan.pk)
    if here:
        current = f'<li class="breadcrumb-item"><a href="{detail}">{code}</a></li>'
        current += f'<li class="breadcrumb-item active" aria-current="page">{html.escape(str(here))}</li>'
    else:
        current = f'<li class="breadcrumb-item active" aria-current="page">{code}</li>'
    trail, plans = html.escape(_("Ruta")), html.escape(_("POM y POA"))  # outside f-strings, for makemessages
    crumbs = (
        f'<nav aria-label="{trail}"><ol class="breadcrumb"><li class="breadcrumb-item">'
        f'<a href="{reverse("operations:list")}">{plans}</a></li>{current}</ol></nav>'
    )
    tabs = []
    for name, url_name, label in PLAN_TABS:
        if name == "consistency" and not (request and is_allowed(request.user, url_name)):
            continue
        if name == "reprogramming" and not plan.is_annual:
            continue
        active = " active" if name == tab else ""
        tabs.append(
            f'  <li class="nav-item"><a class="nav-link{active}" href="{address(url_name, plan.pk)}">'
            f"{html.escape(str(label))}</a></li>"
        )
    return mark_safe(crumbs + '\n<ul class="nav nav-tabs mb-3">\n' + "\n".join(tabs) + "\n</ul>")
