"""Shared view helpers: file downloads and the all-or-nothing spreadsheet import page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .uploads import SpreadsheetUploadForm
from .xlsx import XLSX_CONTENT_TYPE, ImportRejected


def xlsx_download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def spreadsheet_import(
    request: HttpRequest,
    *,
    importer: Callable[[bytes, Any, str], Any],
    title: str,
    template_url: str,
    back_url: str,
    help_text: str = "",
) -> HttpResponse:
    """Upload → check every row → write everything or nothing; errors are listed row by row in Spanish."""
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    issue_count = 0
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = importer(upload.read(), request.user, upload.name)
            except ImportRejected as rejected:
                issues, issue_count = rejected.messages, len(rejected.issues)
                status = 400
            else:
                messages.success(request, _("Importación completada: %(summary)s") % {"summary": summary})
                return redirect(back_url)
        else:
            status = 400
    context = {
        "form": form,
        "issues": issues,
        "issue_count": issue_count,
        "title": title,
        "template_url": template_url,
        "back_url": back_url,
        "help_text": help_text,
    }
    return render(request, "core/import.html", context, status=status)
