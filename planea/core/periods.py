"""Months, cuatrimestres and years. The month is the atom; cuatrimestre and year totals are always derived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONTHS = tuple(range(1, 13))
# Fixed Spanish abbreviations: headers of the Excel templates, the same whatever the screen language.
MONTH_CODES = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")
# On screen, translated; the context keeps "May" apart from Django's full month name.
MONTH_ABBR = (
    pgettext_lazy("abreviatura de mes", "Ene"),
    pgettext_lazy("abreviatura de mes", "Feb"),
    pgettext_lazy("abreviatura de mes", "Mar"),
    pgettext_lazy("abreviatura de mes", "Abr"),
    pgettext_lazy("abreviatura de mes", "May"),
    pgettext_lazy("abreviatura de mes", "Jun"),
    pgettext_lazy("abreviatura de mes", "Jul"),
    pgettext_lazy("abreviatura de mes", "Ago"),
    pgettext_lazy("abreviatura de mes", "Sep"),
    pgettext_lazy("abreviatura de mes", "Oct"),
    pgettext_lazy("abreviatura de mes", "Nov"),
    pgettext_lazy("abreviatura de mes", "Dic"),
)
CUATRIMESTRES = (1, 2, 3)
CUATRIMESTRE_LABELS = (_("I cuatrimestre"), _("II cuatrimestre"), _("III cuatrimestre"))
CUATRIMESTRE_SPANS = (_("ene–abr"), _("may–ago"), _("sep–dic"))
CUATRIMESTRE_SHORT = (_("I cuatr."), _("II cuatr."), _("III cuatr."))  # the heads of a table of the whole year


def cuatrimestre(month: int) -> int:
    """1 for January–April, 2 for May–August, 3 for September–December."""
    if month not in MONTHS:
        raise ValueError(f"month out of range: {month}")
    return (month - 1) // 4 + 1


def month_column(kind: str, month: int) -> str:
    """The column of a row of a year that holds `kind` ("value", "executed"…) for `month` (1–12): `kind_month`."""
    if month not in MONTHS:
        raise ValueError(f"month out of range: {month}")
    return f"{kind}_{month}"


def months_of(cuatrimestre_number: int) -> tuple[int, ...]:
    if cuatrimestre_number not in CUATRIMESTRES:
        raise ValueError(f"cuatrimestre out of range: {cuatrimestre_number}")
    first = (cuatrimestre_number - 1) * 4 + 1
    return tuple(range(first, first + 4))


def month_abbr(month: int) -> str:
    return str(MONTH_ABBR[month - 1])


def cuatrimestre_totals[N: (int, Decimal)](by_month: Mapping[int, N]) -> dict[int, N | int]:
    """Sums per cuatrimestre of a month → quantity mapping (missing months count as zero, so a four-month period
    without any month of a Decimal mapping sums to the integer 0)."""
    return {c: sum((by_month.get(m, 0) for m in months_of(c)), 0) for c in CUATRIMESTRES}


CUATRIMESTRE_SLICES = tuple(slice(months_of(c)[0] - 1, months_of(c)[-1]) for c in CUATRIMESTRES)


def cuatrimestre_sums(twelve: Sequence[int]) -> list[int]:
    """The three cuatrimestre sums of twelve monthly values given in order (January first)."""
    return [sum(twelve[part]) for part in CUATRIMESTRE_SLICES]


def year_range(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


def span_label(years: Iterable[int]) -> str:
    values = list(years)
    return f"{values[0]}–{values[-1]}" if len(values) > 1 else str(values[0])
