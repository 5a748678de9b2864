"""Results computed from the execution's data, kept until the data change: the dashboard and the four-monthly report
are sums over a national POA's 6,000 lines, and the directors open them many times between two changes. The key
carries the data's version — the number and hash of the latest audit event: every change of goals, execution,
statistics or forecasts writes one in its own transaction, so a reader sees a change and its event together — and
the language of the page, so the next request after any change computes afresh."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

from planea.audit.models import AuditEvent

KEPT_SECONDS = 600


def data_version() -> tuple[int, str] | None:
    """The latest audit event's number and hash (the hash tells apart two databases at the same number: a restored
    copy, or the test databases rolled back between tests)."""
    return AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()


def stamp(name: str, parts: tuple[Any, ...]) -> str:
    """The key of what `name` computed from `parts` on the data as they are now, in the page's language (also the
    key of a page's fragment remembered by the template's {% cache %} tag)."""
    version = repr((data_version(), get_language(), parts)).encode()
    return f"planea:{name}:{hashlib.sha256(version).hexdigest()}"


def remembered[T](name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same `parts` since the data last changed."""
    key = stamp(name, parts)
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEPT_SECONDS)
    return found
