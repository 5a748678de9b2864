"""Checks an .xlsx archive before a spreadsheet library builds a table from it. Runs inside the parsing child
(`xlsx_child`), under its memory, CPU and file-size limits: nothing here runs in the web or job worker. It imports
no Planea or Django module; a refusal is an `ArchiveRefused` with a reason and its figures, which the worker turns
into a Spanish sentence (`xlsx.REFUSALS`).

An .xlsx is a zip of XML parts. A 2 KB file can declare a sheet of 16,384 columns × 1,048,576 rows, hold a shared
string of hundreds of megabytes, or a million rows; a parser that trusts it allocates what it declares. Here every
part is inflated with a ceiling on its real size and refused with a DOCTYPE, and every part that holds sheet data is
checked for its declared dimension and the position of each cell before any table exists.

It also finds the formula cells (in sheets parsed as XML: libxml2, no DTD, no entities); `formulas_without_value`
then keeps those the reader took as empty, saved without a calculated value by a program that does not calculate:
an empty goal would silently become 0.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
import zlib
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

if TYPE_CHECKING:
    from lxml import etree

MAX_ENTRIES = 500
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_ROWS = 100_001  # the header and 100,000 rows
MAX_COLUMNS = 64  # column BL: wider than any Planea template
MAX_CELLS = 1_000_000
# Formula cells without value a sheet may have and still be read: each is placed, and only those of data columns
# are reported, row by row. Planea's own templates carry informational formula columns (totals, amounts) that a
# file saved by a program that does not calculate leaves without value: two columns of every row are allowed.
MAX_FORMULAS_REPORTED = 2 * MAX_ROWS
CHUNK = 1024 * 1024

DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
POSITION = re.compile(r"^([A-Za-z]{1,3})([0-9]{1,7})$")
# The start tag of a cell (c) or of a formula (f), with any namespace prefix; not </c>, <col>, <formula1>.
CELL_OR_FORMULA = re.compile(rb"<(?:[^\s<>/:=\"'!?]+:)?([cf])(?=[\s/>])")
FORMULA_TAG = re.compile(rb"<(?:[^\s<>/:=\"'!?]+:)?f(?=[\s/>])")
# A cell's start tag read strictly: its attributes, each with a quoted value free of < and >.
CELL_TAG = re.compile(rb"""<(?:[^\s<>/:=\"'!?]+:)?c((?:\s+[^\s=<>/\"']+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*)\s*(/?)>""")
ERROR_TYPE = re.compile(rb"""\st\s*=\s*(?:"e"|'e')""")
ATTRIBUTE = re.compile(rb"""([^\s=<>/\"']+)\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)')""")
# An attribute ending in "r" whose value is a cell position: every cell's r="A1" (sqref=, ref= end in "f").
POSITIONS = re.compile(rb"r\s*=\s*[\"']([A-Za-z]{1,3})0*([0-9]+)[\"']")
# Positions written as Excel writes them (`r="A1"`: no space, double quotes) past the limits are found by one
# search: a column after BL (three letters, two from CA, or BM-BZ) or a row of six digits or more (100,000 and
# 100,001 too: those are then read exactly). A part with positions written otherwise has them all read.
ODD_POSITION = re.compile(rb"r(?:\s+=|=\s|=')")
BEYOND = re.compile(rb'r="(?:[A-Za-z]{3}[0-9]|[C-Zc-z][A-Za-z][0-9]|[Bb][M-Zm-z][0-9]|[A-Za-z]{1,3}0*[1-9][0-9]{5,}")')
# The start tag of a formula without namespace prefix (its literal start makes the search fast).
PLAIN_FORMULA_TAG = re.compile(rb"<f(?=[\s/>])")
_OTHER_ATTRIBUTE = rb"""\s+(?!r\s*=)[^\s=<>/"']+\s*=\s*(?:"[^"<>]*"|'[^'<>]*')"""
# A start tag's attributes holding one position, written as Excel writes it (r="A1"), among others not named r.
CELL_POSITION = re.compile(
    rb"(?:" + _OTHER_ATTRIBUTE + rb')*\s+r\s*=\s*"([A-Za-z]{1,3})([0-9]{1,7})"(?:' + _OTHER_ATTRIBUTE + rb")*\s*"
)
DIMENSION = re.compile(rb"ref\s?=\s?[\"']([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?[\"']")
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class ArchiveRefused(Exception):
    """The file is refused before parsing: `reason` names the rule, `params` its figures (for the message)."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason, params)
        self.reason = reason
        self.params = params


def _parser() -> etree.XMLParser:
    """libxml2 without DTD, entities or network, for the rare sheet the tags alone cannot place; imported only
    then (it costs the child a third of its start-up)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parsed(xml: bytes) -> etree._Element:
    from lxml import etree

    return etree.fromstring(xml, _parser())


def column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ceiling(name: str) -> int:
    return MAX_SHARED_STRINGS_BYTES if name.lower() == "xl/sharedstrings.xml" else MAX_PART_BYTES


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The part's bytes, inflated in chunks and refused as soon as they pass its ceiling, whatever its header says,
    or when it declares a DOCTYPE or entities (which Excel never writes)."""
    ceiling = _ceiling(info.filename)
    chunks, size, tail = [], 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            # "!" is found at memory speed, "<!" is not; a declaration may start in the tail of the chunk before.
            if (b"!" in chunk or b"!" in tail) and DECLARATIONS.search(tail + chunk):
                raise ArchiveRefused("declarations", part=info.filename)
            tail = chunk[-16:]
            size += len(chunk)
            if size > ceiling:
                raise ArchiveRefused("part_too_large", part=info.filename, limit=ceiling)
            chunks.append(chunk)
    return b"".join(chunks)


def _utf8(xml: bytes) -> bytes:
    """The XML part, refused unless it is UTF-8 as Excel writes it: in UTF-16 the refusal of declarations, which
    looks for their bytes in UTF-8, would not see them."""
    if xml.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in xml[:4096]:
        raise ArchiveRefused("not_xlsx")
    return xml


def _check_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused("too_many_parts", n=len(infos))
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in entries:
            raise ArchiveRefused("duplicate_part", part=info.filename)
        if info.flag_bits & 0x1:
            raise ArchiveRefused("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused("compression")
        if info.file_size > _ceiling(info.filename):
            raise ArchiveRefused("part_too_large", part=info.filename, limit=_ceiling(info.filename))
        entries[info.filename] = info
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise ArchiveRefused("too_large", limit=MAX_TOTAL_BYTES)
    if "[Content_Types].xml" not in entries or "xl/workbook.xml" not in entries:
        raise ArchiveRefused("not_xlsx")
    return entries


def _sheet_parts(workbook: bytes, rels: bytes | None) -> dict[str, str]:
    """Worksheet part name (lower case) → sheet name, from the workbook and its relationships."""
    # Elements and attributes are matched by local name, as readers match them: a namespace changed or left out
    # must not make the checks and the reader see different sheets.
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in ElementTree.fromstring(rels).iterfind("{*}Relationship"):
            target = _local_attribute(rel, "Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[_local_attribute(rel, "Id")] = path.lower()
    parts, names = {}, set()
    for sheet in ElementTree.fromstring(workbook).iterfind(".//{*}sheet"):
        name = _local_attribute(sheet, "name")
        if name.casefold() in names:  # Excel refuses two sheets of one name; a reader would take only one of them
            raise ArchiveRefused("duplicate_sheet", sheet=name)
        names.add(name.casefold())
        path = targets.get(_local_attribute(sheet, "id"), "")
        if path:
            parts[path] = name
    return parts


def _local_attribute(element: ElementTree.Element, local: str) -> str:
    """The value of the element's one attribute named `local` in any namespace ("" without one); two of them
    (r:id and q:id) make the part ambiguous, and the file is refused."""
    found = [value for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == local]
    if len(found) > 1:
        raise ArchiveRefused("not_xlsx")
    return found[0] if found else ""


def _refuse_extent(sheet: str, rows: int, columns: int, cells: int) -> None:
    if rows > MAX_ROWS:
        raise ArchiveRefused("rows", sheet=sheet, rows=rows, limit=MAX_ROWS - 1)
    if columns > MAX_COLUMNS:
        raise ArchiveRefused("columns", sheet=sheet, column=column_letters(columns), limit=column_letters(MAX_COLUMNS))
    if cells > MAX_CELLS:
        raise ArchiveRefused("cells", sheet=sheet, limit=MAX_CELLS)


def _scan_sheet(xml: bytes, sheet: str) -> set[tuple[int, int]]:
    """Refuse a sheet that declares or places cells beyond the limits; return the positions (row, column; 1-based)
    of its formula cells. Whether each has a value is decided on what the reader then makes of it
    (`formulas_without_value`): markup can show a value the reader does not take.

    Positions are read from every `r="A1"` in the part: a pattern with no backtracking, its matches counted before
    they are kept. Cells written without a position (each takes the next one) are left to the cell limit of the
    parse that follows. Only a sheet with formulas is parsed as XML, to find its formula cells."""
    start = xml.find(b"dimension", 0, 65536)
    if start >= 0:
        match = DIMENSION.search(xml, start, start + 200)
        if match:
            end_column, end_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
            _refuse_extent(sheet, int(end_row), column_number(end_column.decode()), 0)
    if ODD_POSITION.search(xml) or BEYOND.search(xml):
        # Some position may be past the limits: each is read, for the figures of the refusal. Within them, a
        # range of at most 100,001 × 64 cells is left to the reader's cell limit.
        if xml.count(b"r=") + xml.count(b"r =") > 2 * MAX_CELLS:
            raise ArchiveRefused("cells", sheet=sheet, limit=MAX_CELLS)
        positions = POSITIONS.findall(xml)
        _refuse_extent(
            sheet,
            max((int(row) for row in {row for _column, row in positions}), default=0),
            max((column_number(c.decode()) for c in {column for column, _row in positions}), default=0),
            len(positions),
        )
        del positions
    found = _formula_cells_by_tags(xml, sheet)
    if found is not None:
        return found
    formulas: set[tuple[int, int]] = set()
    for formula in _parsed(xml).iter("{*}f"):
        cell = formula.getparent()
        if cell is None or str(cell.tag).rsplit("}", 1)[-1] != "c":  # the local name, namespace or not
            continue
        position = POSITION.match(cell.get("r") or "")
        if position is None:  # a formula cell that says not where it is cannot be checked
            raise ArchiveRefused("formulas_without_value", sheet=sheet)
        formulas.add((int(position.group(2)), column_number(position.group(1))))
    return formulas


def _formula_cells_by_tags(xml: bytes, sheet: str) -> set[tuple[int, int]] | None:
    """The formula cells found from the tags alone, or None when the part needs the XML parser.

    Without comments, CDATA sections, declarations or processing instructions, every "<" of well-formed XML opens
    or closes a tag, so the start tags of `f` are all found, each after the start tag of its cell. A part with any
    of those, a cell tag that does not read strictly, or a formula after an empty cell tag goes to the parser.
    A formula's cell is the nearest cell start tag before it: a tag or two back as Excel writes it (`<c …><f>`),
    else found by walking every tag of the part. Reading 6,000 formula cells this way takes milliseconds; parsing
    a 4 MB sheet, about a tenth of a second."""
    if _find_pair(xml, b"<!") != -1 or _find_pair(xml, b"<?", 1) != -1:
        return None
    if xml.find(b":f") == -1:  # no formula tag has a namespace prefix
        found = _formulas_right_after_cells(xml)
        if found is not None:
            return found
    formulas: set[tuple[int, int]] = set()
    for cell_at in set(_cells_of_formulas(xml)):  # a cell with many formula tags is read once
        if cell_at < 0:
            continue  # a formula outside any cell is no cell formula
        position = _formula_cell(xml, cell_at, sheet)
        if position is None:
            return None
        formulas.add(position)
    return formulas


def _find_pair(xml: bytes, pair: bytes, start: int = 0) -> int:
    """`xml.find(pair, start)` for a pair whose second byte is rare in sheet XML ("<!", "<?"): that byte alone is
    looked for at memory speed, where a search for the pair stops at every "<" (a third of reading a 4 MB sheet's
    tags). A part where it is not rare is searched for the pair itself."""
    rare, first = pair[1:], pair[0]
    at = xml.find(rare, start + 1)
    for _seen in range(64):
        if at == -1 or xml[at - 1] == first:
            return at if at == -1 else at - 1
        at = xml.find(rare, at + 1)
    return xml.find(pair, at - 1)


def _formulas_right_after_cells(xml: bytes) -> set[tuple[int, int]] | None:
    """The formula cells of a part whose every formula start tag follows its cell's start tag, which reads
    strictly and holds one position, as Excel writes them; None otherwise."""
    formulas: set[tuple[int, int]] = set()
    for tag in PLAIN_FORMULA_TAG.finditer(xml):
        start = xml.rfind(b"<", 0, tag.start())
        cell = CELL_TAG.match(xml, start) if start >= 0 else None
        if cell is None or cell.end() != tag.start() or cell.group(2):
            return None
        position = CELL_POSITION.fullmatch(cell.group(1))  # one r among the attributes (never inside a value)
        if position is None:
            return None
        formulas.add((int(position.group(2)), _column_of(position.group(1))))
    return formulas


@functools.cache
def _column_of(letters: bytes) -> int:
    """`column_number` of letters as a part writes them (a sheet repeats a few columns thousands of times)."""
    return column_number(letters.decode())


def _cells_of_formulas(xml: bytes) -> list[int]:
    """For each formula start tag, where the start tag of its cell begins (-1: no cell before it): looked for a
    few tags back, as Excel writes it, else by walking every tag of the part."""
    near = [_cell_before(xml, tag.start()) for tag in FORMULA_TAG.finditer(xml)]
    if None not in near:
        return [cell for cell in near if cell is not None]
    cells, cell_at = [], -1
    for tag in CELL_OR_FORMULA.finditer(xml):
        if tag.group(1) == b"c":
            cell_at = tag.start()
        else:
            cells.append(cell_at)
    return cells


def _cell_before(xml: bytes, end: int, steps: int = 4) -> int | None:
    """Where the nearest cell start tag before `end` begins, looking back at most `steps` tags: -1 when the part
    has no tag before, None when the cell is farther back."""
    for _step in range(steps):
        start = xml.rfind(b"<", 0, end)
        if start < 0:
            return -1
        tag = CELL_OR_FORMULA.match(xml, start)
        if tag is not None and tag.group(1) == b"c":
            return start
        end = start
    return None


def _formula_cell(xml: bytes, cell_at: int, sheet: str) -> tuple[int, int] | None:
    """The position of the formula cell whose start tag begins at `cell_at`; None when that tag does not read
    strictly or is empty (the part then goes to the parser)."""
    cell = CELL_TAG.match(xml, cell_at)
    if cell is None or cell.group(2):
        return None
    positions = [value for name, value in _attributes(cell.group(1)) if name == b"r"]
    # A formula cell that says not where it is (or twice) cannot be checked.
    return _position(positions[0] if len(positions) == 1 else None, sheet)


def _error_cells(xml: bytes, sheet: str) -> set[tuple[int, int]]:
    """Positions of the cells of type "e" (an Excel error such as #N/A or #DIV/0!, kept as a value by Paste Values).
    Each `t="e"` found is placed by the tag it stands in (attribute values hold no "<"); a cell tag that does not
    read strictly sends the part to the XML parser."""
    found: set[tuple[int, int]] = set()
    if b'"e"' not in xml and b"'e'" not in xml:
        return found
    searched_from = 0  # each stretch of the part is searched once, whatever the number of matches
    for match in ERROR_TYPE.finditer(xml):
        start = xml.rfind(b"<", searched_from, match.start())
        searched_from = match.start()
        if start < 0:
            continue  # within the same tag or text as the match before it, which placed it already
        tag = CELL_OR_FORMULA.match(xml, start)
        if tag is None or tag.group(1) != b"c":
            continue  # the text of another element, or another element's attribute
        cell = CELL_TAG.match(xml, start)
        if cell is None:
            return _error_cells_parsed(xml, sheet)
        attributes = _attributes(cell.group(1))
        if (b"t", b"e") not in attributes:
            continue
        positions = [value for name, value in attributes if name == b"r"]
        found.add(_position(positions[0] if len(positions) == 1 else None, sheet))
    return found


def _error_cells_parsed(xml: bytes, sheet: str) -> set[tuple[int, int]]:
    return {
        _position((cell.get("r") or "").encode(), sheet) for cell in _parsed(xml).iter("{*}c") if cell.get("t") == "e"
    }


def _attributes(text: bytes) -> list[tuple[bytes, bytes]]:
    return [(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)) for m in ATTRIBUTE.finditer(text)]


def _position(value: bytes | None, sheet: str) -> tuple[int, int]:
    """(row, column) of a cell's r attribute; a cell that must be checked and says not where it is refuses the
    file."""
    match = POSITION.match((value or b"").decode("ascii", "replace"))
    if match is None:
        raise ArchiveRefused("formulas_without_value", sheet=sheet)
    return int(match.group(2)), column_number(match.group(1))


def formulas_without_value(
    formulas: dict[str, set[tuple[int, int]]], tables: dict[str, list[list[Any]]]
) -> dict[str, set[tuple[int, int]]]:
    """The formula cells the reader took as empty: saved without a value, or with one it cannot read (a CDATA
    section, a character reference, a second value). An empty goal would otherwise silently become 0."""
    found: dict[str, set[tuple[int, int]]] = {}
    for sheet, positions in formulas.items():
        table = tables.get(sheet, [])
        for row, column in positions:
            value = table[row - 1][column - 1] if row <= len(table) and column <= len(table[row - 1]) else None
            if value is None or value == "":
                found.setdefault(sheet, set()).add((row, column))
        if len(found.get(sheet, ())) > MAX_FORMULAS_REPORTED:
            raise ArchiveRefused("formulas_without_value", sheet=sheet)
    return found


def inspect(data: bytes) -> tuple[dict[str, set[tuple[int, int]]], dict[str, set[tuple[int, int]]]]:
    """ArchiveRefused when the archive is not a well-formed .xlsx within every limit; else, per sheet name, the
    positions of its formula cells, and of its cells holding an Excel error (#N/A, #DIV/0!…), which readers take
    as empty."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ArchiveRefused("not_xlsx") from exc
    found: dict[str, set[tuple[int, int]]] = {}
    errors: dict[str, set[tuple[int, int]]] = {}
    try:
        with archive:
            entries = _check_entries(archive)
            rels = entries.get("xl/_rels/workbook.xml.rels")
            names = _sheet_parts(
                _utf8(_read_part(archive, entries["xl/workbook.xml"])),
                _utf8(_read_part(archive, rels)) if rels else None,
            )
            total = 0
            for name, info in entries.items():
                xml = _read_part(archive, info)  # every part is inflated once, so its real size is known
                total += len(xml)
                if total > MAX_TOTAL_BYTES:
                    raise ArchiveRefused("too_large", limit=MAX_TOTAL_BYTES)
                # Every part a reader could take for a sheet is read: those the workbook names, and any other
                # that holds sheet data.
                if name.lower() not in names and b"sheetData" not in xml:
                    continue
                _utf8(xml)
                sheet = names.get(name.lower(), "")
                formulas = _scan_sheet(xml, sheet or name.rsplit("/", 1)[-1])
                if formulas and not sheet:
                    raise ArchiveRefused("formulas_without_value", sheet=name.rsplit("/", 1)[-1])
                if formulas:
                    found[sheet] = formulas
                failed = _error_cells(xml, sheet or name.rsplit("/", 1)[-1])
                if failed and sheet:
                    errors[sheet] = failed
    except ArchiveRefused:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        SyntaxError,  # XML that is not well formed (lxml's and the standard library's errors are SyntaxErrors)
        EOFError,
        OSError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        # Damaged, encrypted or oddly encoded archives (UnicodeDecodeError is a ValueError), and XML that is not
        # well formed (mismatched tags, a nesting deeper than libxml2 allows without huge_tree).
        raise ArchiveRefused("not_xlsx") from exc
    return found, errors
