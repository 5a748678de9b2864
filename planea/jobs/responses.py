"""Answering a request with a background job: the job is started and the person lands on its page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect

from .services import start_job


def started(**job: Any) -> HttpResponse:
    """Start the job (`start_job`'s arguments) and answer with its page: progress bar, then the result."""
    return redirect("jobs:detail", pk=start_job(**job).pk)
