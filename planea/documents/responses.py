"""Serving a stored document. Documents Planea issued itself (oficios, anteproyectos, the manual) open in the
browser; uploaded files are always downloaded, under a sandboxing policy, so that nothing a person uploaded runs in
Planea's pages. A document whose file is missing answers a Spanish 404."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _

from .models import Document, Origin

SANDBOX = "sandbox; default-src 'none'"


def document_response(request: HttpRequest, document: Document) -> FileResponse:
    """The document under its original name: inline when Planea issued it (unless ?descargar=1), else as a file."""
    try:
        stream = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("El archivo del documento «%(title)s» no se encuentra.") % {"title": document.title}) from exc
    own = document.origin == Origin.GENERATED
    response = FileResponse(
        stream,
        as_attachment=not own or request.GET.get("descargar") == "1",
        filename=document.original_name,
        content_type=document.content_type,
    )
    if not own:
        response["Content-Security-Policy"] = SANDBOX
    return response
