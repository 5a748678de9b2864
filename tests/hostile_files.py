"""Hostile spreadsheets, made by code (nothing binary is committed): each one has broken a spreadsheet reader
somewhere — a declared dimension of 17 billion cells, a cell at XFD1048576, a million rows, a shared string of tens
of megabytes, a zip bomb, a DOCTYPE with entity expansion, encrypted or duplicated parts, files of other formats
renamed to .xlsx. Every import endpoint must answer each with a Spanish 400, write nothing and keep the audit
chain intact."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable, Iterable
from functools import lru_cache

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_xml(title: str) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<workbook xmlns="' + MAIN + b'" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships"><sheets><sheet name="' + title.encode() + b'" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def sheet_xml(cells: Iterable[tuple[str, str]], dimension: str | None = None, prefix: bytes = b"") -> bytes:
    """A worksheet with inline-string cells, one row per distinct row number."""
    rows: dict[int, list[bytes]] = {}
    for ref, text in cells:
        number = int("".join(c for c in ref if c.isdigit()))
        rows.setdefault(number, []).append(
            b'<c r="' + ref.encode() + b'" t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"
        )
    body = b"".join(
        b'<row r="' + str(n).encode() + b'">' + b"".join(cells) + b"</row>" for n, cells in sorted(rows.items())
    )
    dim = b'<dimension ref="' + dimension.encode() + b'"/>' if dimension else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="'
        + MAIN
        + b'">'
        + dim
        + prefix
        + (b"<sheetData>" + body + b"</sheetData></worksheet>")
    )


def package(
    parts: dict[str, bytes | Callable[[io.BufferedIOBase], None]], *, compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """A zip of the given parts; a callable part writes itself in chunks (for parts too large to hold)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def xlsx(title: str, sheet: bytes, **extra: bytes | Callable[[io.BufferedIOBase], None]) -> bytes:
    parts: dict[str, bytes | Callable[[io.BufferedIOBase], None]] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook_xml(title),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update({name.replace("__", "/").replace("_dot_", "."): part for name, part in extra.items()})
    return package(parts)


def _repeat(chunk: bytes, times: int) -> Callable[[io.BufferedIOBase], None]:
    def write(stream: io.BufferedIOBase) -> None:
        for _ in range(times):
            stream.write(chunk)

    return write


def _with_flag(data: bytes, flag: int) -> bytes:
    """Set a general-purpose flag bit on every local and central header (0x1: encrypted)."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            raw[start + offset] |= flag
            start += 4
    return bytes(raw)


def _undecodable_local_name(data: bytes, name: bytes) -> bytes:
    """Mark the local header of part `name` as UTF-8 (flag 0x800) and make its last name byte invalid UTF-8,
    leaving the central directory intact: zipfile fails on it with a UnicodeDecodeError."""
    raw = bytearray(data)
    start = raw.find(b"PK\x03\x04")  # the first local header
    while start >= 0:
        length = int.from_bytes(raw[start + 26 : start + 28], "little")
        if raw[start + 30 : start + 30 + length] == name:
            raw[start + 7] |= 0x08  # 0x800, high byte of the flags
            raw[start + 30 + length - 1] = 0xFF
            return bytes(raw)
        start = raw.find(b"PK\x03\x04", start + 4)
    raise ValueError(name)


def shared_string_sheet(title: str, text_length: int, cells: int) -> bytes:
    """A small file whose cells all point to one long shared string: each cell is the whole string once read."""
    refs = [f"{chr(65 + n % 10)}{2 + n // 10}" for n in range(cells)]
    body = b"".join(b'<c r="' + ref.encode() + b'" t="s"><v>0</v></c>' for ref in refs)
    sheet = sheet_xml([("A1", "Código")]).replace(b"</sheetData>", b'<row r="2">' + body + b"</row></sheetData>")
    strings = b'<sst xmlns="' + MAIN + b'"><si><t>' + b"x" * text_length + b"</t></si></sst>"
    return xlsx(title, sheet, xl__sharedStrings_dot_xml=strings)


def relocated_sheet(title: str, sheet: bytes, target: str) -> bytes:
    """The worksheet stored outside xl/worksheets, where only the workbook's relationships say it is."""
    rels = WORKBOOK_RELS.replace(b'Target="worksheets/sheet1.xml"', b'Target="' + target.encode() + b'"')
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": workbook_xml(title),
            "xl/_rels/workbook.xml.rels": rels,
            target.lstrip("/") if target.startswith("/") else f"xl/{target}": sheet,
        }
    )


def corpus(title: str) -> dict[str, bytes]:
    """Every hostile file, with its data sheet named `title` so that a careless reader would go on to read it."""
    return dict(_corpus(title))


@lru_cache(maxsize=8)
def _corpus(title: str) -> tuple[tuple[str, bytes], ...]:
    header = [("A1", "Código")]
    sheet_with = lambda *cells, **kw: sheet_xml([*header, *cells], **kw)  # noqa: E731
    valid = xlsx(title, sheet_with(("A2", "1")))
    files = {
        "declared dimension A1:XFD1048576": xlsx(title, sheet_with(("XFD1048576", "x"), dimension="A1:XFD1048576")),
        "one cell at XFD1048576": xlsx(title, sheet_with(("XFD1048576", "x"))),
        "a cell far to the right": xlsx(title, sheet_with(("XFD2", "x"))),
        "a row at 1,048,575": xlsx(title, sheet_with(("A1048575", "x"))),
        "100,002 rows": xlsx(title, sheet_with(*((f"A{n}", "1") for n in range(2, 100_004)))),
        "shared strings of 33 MB": xlsx(
            title,
            sheet_with(("A2", "1")),
            xl__sharedStrings_dot_xml=_repeat(b"A" * (1024 * 1024), 33),
        ),
        "zip bomb: a 130 MB worksheet": package(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "_rels/.rels": ROOT_RELS,
                "xl/workbook.xml": workbook_xml(title),
                "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
                "xl/worksheets/sheet1.xml": _repeat(b" " * (1024 * 1024), 130),
            }
        ),
        "entity expansion (billion laughs)": xlsx(
            title,
            sheet_with(("A2", "1")),
            xl__sharedStrings_dot_xml=b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
            + b']><sst xmlns="'
            + MAIN
            + b'"><si><t>&j;</t></si></sst>',
        ),
        "DOCTYPE in the workbook part": package(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "_rels/.rels": ROOT_RELS,
                "xl/workbook.xml": workbook_xml(title).replace(
                    b"\n", b'\n<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', 1
                ),
                "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
                "xl/worksheets/sheet1.xml": sheet_with(("A2", "1")),
            }
        ),
        "encrypted parts": _with_flag(valid, 0x1),
        "duplicated part names": _duplicated(valid),
        "600 parts": package(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "xl/workbook.xml": workbook_xml(title),
                **{f"xl/media/image{n}.xml": b"<x/>" for n in range(600)},
            }
        ),
        "not a zip behind the signature": b"PK\x03\x04" + b"\x00" * 200,
        "a truncated workbook": valid[: len(valid) // 2],
        "an OpenDocument sheet renamed": package(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"},
            compression=zipfile.ZIP_STORED,
        ),
        "a Word document renamed": package({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"}),
        "an empty zip": package({}),
        "a local file name that is not UTF-8": _undecodable_local_name(valid, b"xl/workbook.xml"),
        "330 cells of one 100,000-character string": shared_string_sheet(title, 100_000, 330),
        "3,300 cells of one 30,000-character string": shared_string_sheet(title, 30_000, 3_300),
        "a relocated sheet with a cell at XFD1048576": relocated_sheet(
            title, sheet_with(("XFD1048576", "x")), "/xl/data/hoja.xml"
        ),
        "40,000 unclosed cells after a formula": xlsx(
            title, sheet_with().replace(b"</sheetData>", b"<f/>" + b"<c>" * 40_000)
        ),
        "6,000 dimension openings": xlsx(
            title, sheet_with().replace(b"<sheetData>", b"<dimension " * 6_000 + b"<sheetData>")
        ),
        "two sheets of one name, the second valued": two_sheets_of_one_name(title),
        "prefixed cells reaching XFD1048576": xlsx(
            title,
            b'<x1:worksheet xmlns:x1="' + MAIN + b'"><x1:sheetData><x1:row r="1"><x1:c r="A1" t="inlineStr">'
            b'<x1:is><x1:t>C\xc3\xb3digo</x1:t></x1:is></x1:c></x1:row><x1:row r="1048576"><x1:c\tr="XFD1048576">'
            b"<x1:v>1</x1:v></x1:c></x1:row></x1:sheetData></x1:worksheet>",
        ),
    }
    return tuple(files.items())


def two_sheets_of_one_name(title: str, second: str | None = None) -> bytes:
    """The data sheet holds a formula saved without its value (read as empty: a goal would become 0); a second
    sheet of the same name holds a formula with its value, so that checks kept by sheet name would see only it."""
    relationship = (
        b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'worksheet" Target="worksheets/sheet2.xml"/></Relationships>'
    )
    return package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": workbook_xml(title).replace(
                b"</sheets>", b'<sheet name="' + (second or title).encode() + b'" sheetId="2" r:id="rId3"/></sheets>'
            ),
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace(b"</Relationships>", relationship),
            "xl/worksheets/sheet1.xml": sheet_xml([("A1", "Código")]).replace(
                b"</sheetData>", b'<row r="2"><c r="A2"><f>1+1</f></c></row></sheetData>'
            ),
            "xl/worksheets/sheet2.xml": sheet_xml([]).replace(
                b"<sheetData>", b'<sheetData><row r="1"><c r="Z1"><f>1</f><v>1</v></c></row>'
            ),
        }
    )


def _duplicated(valid: bytes) -> bytes:
    """The valid workbook with a second worksheet part of the same name appended."""
    buffer = io.BytesIO(valid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name, which is the point
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("xl/worksheets/sheet1.xml", sheet_xml([("XFD1048576", "x")]))
    return buffer.getvalue()
