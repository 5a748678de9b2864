from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from planea.execution.dashboard import DASHBOARD_ROLES, home_dashboard
from planea.execution.remembered import remembered
from planea.org.access import SignedInRequest
from planea.procedures.inbox import inbox_rows, inbox_tables, pending_table
from planea.procedures.pending import pending_items

from . import overview


def home(request: SignedInRequest) -> HttpResponse:
    """The person's inbox (Bandeja): every decision waiting for them — the ready steps of their roles and units, and
    those assigned to them, then what the apps declare pending for them (`procedures.pending`); for the directors, the
    overview of plans and cases first."""
    rows = inbox_rows(request.user)
    tables = SafeString((inbox_tables(rows) if rows else "") + pending_table(pending_items(request.user)))
    context = {
        "assignments": request.user.active_assignments(),
        "tables": tables,
        "overview": overview.overview() if overview.shows_overview(request.user) else None,
        "board": remembered("home", (), home_dashboard) if request.user.role_slugs() & DASHBOARD_ROLES else None,
    }
    return render(request, "shell/home.html", context)
