"""Python's cycle collector held off during bulk work.

Reading a national goals template builds a few hundred thousand short-lived objects (the tables, a dict per row, a
list per year). Each of them counts toward Python's next full collection, which walks every object of the worker
(Django and all: 0.1 to 0.2 s here), and one such walk fell in every second or third import. Nothing an import
builds is cyclic; the collector runs again as soon as the work ends.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def bulk[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """`function` runs with the cycle collector held off (see the module)."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return run
