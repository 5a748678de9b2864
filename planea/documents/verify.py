"""Checking stored documents against the SHA-256 recorded when each was stored: a file missing, or whose bytes
changed, is reported (documents are never replaced, so any difference is damage or tampering)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from .models import Document

CHUNK = 1024 * 1024


@dataclass
class DocumentProblem:
    document_id: int
    title: str
    path: str
    problem: str  # "missing" or "altered"


@dataclass
class DocumentsReport:
    checked: int = 0
    problems: list[DocumentProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def file_sha256(open_stream: Callable[[], object]) -> str:
    digest = hashlib.sha256()
    with open_stream() as stream:  # type: ignore[attr-defined]
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_documents(progress: Callable[[int, int], None] | None = None) -> DocumentsReport:
    report = DocumentsReport()
    total = Document.objects.count()
    for document in Document.objects.order_by("pk").iterator(chunk_size=500):
        report.checked += 1
        try:
            digest = file_sha256(partial(document.file.open, "rb"))
        except (OSError, ValueError):  # missing, or a folder (or other non-file) where the file should be
            report.problems.append(DocumentProblem(document.pk, document.title, document.file.name or "", "missing"))
        else:
            if digest != document.sha256:
                report.problems.append(
                    DocumentProblem(document.pk, document.title, document.file.name or "", "altered")
                )
        if progress and report.checked % 500 == 0:
            progress(report.checked, total)
    return report
