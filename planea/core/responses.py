"""The 400 page with a sentence saying what was wrong: the answer of a request Planea cannot read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """The 400 page with a sentence saying what was wrong with the request."""
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))
