from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from .frame import frame


def home(request: HttpRequest) -> HttpResponse:
    """The person's inbox (Bandeja): the ready steps of their roles and units, and those assigned to them."""
    from planea.procedures.inbox import inbox_rows, inbox_tables

    rows = inbox_rows(request.user)
    return render(
        request,
        "core/home.html",
        {"assignments": request.user.active_assignments(), "tables": inbox_tables(rows) if rows else ""},
    )


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
