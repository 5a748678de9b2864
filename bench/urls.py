from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from planea.core.policies import POLICIES

from planea.org.access import signed_in


def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: a signed-in request through the same middleware that returns a constant body."""
    return HttpResponse("ok")


POLICIES["bench_bare"] = signed_in("Solo en benchmarks")
urlpatterns = [path("bench/bare/", bare, name="bench_bare"), path("", include("planea.urls"))]
