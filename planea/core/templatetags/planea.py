"""Template helpers for Guatemalan formats."""

import html
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from planea.core.numbers import formatted, grouped

register = template.Library()


@register.filter(name="grouped")
def grouped_filter(value: Any) -> str:
    """A whole number grouped by thousands in the active language (see `core.numbers.grouped`)."""
    return _grouped(value, get_format("THOUSAND_SEPARATOR"))


@register.filter(name="number")
def number_filter(value: Any, places: int = -2) -> str:
    """Any number of a screen (a goal, a target, a quantity, a ceiling) grouped by thousands in the active
    language, decimals as `core.numbers.formatted` (`{{ value|number }}`, `{{ ceiling|number:2 }}`); empty for
    None, anything else as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    return formatted(value, int(places), get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR"))


def _grouped(value: Any, separator: str) -> str:
    return grouped(value, separator) if isinstance(value, int) else str(value)


@register.filter
def number_cells(values: list[int], css: str = "text-end") -> SafeString:
    """One <td class="css"> per whole number, `grouped`, built in one pass rather than by a template loop."""
    return mark_safe(cells_html(values, html.escape(css), html.escape(get_format("THOUSAND_SEPARATOR"))))


def cells_html(values: list[int], css: str, separator: str) -> str:
    """`number_cells` with the class and separator already escaped, for a table that writes many rows: a whole
    number is digits and separators, anything else is escaped."""
    return "".join(
        f'<td class="{css}">{grouped(v, separator) if type(v) is int else html.escape(str(v))}</td>' for v in values
    )


@register.filter
def quetzales(value: Any) -> str:
    """Q 1,234.56 — quetzales with comma thousands and two decimals, as used in Guatemala."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Q {formatted(abs(amount), 2, get_format('THOUSAND_SEPARATOR'), get_format('DECIMAL_SEPARATOR'))}"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def bootstrap(field: Any) -> str:
    """Render a bound form field's widget with Bootstrap classes and accessible error hints."""
    widget = field.field.widget
    css = (
        "form-select"
        if getattr(widget, "input_type", "") == "select" or widget.__class__.__name__.endswith("Select")
        else "form-control"
    )
    attrs: dict[str, str] = {"class": css + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    return field.as_widget(attrs=attrs)
