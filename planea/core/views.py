from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader

from .frame import frame


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the frame's styles. As Django's own, it runs no context processor (the error may be
    theirs), and falls back to a line of text if even the page fails."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render({"frame": frame()}))
    except Exception:  # the page of last resort must answer
        return HttpResponseServerError("<h1>Error del sistema (500)</h1>")
