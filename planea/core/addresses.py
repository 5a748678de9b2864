"""Addresses of pages that a page links to many times (a tab per page of a plan, a row per case): each URL name is
reversed once per script prefix and the primary key is put in place on every use, where `reverse` takes tens of
microseconds a call."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.urls import get_script_prefix, reverse

_MARK = 987654321012345  # a primary key no table reaches, replaced on every use


@cache
def _halves(name: str, prefix: str) -> tuple[str, str]:
    head, mark, tail = reverse(name, args=[_MARK]).partition(str(_MARK))
    assert mark, name
    return head, tail


def address(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a URL whose only argument is a primary key."""
    return addresser(name)(pk)


def addresser(name: str) -> Callable[[int], str]:
    """`address` of the URL `name` for many primary keys: the name is looked up once."""
    head, tail = _halves(name, get_script_prefix())
    return lambda pk: f"{head}{int(pk)}{tail}"


def prefix_of(name: str) -> str:
    """The start of the addresses of a URL whose only argument is a primary key, before that key."""
    return _halves(name, get_script_prefix())[0]
