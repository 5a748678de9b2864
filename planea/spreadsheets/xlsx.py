"""Excel templates in and out.

Writing uses openpyxl: a data sheet with fixed headers, dropdowns fed from a hidden catalog sheet, numeric
validation, and a hidden `_planea` sheet that names the template and its version. Reading uses python-calamine
and answers every problem in Spanish naming sheet, row and column; callers import all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import pickle
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from planea.core.numbers import Bounds, NumberError, parse_integer, parse_number, wholes

from . import xlsx_archive, xlsx_child, xlsx_children

META_SHEET = "_planea"
CATALOG_SHEET = "Catálogos"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = xlsx_archive.MAX_ROWS - 1
SHOWN_CHARACTERS = 60
MAX_MESSAGE = 400
MAX_ISSUES_SHOWN = 200
MAX_ISSUES = 1_000  # a file this wrong is not checked further: the list is already enough to correct it
_Number = TypeVar("_Number", Decimal, int)
# At most two files are read at once per worker process; a third waits (each child may take a gigabyte).
CHILDREN = threading.BoundedSemaphore(2)
MAX_TABLES_BYTES = 32 * 1024 * 1024  # the tables the child hands back (a national template takes about 2 MB)
logger = logging.getLogger(__name__)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: int = 18
    kind: str = "text"  # text | code | int | decimal | bool | formula (written as is, ignored on import)
    catalog: str | None = None  # name of a list on the catalog sheet, offered as a dropdown
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    template: str  # stable identifier of the template, e.g. "org_units"
    version: int
    title: str  # sheet name shown to people
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass
class CellIssue:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __post_init__(self) -> None:
        self.sheet = shown(self.sheet)
        if len(self.message) > MAX_MESSAGE:  # whatever a message echoes, a page of errors stays readable
            self.message = self.message[: MAX_MESSAGE - 1] + "…"

    def __str__(self) -> str:
        if not self.sheet:  # a problem of the whole file
            return capfirst(self.message)
        where = [_("Hoja «%(sheet)s»") % {"sheet": self.sheet}]
        if self.row is not None:
            where.append(_("fila %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("columna «%(column)s»") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}"


class ImportRejected(Exception):
    """The file was refused; nothing was written. `issues` lists every problem found."""

    def __init__(self, issues: Sequence[CellIssue], *, stopped: bool = False) -> None:
        # Problems of the whole file first, then row by row, as they are corrected in the file.
        ordered = sorted(issues, key=lambda i: (i.row is not None, i.row or 0))
        super().__init__("; ".join(str(i) for i in ordered[:5]))
        self.issues = ordered
        self.stopped = stopped  # the check stopped at MAX_ISSUES: the file may hold more

    @property
    def messages(self) -> list[str]:
        """The first problems as sentences, and how many more there are: enough to correct the file."""
        shown_issues = [str(i) for i in self.issues[:MAX_ISSUES_SHOWN]]
        hidden = len(self.issues) - len(shown_issues)
        if self.stopped:
            shown_issues.append(
                _(
                    "Se muestran los primeros %(shown)s problemas. Se dejó de revisar el archivo al llegar a %(n)s, "
                    "así que puede tener más: corrija estos y vuelva a cargarlo."
                )
                % {"shown": len(shown_issues), "n": f"{MAX_ISSUES:,}"}
            )
        elif hidden:
            shown_issues.append(
                ngettext(
                    "… y %(n)s problema más; corrija los anteriores y vuelva a cargar el archivo.",
                    "… y %(n)s problemas más; corrija los anteriores y vuelva a cargar el archivo.",
                    hidden,
                )
                % {"n": hidden}
            )
        return shown_issues


@dataclass
class SheetRow:
    number: int  # row number as Excel shows it
    values: dict[str, Any] = field(default_factory=dict)
    uncalculated: frozenset[str] = frozenset()  # keys of cells holding a formula saved without its value
    errors: frozenset[str] = frozenset()  # keys of cells holding an Excel error (#N/A, #DIV/0!…)


def escape_formula(value: Any) -> Any:
    """Text that Excel would run as a formula is written with a leading apostrophe (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def build_workbook(
    spec: SheetSpec,
    rows: Iterable[Sequence[Any]],
    catalogs: Mapping[str, Sequence[str]] | None = None,
    notes: Sequence[str] = (),
    meta_values: Mapping[str, str] | None = None,
    hidden_sheets: Mapping[str, Iterable[Sequence[Any]]] | None = None,
) -> bytes:
    """An .xlsx with the data sheet first, the catalogs and template metadata on hidden sheets. `hidden_sheets` adds
    more hidden sheets of plain rows (for example prices the data sheet's formulas look up)."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = spec.title
    header_fill = PatternFill("solid", fgColor="0B3D6B")
    for index, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(spec.columns, row, strict=True), start=1):
            cell = ws.cell(
                row=count + 1, column=index, value=value if column.kind == "formula" else escape_formula(value)
            )
            if column.kind == "code":
                cell.number_format = "@"
    last_row = max(count + 1, 1000)

    cat_ws = wb.create_sheet(CATALOG_SHEET)
    for c_index, (name, values) in enumerate((catalogs or {}).items(), start=1):
        letter = get_column_letter(c_index)
        cat_ws.cell(row=1, column=c_index, value=name).font = Font(bold=True)
        for r_index, value in enumerate(values, start=2):
            cat_ws.cell(row=r_index, column=c_index, value=escape_formula(value))
        ref = f"{quote_sheetname(CATALOG_SHEET)}!${letter}$2:${letter}${max(len(values) + 1, 2)}"
        wb.defined_names[f"lista_{name}"] = DefinedName(f"lista_{name}", attr_text=ref)
    cat_ws.sheet_state = "hidden"

    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{last_row}"
        validation: DataValidation | None = None
        if column.catalog:
            validation = DataValidation(
                type="list", formula1=f"=lista_{column.catalog}", allow_blank=not column.required
            )
            validation.error = _("Elija un valor de la lista.")
        elif column.kind in {"int", "decimal"}:
            validation = DataValidation(
                type="whole" if column.kind == "int" else "decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
            )
            validation.error = _("Escriba un número mayor o igual a cero.")
        elif column.kind == "bool":
            validation = DataValidation(type="list", formula1='"Sí,No"', allow_blank=True)
            validation.error = _("Escriba Sí o No.")
        if validation is not None:
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            ws.add_data_validation(validation)
            validation.add(cells)

    for title, sheet_rows in (hidden_sheets or {}).items():
        extra_ws = wb.create_sheet(title)
        for values in sheet_rows:
            extra_ws.append([escape_formula(v) for v in values])
        extra_ws.sheet_state = "hidden"

    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = "plantilla", spec.template
    meta["A2"], meta["B2"] = "version", spec.version
    meta["A3"], meta["B3"] = "generado", dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    extra = list((meta_values or {}).items())
    for offset, (key, value) in enumerate(extra, start=4):
        meta.cell(row=offset, column=1, value=key)
        meta.cell(row=offset, column=2, value=escape_formula(value))
    for offset, note in enumerate(notes, start=5 + len(extra)):
        meta.cell(row=offset, column=1, value=note)
    meta.sheet_state = "hidden"

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _ChildOutput(pickle.Unpickler):
    """Loads the child's tables: plain values and the datetime types only."""

    ALLOWED = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


@dataclass
class ReadWorkbook:
    """A workbook read by `open_workbook`: its sheets as tables of cell values (row 1 of Excel is index 0)."""

    sheet_names: list[str]
    tables: dict[str, list[list[Any]]]
    formulas_without_value: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    error_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # #N/A, #DIV/0!… (read as empty)


def file_refused(message: str) -> ImportRejected:
    """A problem of the whole file, not of a row (the wrong plan, a plan that no longer takes it)."""
    return ImportRejected([CellIssue("", None, None, message)])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def refusal_message(reason: str, params: dict[str, Any]) -> str:
    """The Spanish sentence of a refusal by the archive checks (`xlsx_archive.ArchiveRefused`)."""
    part = str(params.get("part", ""))[:60]
    sheet = str(params.get("sheet", ""))[:60]
    limit = params.get("limit", 0)
    if reason == "declarations":
        return _("la parte «%(part)s» declara un DOCTYPE o entidades, que Excel no escribe.") % {"part": part}
    if reason == "part_too_large":
        return _("la parte «%(part)s» del archivo ocupa más de %(max)s MB al descomprimirse.") % {
            "part": part,
            "max": _megabytes(limit),
        }
    if reason == "too_large":
        return _("el archivo ocupa más de %(max)s MB al descomprimirse.") % {"max": _megabytes(limit)}
    if reason == "too_many_parts":
        return _("el archivo contiene %(n)s partes; un libro de Excel normal tiene pocas.") % {"n": params.get("n")}
    if reason == "duplicate_part":
        return _("el archivo está dañado: la parte «%(part)s» aparece dos veces.") % {"part": part}
    if reason == "duplicate_sheet":
        return _("el libro tiene dos hojas llamadas «%(sheet)s», lo que Excel no permite; cambie el nombre de una.") % {
            "sheet": sheet
        }
    if reason == "encrypted":
        return _("el archivo está cifrado; quítele la contraseña en Excel y vuelva a cargarlo.")
    if reason == "compression":
        return _("el archivo usa una compresión que Excel no produce.")
    if reason == "rows":
        return _("la hoja «%(sheet)s» llega hasta la fila %(rows)s; el máximo es %(max)s filas de datos.") % {
            "sheet": sheet,
            "rows": f"{params.get('rows', 0):,}",
            "max": f"{limit:,}",
        }
    if reason == "columns":
        return _(
            "la hoja «%(sheet)s» llega hasta la columna %(column)s; las plantillas de Planea no pasan de la "
            "columna %(max)s. Borre las columnas sobrantes a la derecha."
        ) % {"sheet": sheet, "column": params.get("column", ""), "max": limit}
    if reason == "cells":
        return _("la hoja «%(sheet)s» tiene más de %(max)s celdas; borre las filas y columnas sobrantes.") % {
            "sheet": sheet,
            "max": f"{limit:,}",
        }
    if reason == "formulas_without_value":
        return _(
            "la hoja «%(sheet)s» tiene fórmulas sin valor calculado; ábrala en Excel, guárdela y cárguela de nuevo."
        ) % {"sheet": sheet}
    if reason == "text_too_long":
        return _("una celda tiene más de %(max)s caracteres, más de lo que Excel guarda en una celda.") % {
            "max": f"{limit:,}"
        }
    return _("el archivo no es un libro de Excel (.xlsx) válido o está dañado.")


def _read_in_child(data: bytes) -> dict[str, Any]:
    """Check and parse the file in a child process limited in memory, CPU and output (see xlsx_child); what it
    found comes back through a file whose size is checked before it is read."""
    if not CHILDREN.acquire(timeout=settings.PLANEA_XLSX_SECONDS):
        raise file_refused(_("el servidor está leyendo otros archivos; intente de nuevo en un momento."))
    try:
        return _run_child(data)
    finally:
        CHILDREN.release()


def _run_child(data: bytes) -> dict[str, Any]:
    if not data:
        raise file_refused(refusal_message("not_xlsx", {}))
    limits = xlsx_children.Limits(settings.PLANEA_XLSX_MEMORY_MB, settings.PLANEA_XLSX_SECONDS, MAX_TABLES_BYTES)
    try:
        done = xlsx_children.read(data, limits)
    except xlsx_children.TimedOut as exc:
        raise file_refused(_("leer el archivo tomó demasiado tiempo; revise que no tenga datos de más.")) from exc
    if done.returncode in (0, xlsx_child.EXIT_REFUSED) and done.output is not None:
        try:
            record: dict[str, Any] = _ChildOutput(io.BytesIO(done.output)).load()
        except (pickle.UnpicklingError, EOFError, TypeError, ValueError) as exc:
            raise file_refused(refusal_message("not_xlsx", {})) from exc
        if "refused" in record:
            raise file_refused(refusal_message(record["refused"], record.get("params", {})))
        return record
    if done.returncode in (0, xlsx_child.EXIT_TOO_LARGE):  # read, but more than the worker takes back
        raise file_refused(
            _("el archivo tiene más datos de los que Planea lee de una vez; divídalo o borre los sobrantes.")
        )
    if done.returncode == xlsx_child.EXIT_DAMAGED:
        raise file_refused(refusal_message("not_xlsx", {}))
    logger.warning("xlsx child ended with %s: %s", done.returncode, done.stderr)
    raise file_refused(
        _("leer el archivo necesita más memoria o tiempo de los permitidos; revise que no tenga datos de más.")
    )


def open_workbook(source: IO[bytes] | bytes) -> ReadWorkbook:
    """The workbook's tables, checked (`xlsx_archive`) and parsed in a child process under memory, CPU and output
    limits (`xlsx_child`). ImportRejected, in Spanish, for anything that is not a sound .xlsx within the limits."""
    data = source if isinstance(source, bytes) else source.read()
    record = _read_in_child(data)
    sheets = record["sheets"]
    return ReadWorkbook(
        sheet_names=[name for name, _rows in sheets],
        tables=dict(sheets),
        formulas_without_value=record["formulas"],
        error_cells=record.get("errors", {}),
    )


def shown(value: Any, limit: int = SHOWN_CHARACTERS) -> str:
    """A value as it is echoed in a message: its text, cut to about 60 characters."""
    text = value if isinstance(value, str) else cell_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_text(value: Any) -> str:
    """A cell as text: integral numbers without '.0', dates as dd/mm/aaaa, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return unescape_formula(str(value).strip())


def read_meta(wb: ReadWorkbook) -> dict[str, Any]:
    """The key → value pairs of the hidden `_planea` sheet (empty when the file has none). A value with a NUL
    character (`_x0000_` in the file) is no value: it would reach a database query."""
    return {
        cell_text(r[0]): r[1]
        for r in wb.tables.get(META_SHEET, [])
        if len(r) >= 2 and "\x00" not in cell_text(r[0]) + cell_text(r[1])
    }


def read_sheet(source: IO[bytes] | bytes | ReadWorkbook, spec: SheetSpec) -> list[SheetRow]:
    """Rows of the spec's sheet keyed by column key. Refuses wrong templates, wrong headers and formula cells saved
    without a calculated value."""
    wb = source if isinstance(source, ReadWorkbook) else open_workbook(source)
    names = list(wb.sheet_names)
    if META_SHEET in names:
        meta = read_meta(wb)
        template = cell_text(meta.get("plantilla"))
        if template and template != spec.template:
            raise ImportRejected(
                [
                    CellIssue(
                        META_SHEET,
                        None,
                        None,
                        _("este archivo es una plantilla de «%(found)s» y aquí se espera una de «%(expected)s».")
                        % {"found": shown(template), "expected": spec.template},
                    )
                ]
            )
        version = cell_text(meta.get("version"))
        if version and version != str(spec.version):
            raise ImportRejected(
                [
                    CellIssue(
                        spec.title,
                        None,
                        None,
                        _(
                            "la plantilla es de la versión %(found)s y la vigente es la %(expected)s; "
                            "descargue la plantilla de nuevo y copie en ella sus datos."
                        )
                        % {"found": shown(version), "expected": spec.version},
                    )
                ]
            )
    if spec.title not in names:
        visible = [n for n in names if n not in {META_SHEET, CATALOG_SHEET}]
        raise ImportRejected(
            [
                CellIssue(
                    spec.title,
                    None,
                    None,
                    _("el libro no tiene la hoja «%(sheet)s» (hojas encontradas: %(found)s).")
                    % {"sheet": spec.title, "found": ", ".join(shown(n) for n in visible[:10]) or "—"},
                )
            ]
        )
    table = wb.tables[spec.title]
    if not table:
        raise ImportRejected([CellIssue(spec.title, None, None, _("la hoja está vacía."))])
    headers = [cell_text(h) for h in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    expected = spec.headers
    if headers != expected:
        missing = [h for h in expected if h not in headers]
        extra = [shown(h) for h in headers if h not in expected][:10]
        parts = []
        if missing:
            parts.append(_("faltan las columnas %(cols)s") % {"cols": ", ".join(f"«{m}»" for m in missing)})
        if extra:
            parts.append(_("sobran las columnas %(cols)s") % {"cols": ", ".join(f"«{e}»" for e in extra)})
        if not parts:
            parts.append(_("las columnas están en otro orden"))
        raise ImportRejected(
            [
                CellIssue(
                    spec.title,
                    1,
                    None,
                    _(
                        "los encabezados no son los de la plantilla: %(detail)s. "
                        "Se esperan, en este orden: %(expected)s."
                    )
                    % {"detail": "; ".join(parts), "expected": ", ".join(f"«{h}»" for h in expected)},
                )
            ]
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected(
            [CellIssue(spec.title, None, None, _("el archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})]
        )
    # A formula saved without its value, or an Excel error, reads as empty: the row checker reports it with the
    # row's other problems.
    uncalculated = _cells_by_row(spec, wb.formulas_without_value.get(spec.title, set()))
    errors = _cells_by_row(spec, wb.error_cells.get(spec.title, set()))
    rows: list[SheetRow] = []
    keys = [c.key for c in spec.columns]
    width = len(keys)
    none: frozenset[str] = frozenset()
    for offset, raw in enumerate(table[1:], start=2):
        if offset not in uncalculated and offset not in errors and _empty(raw, width):
            continue
        cells = raw[:width] if len(raw) >= width else [*raw, *[None] * (width - len(raw))]
        rows.append(
            SheetRow(
                number=offset,
                values=dict(zip(keys, cells, strict=True)),
                uncalculated=frozenset(uncalculated[offset]) if offset in uncalculated else none,
                errors=frozenset(errors[offset]) if offset in errors else none,
            )
        )
    return rows


def _empty(raw: Sequence[Any], width: int) -> bool:
    """No cell of the spec's columns holds anything but blanks."""
    return all(value is None or value == "" or cell_text(value) == "" for value in raw[:width])


def _cells_by_row(spec: SheetSpec, positions: set[tuple[int, int]]) -> dict[int, set[str]]:
    """Row number → keys of the spec's data columns (not its informational formulas) among `positions`."""
    found: dict[int, set[str]] = {}
    for row, column in positions:
        if row > 1 and column <= len(spec.columns) and spec.columns[column - 1].kind != "formula":
            found.setdefault(row, set()).add(spec.columns[column - 1].key)
    return found


class RowChecker:
    """Collects issues while converting the cells of one sheet; raise `rejected()` at the end when any."""

    def __init__(self, spec: SheetSpec) -> None:
        self.spec = spec
        self.issues: list[CellIssue] = []
        self._headers = {c.key: c.header for c in spec.columns}

    def add(self, row: SheetRow | int | None, key: str | None, message: str) -> None:
        """Record a problem; at MAX_ISSUES the check stops and the file is refused with what was found."""
        number = row.number if isinstance(row, SheetRow) else row
        self.issues.append(CellIssue(self.spec.title, number, self._headers.get(key or "", key), message))
        if len(self.issues) >= MAX_ISSUES:
            raise ImportRejected(self.issues, stopped=True)

    def calculated(self, row: SheetRow, key: str) -> bool:
        """False, with the problem recorded, when the cell holds an Excel error or a formula saved without its
        value (both read as empty)."""
        if not (row.errors or row.uncalculated):
            return True
        if key in row.errors:
            self.add(
                row,
                key,
                _("la celda tiene un error de Excel (como #N/A o #¡DIV/0!); corríjalo o escriba el valor."),
            )
            return False
        if key in row.uncalculated:
            self.add(
                row,
                key,
                _(
                    "la celda tiene una fórmula sin valor calculado; abra el archivo en Excel y guárdelo, o escriba "
                    "el valor."
                ),
            )
            return False
        return True

    def text(self, row: SheetRow, key: str, *, required: bool = True, max_length: int | None = None) -> str:
        """The cell as text; a NUL character (which Excel writes as _x0000_) is refused, never stored."""
        if not self.calculated(row, key):
            return ""
        value = cell_text(row.values.get(key))
        if "\x00" in value:
            self.add(row, key, _("el texto contiene un carácter nulo (NUL); escríbalo de nuevo."))
            return ""
        if required and not value:
            self.add(row, key, _("el valor es obligatorio."))
        if max_length and len(value) > max_length:
            self.add(
                row, key, _("tiene %(n)s caracteres; el máximo es %(max)s.") % {"n": len(value), "max": max_length}
            )
        return value

    def code(self, row: SheetRow, key: str, validator: Callable[[str], None]) -> str:
        value = self.text(row, key)
        if value:
            try:
                validator(value)
            except ValidationError as exc:  # the model's sentences go on in lower case after "columna «X»:"
                self.add(row, key, " ".join(m[:1].lower() + m[1:] for m in exc.messages))
        return value

    def choice(self, row: SheetRow, key: str, choices: Sequence[tuple[str, Any]], *, required: bool = True) -> str:
        """Accept either the label people see or the stored value; answer with the valid labels."""
        value = self.text(row, key, required=required)
        if not value:
            return ""
        folded = value.casefold()
        for stored, label in choices:
            if folded in {str(stored).casefold(), str(label).casefold()}:
                return str(stored)
        self.add(
            row,
            key,
            _("«%(value)s» no es un valor válido; use uno de: %(options)s.")
            % {"value": shown(value), "options": ", ".join(str(label) for _v, label in choices)},
        )
        return ""

    def boolean(self, row: SheetRow, key: str, default: bool = True) -> bool:
        if not self.calculated(row, key):
            return default
        value = cell_text(row.values.get(key)).casefold()
        if value == "":
            return default
        if value in {"sí", "si", "s", "x", "1", "true", "verdadero", "yes"}:
            return True
        if value in {"no", "n", "0", "false", "falso"}:
            return False
        self.add(row, key, _("escriba Sí o No."))
        return default

    def number(self, row: SheetRow, key: str, bounds: Bounds, *, required: bool = False) -> Decimal | None:
        """The cell as a number within `bounds` (see `core.numbers`), or None after recording the problem."""
        return self._parsed(parse_number, row, key, bounds, required)

    def integer(self, row: SheetRow, key: str, bounds: Bounds, *, required: bool = False) -> int | None:
        """`number` of whole bounds, as an int (a national goals template has 72,000 of them)."""
        return self._parsed(parse_integer, row, key, bounds, required)

    def integers(self, row: SheetRow, keys: Sequence[str], bounds: Bounds) -> list[int | None]:
        """`integer` of several cells of a row, the whole numbers within bounds taken at once."""
        return self._many(self.integer, row, keys, bounds)

    def numbers(self, row: SheetRow, keys: Sequence[str], bounds: Bounds) -> list[Decimal | int | None]:
        """`number` of several cells of a row, the whole numbers within bounds taken at once and given as int (a
        national statistics template has 100,800 of them); the others as `number` reads them."""
        return self._many(self.number, row, keys, bounds)

    def _many(
        self, one: Callable[[SheetRow, str, Bounds], _Number | None], row: SheetRow, keys: Sequence[str], bounds: Bounds
    ) -> list[_Number | int | None]:
        if row.errors or row.uncalculated:  # cells the archive checks flagged, whatever the reader made of them
            return [one(row, key, bounds) for key in keys]
        found: list[_Number | int | None] = list(wholes([row.values.get(key) for key in keys], bounds))
        if None in found:  # an empty cell, or no whole number within bounds: the full parse says why
            return [one(row, key, bounds) if value is None else value for key, value in zip(keys, found, strict=True)]
        return found

    def _parsed(
        self, parse: Callable[[Any, Bounds], _Number | None], row: SheetRow, key: str, bounds: Bounds, required: bool
    ) -> _Number | None:
        if not self.calculated(row, key):
            return None
        try:
            value = parse(row.values.get(key), bounds)
        except NumberError as exc:
            self.add(row, key, str(exc))
            return None
        if value is None and required:
            self.add(row, key, _("el valor es obligatorio."))
        return value

    def unique(self, rows: Sequence[SheetRow], key: str) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            value = cell_text(row.values.get(key)).casefold()
            if not value:
                continue
            if value in seen:
                self.add(
                    row,
                    key,
                    _("el valor «%(value)s» ya aparece en la fila %(first)s.")
                    % {"value": shown(row.values.get(key)), "first": seen[value]},
                )
            else:
                seen[value] = row.number

    def raise_if_any(self) -> None:
        if self.issues:
            raise ImportRejected(self.issues)
