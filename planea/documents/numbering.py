"""Correlative numbers of the oficios an org unit issues, one series per unit and year: PyP-0042-2026."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from planea.org.models import OrgUnit

from .models import Correlative


def format_number(prefix: str, number: int, year: int) -> str:
    return f"{prefix}-{number:04d}-{year}"


def next_number(unit: OrgUnit, year: int) -> str:
    """Take the next number of the unit's series for the year. Must run inside the transaction that stores the
    document, so a number is never lost or given twice: the series row stays locked until it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number debe llamarse dentro de una transacción.")
    series = Correlative.objects.select_for_update().filter(unit=unit, year=year).first()
    if series is None:
        try:
            with transaction.atomic():
                Correlative.objects.create(unit=unit, year=year)
        except IntegrityError:
            pass  # created by a concurrent issuer; lock theirs
        series = Correlative.objects.select_for_update().get(unit=unit, year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return format_number(unit.document_prefix(), series.last_number, year)
