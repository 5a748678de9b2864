"""Template helpers of the plan pages that show a hundred rows or options at a time."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from planea.strategy.models import Subproduct

register = template.Library()


@register.filter
def subproduct_options(subproducts: list[Subproduct], chosen: Subproduct | None) -> SafeString:
    """The <option>s of the subproduct picker, «code name (unit)», the chosen one selected: one pass instead of a
    template loop over every subproduct of the PEI."""
    chosen_pk = chosen.pk if chosen is not None else None
    return mark_safe(
        "".join(
            f'<option value="{s.pk}"{" selected" if s.pk == chosen_pk else ""}>'
            f"{escape(s.code)} {escape(s.name)} ({escape(s.unit.name.lower())})</option>"
            for s in subproducts
        )
    )
