"""Spreadsheet answers of a view: a workbook to download, and the all-or-nothing import page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planea.core.uploads import SpreadsheetUploadForm

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
    background: Callable[[bytes, str], HttpResponse] | None = None,
) -> HttpResponse:
    """Upload → check every row → write everything or nothing; errors are listed row by row in Spanish.
    A file larger than PLANEA_IMPORT_INLINE_BYTES goes to `background(data, filename)` when given (a job with a
    progress bar), so that the request answers at once."""
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    issues: list[str] = []
    issue_count = 0
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                if background is not None and len(data) > settings.PLANEA_IMPORT_INLINE_BYTES:
                    return background(data, upload.name)
                summary = importer(data, request.user, upload.name)
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
    return render(request, "spreadsheets/import.html", context, status=status)
