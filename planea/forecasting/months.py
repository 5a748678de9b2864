"""Month arithmetic on first-of-month dates (the pipeline's only calendar)."""

from __future__ import annotations

from datetime import date


def month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """How many months `last` is after `first` (0 when the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"
