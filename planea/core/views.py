from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from planea.org.models import RoleAssignment


def home(request: HttpRequest) -> HttpResponse:
    """The person's inbox (Bandeja): tasks of the procedures will appear here."""
    assignments = (
        RoleAssignment.objects.filter(person=request.user, active=True)
        .select_related("org_unit")
        .order_by("role", "org_unit__code")
    )
    return render(request, "core/home.html", {"assignments": assignments})


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
