"""Template helpers of the plan pages that show a hundred rows or options at a time."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from planea.core.templatetags.planea import cells_html
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
            f"{escape(s.code)} {escape(s.name)} ({escape(s.unit.lower())})</option>"
            for s in subproducts
        )
    )


@register.filter
def total_rows(lines: list[Any]) -> SafeString:
    """The body rows of a totals table (`operations.totals.Line`): label and unit, one grouped cell per period, the
    cuatrimestres of a POA and the total; a hundred and sixty rows in one pass rather than a template loop."""
    separator = html.escape(get_format("THOUSAND_SEPARATOR"))
    rows = []
    for line in lines:
        unit = line.unit and f' <span class="text-body-secondary small">({html.escape(line.unit.lower())})</span>'
        rows.append(
            f'<tr><th scope="row" class="fw-normal">{html.escape(line.label)}{unit}</th>'
            f"{cells_html(line.values, 'text-end', separator)}"
            f"{cells_html(line.cuatrimestres, 'text-end table-info', separator)}"
            f"{cells_html([line.total], 'text-end fw-semibold', separator)}</tr>"
        )
    return mark_safe("".join(rows))
