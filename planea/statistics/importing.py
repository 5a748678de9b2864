"""A statistics file as people upload it: a filled template (.xlsx) or a long-form CSV, told apart by its content,
checked whole and loaded as one batch (`loading.load`), or refused with every problem named by sheet (or file), row
and column and nothing written. The load page and its background job both come here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from planea.org.models import Person
from planea.spreadsheets.imports import Progress, no_progress
from planea.spreadsheets.xlsx import CellIssue, ImportRejected

from .excel import read_template
from .loading import LoadResult, StatisticsRejected, load, read_csv

ZIP = b"PK\x03\x04"  # an .xlsx is a zip archive


def is_workbook(data: bytes) -> bool:
    return data[:4] == ZIP


def load_file(data: bytes, actor: Person, file_name: str, progress: Progress = no_progress) -> LoadResult:
    """Check and load an uploaded file; ImportRejected (nothing written) when any row is wrong, the CSV's errors
    («Fila 3, columna valor: …») as they are."""
    progress(0, 2, _("Revisando el archivo…"))
    try:
        values = read_template(data) if is_workbook(data) else read_csv(data)
    except StatisticsRejected as rejected:
        raise ImportRejected([CellIssue("", None, None, error) for error in rejected.errors]) from None
    progress(1, 2, _("Guardando %(n)s datos…") % {"n": f"{len(values):,}"})
    result = load(values, file_name=file_name, data=data, actor=actor)
    progress(2, 2, "")
    return result
