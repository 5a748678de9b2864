"""The cells of the step 3 comparison table, built in one pass per row (a national comparison is 6,000 lines: a
template include per cell took seconds)."""

from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from planea.core.numbers import formatted, grouped

from ..comparison import Figures, Flag, Line

register = template.Library()

ICONS = {
    Flag.WITHIN: ("text-body-secondary", "bi-check2"),
    Flag.ABOVE: ("text-danger-emphasis", "bi-flag-fill"),
    Flag.BELOW: ("text-danger-emphasis", "bi-flag-fill"),
    Flag.NO_GOAL: ("text-warning-emphasis", "bi-question-circle"),
    Flag.NO_FORECAST: ("text-warning-emphasis", "bi-dash-circle"),
}


def flag_words() -> dict[Flag, str]:
    """Short words beside the icon (the colour is never the only sign)."""
    return {
        Flag.WITHIN: _("Dentro"),
        Flag.ABOVE: _("Por encima"),
        Flag.BELOW: _("Por debajo"),
        Flag.NO_GOAL: _("Sin meta en el POM"),
        Flag.NO_FORECAST: _("Sin pronóstico"),
    }


@register.simple_tag
def figure_cells(figures: Figures, flag: str = "") -> SafeString:
    """Forecast, its 80 % interval, the POM goal, the difference, the % and the flag (none for `flag` "")."""
    separator, point = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    return mark_safe(_cells(figures, flag, separator, point, flag_words()))


@register.simple_tag
def line_rows(lines: list[Line]) -> SafeString:
    """The rows of an area's lines: the cost center (with the POM's programmed goal when the current one differs)
    and its figures."""
    separator, point = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    planned = html.escape(_("programada"))
    words = flag_words()
    rows = []
    for line in lines:
        code = html.escape(line.cost_center_code)
        name = f"{code} {html.escape(line.cost_center_name)}"
        if line.pom_planned is not None and line.pom_planned != line.goal:
            goal = formatted(line.pom_planned, 0, separator, point)
            name += f' <span class="small text-body-secondary">({planned} {goal})</span>'
        rows.append(
            f'<tr data-center="{code}"><td class="ps-4">{name}</td>'
            f"{_cells(line, line.flagged, separator, point, words)}</tr>"
        )
    return mark_safe("".join(rows))


def _cells(figures: Figures, flag: str, separator: str, point: str, words: dict[Flag, str]) -> str:
    def whole(value: Decimal | int | None) -> str:
        if value is None:
            return ""
        if type(value) is int:
            return grouped(value, separator)
        return formatted(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP), 0, separator, point)

    band = figures.forecast
    interval = f"{whole(band.lo80)} – {whole(band.hi80)}" if band is not None else ""
    percent = figures.percent
    cells = [
        f'<td class="text-end">{whole(figures.forecast_whole)}</td>',
        f'<td class="text-end small text-body-secondary text-nowrap">{interval}</td>',
        f'<td class="text-end">{whole(figures.goal)}</td>',
        f'<td class="text-end">{whole(figures.difference)}</td>',
        f'<td class="text-end">{formatted(percent, 1, separator, point) + " %" if percent is not None else ""}</td>',
    ]
    if flag:
        css, icon = ICONS[Flag(flag)]
        word = html.escape(words[Flag(flag)])
        cells.append(
            f'<td class="text-nowrap"><span class="{css}" data-flag="{flag}"><i class="bi {icon}" aria-hidden="true">'
            f"</i> {word}</span></td>"
        )
    else:
        cells.append("<td></td>")
    return "".join(cells)
