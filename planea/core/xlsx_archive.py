"""Checks an .xlsx archive before any spreadsheet library parses it.

An .xlsx is a zip of XML parts. A 2 KB file can declare a sheet of 16,384 columns × 1,048,576 rows, hold a shared
string of hundreds of megabytes, or a million rows; a parser that trusts it allocates what it declares. Here the
archive is read part by part with a ceiling on every size, and the worksheets are scanned for their declared
dimension, their last cell and their formulas before anything builds a table. Every refusal is a Spanish sentence.

It also finds formula cells saved without a calculated value (a file written by a program that does not calculate):
a reader sees them as empty, and an empty goal would silently become 0.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

MAX_ENTRIES = 500
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_SMALL_PART_BYTES = 4 * 1024 * 1024  # workbook.xml, its relationships, content types
MAX_ROWS = 100_001  # the header and 100,000 rows
MAX_COLUMNS = 64  # column BL: wider than any Planea template
MAX_CELLS = 2_000_000
MAX_FORMULAS_REPORTED = 200
CHUNK = 1024 * 1024

PREFIX = rb"(?:[A-Za-z_][A-Za-z0-9_.\-]*:)?"  # an XML namespace prefix, as any writer may choose it
DIMENSION = re.compile(
    rb"<" + PREFIX + rb"dimension\b[^>]*?\sref\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?"
)
CELL_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")
# The same, fast enough for every cell of a national template: an attribute ending in "r" whose value is a position.
POSITION = re.compile(rb"r\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")
CELL = re.compile(rb"<(" + PREFIX + rb")c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</\1c\s*>)", re.DOTALL)
FORMULA = re.compile(rb"<" + PREFIX + rb"f[\s>/]")
VALUE = re.compile(rb"<" + PREFIX + rb"v\b[^>/]*>[^<]")
DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
SHEET_DATA = re.compile(rb"<" + PREFIX + rb"sheetData[\s/>]")
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class ArchiveRefused(Exception):
    """The file is refused before parsing; the message is Spanish and names what is wrong."""


@dataclass
class ArchiveFacts:
    """What the checks learned: per sheet name, the (row, column) positions (1-based) of formula cells that were
    saved without a calculated value."""

    formulas_without_value: dict[str, set[tuple[int, int]]] = field(default_factory=dict)


def column_number(letters: bytes | str) -> int:
    number = 0
    for char in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def _too_large(info: zipfile.ZipInfo, ceiling: int) -> ArchiveRefused:
    return ArchiveRefused(
        _("la parte «%(part)s» del archivo ocupa más de %(max)s MB al descomprimirse.")
        % {"part": info.filename[:60], "max": _megabytes(ceiling)}
    )


def _ceiling(name: str) -> int:
    return MAX_SHARED_STRINGS_BYTES if name == "xl/sharedStrings.xml" else MAX_PART_BYTES


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ceiling: int) -> bytes:
    """The part's bytes, inflated in chunks and refused as soon as they pass `ceiling`, whatever its header says,
    or when it declares a DOCTYPE or entities (which Excel never writes)."""
    chunks, size, tail = [], 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            if DECLARATIONS.search(tail + chunk):
                raise ArchiveRefused(
                    _("la parte «%(part)s» declara un DOCTYPE o entidades, que Excel no escribe.")
                    % {"part": info.filename[:60]}
                )
            tail = chunk[-16:]
            size += len(chunk)
            if size > ceiling:
                raise _too_large(info, ceiling)
            chunks.append(chunk)
    return b"".join(chunks)


def _check_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(
            _("el archivo contiene %(n)s partes; un libro de Excel normal tiene pocas.") % {"n": len(infos)}
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.filename in entries:
            raise ArchiveRefused(
                _("el archivo está dañado: la parte «%(part)s» aparece dos veces.") % {"part": info.filename[:60]}
            )
        if info.flag_bits & 0x1:
            raise ArchiveRefused(_("el archivo está cifrado; quítele la contraseña en Excel y vuelva a cargarlo."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused(_("el archivo usa una compresión que Excel no produce."))
        ceiling = _ceiling(info.filename)
        if info.file_size > ceiling:
            raise ArchiveRefused(
                _("la parte «%(part)s» del archivo ocupa %(size)s MB al descomprimirse; el máximo es %(max)s MB.")
                % {"part": info.filename[:60], "size": _megabytes(info.file_size), "max": _megabytes(ceiling)}
            )
        total += info.file_size
        entries[info.filename] = info
    if total > MAX_TOTAL_BYTES:
        raise ArchiveRefused(
            _("el archivo ocupa %(size)s MB al descomprimirse; el máximo es %(max)s MB.")
            % {"size": _megabytes(total), "max": _megabytes(MAX_TOTAL_BYTES)}
        )
    if "[Content_Types].xml" not in entries or "xl/workbook.xml" not in entries:
        raise ArchiveRefused(_("el archivo no es un libro de Excel (.xlsx) válido o está dañado."))
    return entries


def _sheet_parts(archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part name (lower case) → sheet name, from the workbook and its relationships."""
    try:
        workbook = etree.fromstring(_read_part(archive, entries["xl/workbook.xml"], MAX_SMALL_PART_BYTES), SAFE_XML)
        rels_info = entries.get("xl/_rels/workbook.xml.rels")
        rels = etree.fromstring(_read_part(archive, rels_info, MAX_SMALL_PART_BYTES), SAFE_XML) if rels_info else None
    except etree.XMLSyntaxError as exc:
        raise ArchiveRefused(_("el archivo no es un libro de Excel (.xlsx) válido o está dañado.")) from exc
    targets: dict[str, str] = {}
    for rel in rels.iterfind(f"{{{RELS_NS}}}Relationship") if rels is not None else []:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id") or ""] = path
    parts = {}
    for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet"):
        path = targets.get(sheet.get(f"{{{DOC_RELS_NS}}}id") or "")
        if path:
            parts[path.lower()] = sheet.get("name") or ""
    return parts


def _refuse_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise ArchiveRefused(
            _("la hoja «%(sheet)s» llega hasta la fila %(rows)s; el máximo es %(max)s filas de datos.")
            % {"sheet": sheet[:60], "rows": f"{rows:,}", "max": f"{MAX_ROWS - 1:,}"}
        )
    if columns > MAX_COLUMNS:
        raise ArchiveRefused(
            _(
                "la hoja «%(sheet)s» llega hasta la columna %(column)s; las plantillas de Planea no pasan de la "
                "columna %(max)s. Borre las columnas sobrantes a la derecha."
            )
            % {"sheet": sheet[:60], "column": column_letters(columns), "max": column_letters(MAX_COLUMNS)}
        )


def _scan_worksheet(xml: bytes, sheet: str) -> set[tuple[int, int]]:
    """Refuse a sheet that declares or places cells beyond the limits; return its formula cells without value.

    The extent comes from the declared dimension and every cell's position. Cells written without a position
    (each takes the next one) are left to the parsing child, whose memory limit and cell count stop them."""
    dimension = DIMENSION.search(xml, 0, 65536)
    if dimension is not None:
        last_col, last_row = dimension.group(3) or dimension.group(1), dimension.group(4) or dimension.group(2)
        _refuse_extent(sheet, int(last_row), column_number(last_col.upper()))
    positions = POSITION.findall(xml)
    columns = {column for column, _row in positions}
    last_row = max((int(row) for row in {row for _column, row in positions}), default=0)
    _refuse_extent(sheet, last_row, max((column_number(c.upper()) for c in columns), default=0))
    if b"<f" not in xml and b":f" not in xml:  # no formula at all (prefixed or not): nothing more to look at
        return set()
    missing: set[tuple[int, int]] = set()
    for cell in CELL.finditer(xml):
        body = cell.group(3) or b""
        if not FORMULA.search(body) or VALUE.search(body):
            continue
        ref = CELL_REF.search(b" " + cell.group(2))
        if ref is None or len(missing) >= MAX_FORMULAS_REPORTED:
            raise _formulas_without_value(sheet)
        missing.add((int(ref.group(2)), column_number(ref.group(1).upper())))
    return missing


def _formulas_without_value(sheet: str) -> ArchiveRefused:
    return ArchiveRefused(
        _("la hoja «%(sheet)s» tiene fórmulas sin valor calculado; ábrala en Excel, guárdela y cárguela de nuevo.")
        % {"sheet": sheet[:60]}
    )


def inspect(data: bytes) -> ArchiveFacts:
    """ArchiveRefused when the archive is not a well-formed .xlsx within every limit; else what the scan found."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ArchiveRefused(_("el archivo no es un libro de Excel (.xlsx) válido o está dañado.")) from exc
    facts = ArchiveFacts()
    try:
        with archive:
            entries = _check_entries(archive)
            names = _sheet_parts(archive, entries)
            total = 0
            for name, info in entries.items():
                # Every part is inflated once, so its real size is known; any part that holds sheet data is
                # scanned, wherever the workbook's relationships put it.
                xml = _read_part(archive, info, _ceiling(name))
                total += len(xml)
                if total > MAX_TOTAL_BYTES:
                    raise ArchiveRefused(
                        _("el archivo ocupa más de %(max)s MB al descomprimirse.")
                        % {"max": _megabytes(MAX_TOTAL_BYTES)}
                    )
                if name.endswith(".rels") or not SHEET_DATA.search(xml):
                    continue
                sheet = names.get(name.lower(), "")
                missing = _scan_worksheet(xml, sheet or name.rsplit("/", 1)[-1])
                if missing and not sheet:
                    raise _formulas_without_value(name.rsplit("/", 1)[-1])
                if missing:
                    facts.formulas_without_value[sheet] = missing
    except ArchiveRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        # zipfile's own errors for damaged, encrypted or oddly encoded archives (UnicodeDecodeError is a ValueError)
        raise ArchiveRefused(_("el archivo no es un libro de Excel (.xlsx) válido o está dañado.")) from exc
    return facts
