"""Answering a request with a background job: the job is started and the person lands on its page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .services import JobLimitReached, start_job


def started(request: HttpRequest, **job: Any) -> HttpResponse:
    """Start the job (`start_job`'s arguments) and answer with its page: progress bar, then the result. A person
    with too many open jobs goes back to `next_url` with the reason."""
    try:
        pk = start_job(**job).pk
    except JobLimitReached as refused:
        messages.error(request, str(refused))
        return redirect(job.get("next_url") or "shell:home")
    return redirect("jobs:detail", pk=pk)
