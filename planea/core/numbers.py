"""The one number parser of Planea: every import and every form reads numbers here.

A number is written with ASCII digits, an optional sign, commas between thousands (1,234,567.50) and a point for
decimals, as Guatemala writes them; spaces between groups are ignored. Excel cells arrive as int or float. NaN,
infinities, exponents (1E+30), superscripts (²) and digits of other scripts (١٢٣) are refused with a Spanish message.

Bounds come from the column that will hold the value, and are the same on SQLite and PostgreSQL: an integer column
holds at most 2,147,483,647 (PostgreSQL's integer), a decimal column its `max_digits`, but never more than 15
significant digits, which is what SQLite keeps exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from planea.core.params import INT64

NUMBER = re.compile(r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?$", re.ASCII)
SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
CURRENCY = re.compile(r"^Q\.?", re.ASCII)  # the quetzal sign
# 12,5 or 1.250,50: a comma used as the decimal point (as some spreadsheets write it), not a thousands grouping.
# 1.000 or 12.500.000: a dot grouping thousands (as some write it), which a point would read as 1 or 12.5; in a
# whole-number column it can only be a grouping.
DOT_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3})+$", re.ASCII)
DECIMAL_COMMA = re.compile(r"^[+-]?(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+),[0-9]{1,2}$", re.ASCII)
EXACT_DIGITS = 15  # significant digits SQLite keeps exactly (and so both databases, to keep them equal)
INTEGER_LIMITS = {
    models.SmallIntegerField: 32_767,
    models.PositiveSmallIntegerField: 32_767,
    models.IntegerField: 2_147_483_647,
    models.PositiveIntegerField: 2_147_483_647,
    models.BigIntegerField: 9_223_372_036_854_775_807,
    models.PositiveBigIntegerField: 9_223_372_036_854_775_807,
}


class NumberError(ValueError):
    """The text or cell is not a number within bounds; the message is Spanish, without the field's name."""


# Whole floats up to this size are exact, and Excel shows them with all their digits (15 significant).
EXACT_FLOAT = 10**15


@dataclass(frozen=True)
class Bounds:
    decimal_places: int = 0
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(2_147_483_647)
    # The whole numbers a cell may hold as int or float and be taken as they are (no text path): the whole numbers
    # within the bounds, within what a float holds exactly.
    whole_range: tuple[int, int] = field(init=False, repr=False, compare=False)
    quantum: Decimal = field(init=False, repr=False, compare=False)  # the smallest step: 1, 0.1, 0.01…

    def __post_init__(self) -> None:
        whole = (max(math.ceil(self.minimum), -EXACT_FLOAT), min(math.floor(self.maximum), EXACT_FLOAT))
        object.__setattr__(self, "whole_range", whole)
        object.__setattr__(self, "quantum", Decimal(1).scaleb(-self.decimal_places))

    @property
    def integer(self) -> bool:
        return self.decimal_places == 0

    def with_range(self, minimum: Decimal | int | None = None, maximum: Decimal | int | None = None) -> Bounds:
        """Narrower bounds for a field whose domain is smaller than its column (a month, a number of days)."""
        return Bounds(
            self.decimal_places,
            max(self.minimum, Decimal(minimum)) if minimum is not None else self.minimum,
            min(self.maximum, Decimal(maximum)) if maximum is not None else self.maximum,
        )


YEAR_BOUNDS = Bounds(decimal_places=0, minimum=Decimal(1990), maximum=Decimal(2100))  # a year Planea plans in


def bounds_for(field: models.Field[Any, Any], *, minimum: Decimal | int | None = None) -> Bounds:
    """The bounds of a model field's column, equal on both databases. The minimum is `minimum` when given, else
    the field's MinValueValidator, else 0 for positive integer columns, else the negative of the maximum."""
    if minimum is None:
        # Only the validators the model declares: Django adds others that depend on the database in use.
        declared = field._validators  # type: ignore[attr-defined]  # the stubs know only .validators (all of them)
        floors = [v.limit_value for v in declared if isinstance(v, MinValueValidator)]
        positive = isinstance(
            field, models.PositiveIntegerField | models.PositiveSmallIntegerField | models.PositiveBigIntegerField
        )
        minimum = max(floors) if floors else (0 if positive else None)
    if isinstance(field, models.DecimalField):
        places = field.decimal_places or 0
        digits = min(field.max_digits or EXACT_DIGITS, EXACT_DIGITS)
        ceiling = Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)
    else:
        kind = next((k for k in type(field).__mro__ if k in INTEGER_LIMITS), None)
        if kind is None:
            raise TypeError(f"{field!r} is not a number column")
        places, ceiling = 0, Decimal(INTEGER_LIMITS[kind])
    return Bounds(places, Decimal(minimum) if minimum is not None else -ceiling, ceiling)


def grouped(value: int, separator: str = ",") -> str:
    """A whole number grouped by thousands with `separator` (the language's THOUSAND_SEPARATOR; both of Planea's
    languages group by three), as `intcomma` shows it at a twentieth of its cost."""
    return f"{value:,}".replace(",", separator)


def formatted(value: int | float | Decimal, places: int = -2, separator: str = ",", point: str = ".") -> str:
    """A number as people read it on every screen: thousands grouped with `separator`, `point` before decimals.
    A negative `places` shows at most that many decimals, without trailing zeros (34 → "34", 3.80 → "3.8"), a
    positive one always that many (1234.5, 2 → "1,234.50"). What it shows, `parse_number` reads back (both of
    Planea's languages write 1,234.50)."""
    if type(value) is int:
        return grouped(value, separator)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return str(value)
    digits = abs(places)
    try:
        number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's context holds; no column of Planea holds such a number
        return str(value)
    if places < 0:
        exponent = number.normalize().as_tuple().exponent
        digits = min(digits, max(0, -exponent)) if isinstance(exponent, int) else digits
    text = f"{number:,.{digits}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # "-0.00" is 0
    return text.replace(",", "\x00").replace(".", point).replace("\x00", separator)


def shown_number(value: Decimal) -> str:
    """A bound as people read it: 2,147,483,647 or 9,999,999,999.99."""
    return f"{value:,}"


def _as_decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise NumberError(_("«%(value)s» no es un número.") % {"value": _("Sí") if raw else _("No")})
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NumberError(_("«%(value)s» no es un número.") % {"value": raw})
        # As Excel shows it: 15 significant digits (0.1 + 0.2 is 0.3, not 0.30000000000000004).
        return Decimal(f"{raw:.15g}")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NumberError(_("«%(value)s» no es un número.") % {"value": raw})
        return raw
    text = SPACES.sub("", str(raw).strip())
    text = CURRENCY.sub("", text, count=1)  # "Q 1,250.00", as amounts are often typed
    if not NUMBER.match(text) or not any(c.isdigit() for c in text):
        shown = str(raw).strip()
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        if any(c.isdigit() and not c.isascii() for c in shown):
            raise NumberError(
                _("«%(value)s» tiene dígitos de otra escritura o de ancho completo; escríbalo con los dígitos 0 a 9.")
                % {"value": shown}
            )
        if DECIMAL_COMMA.match(text):
            raise NumberError(
                _("«%(value)s» no es un número: escriba los decimales con punto (%(point)s); la coma agrupa los miles.")
                % {"value": shown, "point": text.replace(".", "").replace(",", ".")}
            )
        raise NumberError(_("«%(value)s» no es un número.") % {"value": shown})
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # the pattern admits only what Decimal reads; kept for safety
        raise NumberError(_("«%(value)s» no es un número.") % {"value": text[:60]}) from exc


def parse_number(raw: Any, bounds: Bounds) -> Decimal | None:
    """None for an empty value; the number when it is one within `bounds`; NumberError otherwise."""
    whole = _whole(raw, bounds)
    if whole is not None:  # a whole number within bounds, with as many decimal places as the bounds have
        return Decimal(whole) if bounds.decimal_places == 0 else Decimal(whole).quantize(bounds.quantum)
    if raw is None or (isinstance(raw, str) and not SPACES.sub("", raw.strip())):
        return None
    if isinstance(raw, str) and bounds.integer and DOT_THOUSANDS.match(SPACES.sub("", raw.strip())):
        shown = raw.strip()[:60]
        raise NumberError(
            _("«%(value)s» es ambiguo: para %(thousands)s escriba %(plain)s; el punto separa los decimales.")
            % {"value": shown, "thousands": shown.replace(".", ","), "plain": shown.replace(".", "")}
        )
    value = _as_decimal(raw)
    if value < bounds.minimum:
        if bounds.minimum == 0:
            raise NumberError(_("no puede ser negativo."))
        raise NumberError(_("debe ser al menos %(min)s.") % {"min": shown_number(bounds.minimum)})
    if value > bounds.maximum:
        raise NumberError(_("es demasiado grande; el máximo es %(max)s.") % {"max": shown_number(bounds.maximum)})
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    if -exponent > bounds.decimal_places and value != value.quantize(bounds.quantum):
        if bounds.integer:
            raise NumberError(_("debe ser un número entero."))
        raise NumberError(
            _("admite como máximo %(n)s decimales.") % {"n": bounds.decimal_places}
            if bounds.decimal_places != 1
            else _("admite como máximo un decimal.")
        )
    value = value.quantize(bounds.quantum)
    return value.copy_abs() if value == 0 else value  # "-0" is 0


def wholes(raws: Sequence[Any], bounds: Bounds) -> list[int | None]:
    """The common case of goal cells and statistics, decided without the text path: each value that is a whole int
    or float within the bounds, as an int; None for any other, which needs the full parse (which also gives the
    reason it is refused). A national goals template has 72,000 cells."""
    low, high = bounds.whole_range
    return [
        int(raw) if (type(raw) is int or (type(raw) is float and raw.is_integer())) and low <= raw <= high else None
        for raw in raws
    ]


def _whole(raw: Any, bounds: Bounds) -> int | None:
    return wholes((raw,), bounds)[0]


def parse_integer(raw: Any, bounds: Bounds) -> int | None:
    """`parse_number` of whole bounds, as an int."""
    whole = _whole(raw, bounds)
    if whole is not None:
        return whole
    value = parse_number(raw, bounds)
    return None if value is None else int(value)


class NumberField(forms.Field):
    """A form field read by `parse_number`: the same rules and Spanish messages as the imports."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, bounds: Bounds, **kwargs: Any) -> None:
        self.bounds = bounds
        super().__init__(**kwargs)
        if bounds.integer:
            self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value: Any) -> Decimal | int | None:
        try:
            number = parse_number(value, self.bounds)
        except NumberError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if number is None:
            return None
        return int(number) if self.bounds.integer else number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and self.bounds.decimal_places:
            return f"{value:.{self.bounds.decimal_places}f}"
        return value


def number_field_for(field: models.Field[Any, Any], **kwargs: Any) -> NumberField:
    """The NumberField of a model field (label, required and bounds from the model); `formfield_callback`."""
    defaults: dict[str, Any] = {
        "label": capfirst(field.verbose_name),
        "required": not field.blank,
        "help_text": field.help_text,
    }
    defaults.update(kwargs)
    return NumberField(bounds=bounds_for(field), **defaults)


class ModelIdsField(forms.ModelMultipleChoiceField[Any]):
    """Django's choice of several rows, where a posted id that no column can hold is an invalid choice: SQLite
    cannot even compare it (`… IN (9223372036854775808)` raised OverflowError, a 500)."""

    def clean(self, value: Any) -> Any:
        for pk in value or ():
            raw = str(pk).strip()
            if raw.isascii() and raw.isdigit() and int(raw) > INT64:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": raw}
                )
        return super().clean(value)


def formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A ModelForm `formfield_callback`: number columns get a NumberField, choices of several rows a ModelIdsField;
    the rest Django's own field."""
    if isinstance(field, models.DecimalField | models.IntegerField) and not field.primary_key and not field.choices:
        return number_field_for(field, **kwargs)
    if isinstance(field, models.ManyToManyField):
        return field.formfield(form_class=ModelIdsField, **kwargs)
    return field.formfield(**kwargs)
