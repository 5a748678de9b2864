from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from planea.org.access import declare, signed_in


def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: a signed-in request through the same middleware that returns a constant body."""
    return HttpResponse("ok")


declare({"bench_bare": signed_in("Solo en benchmarks")})
urlpatterns = [path("bench/bare/", bare, name="bench_bare"), path("", include("planea.urls"))]
