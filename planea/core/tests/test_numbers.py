"""The one number parser: what it reads, what it refuses (in Spanish), and the bounds it takes from each column,
equal on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.validators import MinValueValidator
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from planea.core.numbers import Bounds, NumberError, bounds_for, parse_integer, parse_number

GOALS = bounds_for(models.PositiveIntegerField())
QUANTITY = bounds_for(models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]))
TARGET = bounds_for(models.DecimalField(max_digits=16, decimal_places=2))

READ = [
    ("42", 42),
    (" 42 ", 42),
    ("+42", 42),
    ("1,234,567", 1234567),
    ("4 200", 4200),
    ("4\u00a0200", 4200),
    ("2,147,483,647", 2147483647),
    ("-0", 0),
    (42.0, 42),
    (7, 7),
    (Decimal("12"), 12),
    ("", None),
    ("   ", None),
    (None, None),
]
REFUSED = [
    ("NaN", "no es un número"),
    ("nan", "no es un número"),
    ("sNaN", "no es un número"),
    ("Infinity", "no es un número"),
    ("-inf", "no es un número"),
    ("1E+30", "no es un número"),
    ("1e5", "no es un número"),
    ("²", "dígitos de otra escritura o de ancho completo"),
    ("١٢٣", "dígitos de otra escritura o de ancho completo; escríbalo con los dígitos 0 a 9"),
    ("１２３", "dígitos de otra escritura o de ancho completo"),
    ("1,23", r"«1,23» no es un número: escriba los decimales con punto \(1\.23\); la coma agrupa los miles"),
    ("12,5", r"escriba los decimales con punto \(12\.5\)"),
    ("1.250,50", r"escriba los decimales con punto \(1250\.50\)"),
    ("1,2345", "^«1,2345» no es un número.$"),
    ("1.000", r"^«1.000» es ambiguo: para 1,000 escriba 1000; el punto separa los decimales.$"),
    ("12.500.000", "es ambiguo: para 12,500,000 escriba 12500000"),
    ("12,34,567", "no es un número"),
    ("0x10", "no es un número"),
    ("1_000", "no es un número"),
    ("diez", "no es un número"),
    (float("nan"), "no es un número"),
    (float("inf"), "no es un número"),
    (Decimal("NaN"), "no es un número"),
    (Decimal("sNaN"), "no es un número"),
    (True, "no es un número"),
    (1e30, "es demasiado grande; el máximo es 2,147,483,647"),
    (1e15, "es demasiado grande"),
    (3e9, "es demasiado grande"),
    (3_000_000_000, "es demasiado grande"),
    ("2,147,483,648", "es demasiado grande"),
    (-1, "no puede ser negativo"),
    ("-5", "no puede ser negativo"),
    ("1.5", "debe ser un número entero"),
    (2.5, "debe ser un número entero"),
]


@pytest.mark.parametrize(("raw", "expected"), READ, ids=[repr(r) for r, _e in READ])
def test_what_the_parser_reads(raw, expected):
    assert parse_integer(raw, GOALS) == expected


@pytest.mark.parametrize(("raw", "message"), REFUSED, ids=[repr(r) for r, _m in REFUSED])
def test_what_the_parser_refuses_in_spanish(raw, message):
    with pytest.raises(NumberError, match=message):
        parse_integer(raw, GOALS)


def test_bounds_come_from_the_column_and_hold_on_both_databases():
    assert GOALS == Bounds(0, Decimal(0), Decimal(2_147_483_647))  # PostgreSQL's integer
    assert QUANTITY == Bounds(2, Decimal(0), Decimal("999999999999.99"))  # max_digits 14
    assert TARGET == Bounds(2, Decimal("-9999999999999.99"), Decimal("9999999999999.99"))  # 16 digits, cut to 15
    assert bounds_for(models.SmallIntegerField()) == Bounds(0, Decimal(-32_767), Decimal(32_767))
    assert bounds_for(models.BigIntegerField(), minimum=1).maximum == Decimal(9_223_372_036_854_775_807)
    assert parse_number("31.5", QUANTITY) == Decimal("31.50")
    assert parse_number(0.1 + 0.2, QUANTITY) == Decimal("0.30")  # as Excel shows it
    with pytest.raises(NumberError, match="admite como máximo 2 decimales"):
        parse_number("1.005", QUANTITY)
    with pytest.raises(NumberError, match="es demasiado grande; el máximo es 999,999,999,999.99"):
        parse_number(10**13, QUANTITY)
    with pytest.raises(NumberError, match="debe ser al menos 1"):
        parse_number("0", Bounds(0, Decimal(1), Decimal(250)))


@given(st.decimals(min_value=QUANTITY.minimum, max_value=QUANTITY.maximum, places=2))
def test_every_number_within_bounds_reads_back_exactly(value):
    assert parse_number(str(value), QUANTITY) == value
    assert parse_number(f"{value:,}", QUANTITY) == value
    assert parse_number(float(value), QUANTITY) == value  # what Excel stores, 15 significant digits


@given(st.one_of(st.text(), st.floats(), st.integers(), st.decimals(), st.booleans(), st.none()))
def test_anything_else_is_a_number_within_bounds_or_a_spanish_refusal(raw):
    try:
        value = parse_number(raw, TARGET)
    except NumberError as exc:
        assert str(exc) and str(exc)[0] in "«ndae"  # «x» no es…, no puede…, debe…, admite…, es demasiado…
    else:
        assert value is None or TARGET.minimum <= value <= TARGET.maximum
        assert value is None or -value.as_tuple().exponent <= 2  # type: ignore[operator]


WIDE_WHOLE = bounds_for(models.BigIntegerField())


@given(st.one_of(st.text(), st.floats(), st.integers(), st.decimals(), st.booleans(), st.none()))
def test_whole_numbers_taken_at_once_are_what_the_parser_reads(raw):
    """The shortcut for whole int and float cells (`wholes`, 72,000 cells of a national template) takes only what
    the full parser takes, as the same number; anything else goes to the full parser."""
    from planea.core.numbers import wholes

    for bounds in (GOALS, WIDE_WHOLE):
        (fast,) = wholes([raw], bounds)
        try:
            full = parse_integer(raw, bounds)
        except NumberError:
            assert fast is None
        else:
            assert fast is None or fast == full
    (fast,) = wholes([raw], QUANTITY)  # bounds with decimals: a whole number is the same, with its decimal places
    if fast is not None:
        assert parse_number(raw, QUANTITY) == fast
        assert str(parse_number(raw, QUANTITY)) == str(parse_number(str(fast), QUANTITY))


def test_whole_numbers_at_the_edges_of_their_bounds():
    from planea.core.numbers import wholes

    assert wholes([0, 2_147_483_647, 2_147_483_648, -1, 7.0, 7.5, True, 1e15, "3"], GOALS) == [
        0,
        2_147_483_647,
        None,
        None,
        7,
        None,
        None,
        None,
        None,
    ]
    assert wholes([10**15, 10**15 + 1, 1e15, 1e16], WIDE_WHOLE) == [10**15, None, 10**15, None]
    assert parse_integer(10**15 + 1, WIDE_WHOLE) == 10**15 + 1  # past what a float holds exactly: the full parse


# What every screen shows (the `number` filter, core.numbers.formatted), the parser reads back, in each language.
SHOWN = [
    (1234567, None, "1,234,567"),
    (Decimal("2900000.00"), None, "2,900,000"),
    (Decimal("3.80"), None, "3.8"),
    (Decimal("0.125"), None, "0.13"),
    (Decimal("-1234.5"), None, "-1,234.5"),
    (Decimal("5000"), 2, "5,000.00"),
    (Decimal("-0.001"), 2, "0.00"),
    (12.5, None, "12.5"),
    (None, None, ""),
    ("—", None, "—"),
    (Decimal("1E+40"), None, "1E+40"),  # beyond any column: shown as it is, never an error
    (Decimal("NaN"), None, "NaN"),
]


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(("value", "places", "shown"), SHOWN)
def test_numbers_are_shown_grouped_by_thousands_in_each_language(language, value, places, shown):
    from django.utils import translation

    from planea.core.templatetags.planea import number_filter

    with translation.override(language):
        assert (number_filter(value) if places is None else number_filter(value, places)) == shown


@pytest.mark.parametrize("language", ["es", "en"])
@given(
    whole=st.integers(min_value=0, max_value=2_147_483_647),
    amount=st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False),
)
def test_what_a_screen_shows_the_parser_reads_back(language, whole, amount):
    """A goal cell, a ceiling typed back as shown: the form reads the number it showed, in either language."""
    from django.utils import translation

    from planea.core.templatetags.planea import number_filter

    with translation.override(language):
        assert parse_integer(number_filter(whole), GOALS) == whole
        assert parse_number(number_filter(amount, 2), QUANTITY) == amount
        assert parse_number(number_filter(amount), QUANTITY) == amount
