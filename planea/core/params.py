"""Query parameters, read in one place. Each getter returns a clean value or nothing, and never raises: text is
stripped and cut, numbers are ASCII digits within a range, days are real dates between 1900 and 2100. A malformed
filter is ignored (or reported by the view), never a 500. NUL characters never reach here: `RequestInputMiddleware`
refuses them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.http import QueryDict

DIGITS = re.compile(r"^[0-9]{1,18}$", re.ASCII)
INT32 = 2_147_483_647
INT64 = 9_223_372_036_854_775_807  # the largest id either database stores
DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def text(params: QueryDict, name: str, max_length: int = 100) -> str:
    return params.get(name, "").strip()[:max_length]


def integer(params: QueryDict, name: str, *, minimum: int = 0, maximum: int = INT32) -> int | None:
    """A whole number written with ASCII digits within [minimum, maximum], or None."""
    raw = params.get(name, "").strip()
    if not DIGITS.match(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def day(params: QueryDict, name: str) -> dt.date | None:
    """A date written dd/mm/aaaa (or aaaa-mm-dd) between 1900 and 2100, or None."""
    raw = params.get(name, "").strip()
    for fmt in DAY_FORMATS:
        try:
            value = dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        return value if FIRST_YEAR <= value.year <= LAST_YEAR else None
    return None


def choice(params: QueryDict, name: str, choices: Iterable[str], default: str = "") -> str:
    raw = params.get(name, "")
    return raw if raw in set(choices) else default
