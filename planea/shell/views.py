from django.http import HttpResponse
from django.shortcuts import render

from planea.org.access import SignedInRequest
from planea.procedures.inbox import inbox_rows, inbox_tables


def home(request: SignedInRequest) -> HttpResponse:
    """The person's inbox (Bandeja): the ready steps of their roles and units, and those assigned to them."""
    rows = inbox_rows(request.user)
    return render(
        request,
        "shell/home.html",
        {"assignments": request.user.active_assignments(), "tables": inbox_tables(rows) if rows else ""},
    )
