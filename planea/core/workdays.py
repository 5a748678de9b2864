"""Working days in Guatemala: Monday to Friday except the national holidays of the Código de Trabajo (art. 127)
and Holy Thursday and Friday. Due dates of case steps are counted in working days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

# (month, day) of the fixed national holidays: Año Nuevo, Día del Trabajo, Día del Ejército, Independencia,
# Revolución de 1944, Todos los Santos, Nochebuena (tarde), Navidad and Fin de año (tarde).
FIXED_HOLIDAYS = ((1, 1), (5, 1), (6, 30), (9, 15), (10, 20), (11, 1), (12, 24), (12, 25), (12, 31))


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    holy_week = {easter - timedelta(days=3), easter - timedelta(days=2)}
    return frozenset({date(year, month, day) for month, day in FIXED_HOLIDAYS} | holy_week)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (a start on a non-working day counts from the next one)."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    while not is_working_day(current):
        current += timedelta(days=1)
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
