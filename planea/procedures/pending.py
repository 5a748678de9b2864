"""Pending decisions other than case steps, for the inbox: an app whose records wait for someone's decision (a
reprogramming request, a request a step sent to a role) registers a source here, so that the inbox shows every
decision a person can take while procedures knows nothing of those apps (the socket of `links.py`, for the inbox).

A source answers for one person and must cost at most one query, and none for a person who cannot decide anything
of its kind (check their roles first): the inbox is the most opened page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class PendingItem:
    """One decision waiting for the person: what it is, what it concerns, what is asked, where to take it."""

    kind: str  # «Reprogramación», «Solicitud de información»
    reference: str  # «POA-2026 · R-001», a case number
    asked: str  # what the person is asked to decide or answer
    url: str  # the page where it is decided
    arrived: datetime
    due: date | None = None


Source = Callable[[Any], list[PendingItem]]
SOURCES: list[Source] = []


def register(source: Source) -> Source:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def pending_items(user: Any) -> list[PendingItem]:
    """Every pending decision of the person's, the most urgent first (those without a due date last, oldest first)."""
    items = [item for source in SOURCES for item in source(user)]
    return sorted(items, key=lambda item: (item.due or date.max, item.arrived))
