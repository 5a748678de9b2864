from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The person's inbox (Bandeja): the ready steps of their roles and units, and those assigned to them."""
    from planea.procedures.inbox import inbox_rows

    assignments = request.user.active_assignments()
    rows = inbox_rows(request.user)
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments,
            "mine": [r for r in rows if r.mine],
            "available": [r for r in rows if not r.taken],
            "others": [r for r in rows if r.taken and not r.mine],
        },
    )


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
