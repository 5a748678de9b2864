"""Reading an official PDF back, as a printer would take it: every glyph inside the page's printable box, no two
glyphs drawn over each other, and the footer's "Página N de M" on one line in the footer's own font.

`assert_fits_page(pdf)` is the check every test of a generated PDF applies (oficios, anteproyectos, the manual and
the ones to come); it returns the pages read (text lines with their font, size and position) for further checks.
Built on pdfminer.six (requirements-dev.txt): the positions are the ones a viewer draws, glyph by glyph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent, LTPage

# The margin no desktop printer prints in (about 0.5 cm): text closer to the paper's edge is cut when printed.
PRINTER_MARGIN = 14.0
# Two glyphs sharing more than this share of the smaller one's box are drawn over each other (kerning and tight
# line spacing stay below it).
COLLISION_SHARE = 0.3
PAGE_NUMBER = re.compile(r"Página (\d+) de (\d+)")


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    font: str  # without the subset prefix ("ABCDEF+DejaVu-Sans" → "DejaVu-Sans")
    size: float  # the size it is printed at, in points


@dataclass
class Line:
    """A line of text as pdfminer groups it: its glyphs and where it is (PDF points, origin at the bottom left)."""

    text: str
    glyphs: list[Glyph]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def fonts(self) -> set[tuple[str, float]]:
        return {(g.font, round(g.size, 1)) for g in self.glyphs if g.text.strip()}


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def glyphs(self) -> Iterator[Glyph]:
        for line in self.lines:
            yield from line.glyphs

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def _glyph(char: LTChar) -> Glyph:
    return Glyph(
        char.get_text(), char.x0, char.y0, char.x1, char.y1, char.fontname.split("+", 1)[-1], round(char.size, 2)
    )


def _chars(item: LTComponent) -> Iterator[LTChar]:
    if isinstance(item, LTChar):
        yield item
        return
    for child in getattr(item, "_objs", ()):  # pages and figures (SVG drawings, images)
        yield from _chars(child)


def _runs(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped in runs of text: on one baseline, each less than a character's height from the one before
    (a table's cells, a footer's parts and the labels of a drawing are separate runs)."""
    lines: list[Line] = []
    for glyph in sorted(glyphs, key=lambda g: (-round(g.y0, 1), g.x0)):
        last = lines[-1] if lines else None
        if last and abs(last.y0 - glyph.y0) < 0.2 and glyph.x0 - last.x1 < max(glyph.size, 1.0):
            last.glyphs.append(glyph)
            last.text += glyph.text
            last.x1, last.y1 = max(last.x1, glyph.x1), max(last.y1, glyph.y1)
        else:
            lines.append(Line(glyph.text, [glyph], glyph.x0, glyph.y0, glyph.x1, glyph.y1))
    for line in lines:
        line.text = " ".join(line.text.split())
    return lines


def read_pdf(content: bytes) -> list[Page]:
    """The pages of a PDF with their text in runs (no layout analysis: fast, and the text of drawings too)."""
    pages = []
    for index, layout in enumerate(extract_pages(io.BytesIO(content), laparams=None), start=1):
        assert isinstance(layout, LTPage)
        page = Page(index, layout.width, layout.height, _runs([_glyph(c) for c in _chars(layout)]))
        pages.append(page)
    return pages


def _edge(page: Page, glyph: Glyph, margin: float) -> str:
    if glyph.x1 > page.width - margin:
        return "derecho"
    if glyph.x0 < margin:
        return "izquierdo"
    return "inferior" if glyph.y0 < margin else "superior"


def _outside(page: Page, margin: float) -> list[str]:
    problems = []
    for line in page.lines:
        out = [
            g
            for g in line.glyphs
            if g.text.strip()
            and (g.x0 < margin or g.x1 > page.width - margin or g.y0 < margin or g.y1 > page.height - margin)
        ]
        if out:
            edges = {_edge(page, g, margin) for g in out}
            problems.append(f"página {page.number}: «{line.text[:60]}» sale por el borde {'/'.join(sorted(edges))}")
    return problems


def _overlap(a: Glyph, b: Glyph) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0)) or 1.0
    return width * height / smaller


def _collisions(page: Page) -> list[str]:
    """Glyphs drawn over each other (a footer running into the page number, a label over a box's text, the titles
    of two narrow columns running into each other on one baseline — read as one run), found by a sweep over the
    glyphs sorted by their left edge. Neighbours in a run may touch (a kerned «Tr», an accent drawn over its letter);
    any other two may not."""
    owned = sorted(
        ((g, i, n) for i, line in enumerate(page.lines) for n, g in enumerate(line.glyphs) if g.text.strip()),
        key=lambda p: p[0].x0,
    )
    found: set[tuple[int, int]] = set()
    active: list[tuple[Glyph, int, int]] = []
    for glyph, owner, place in owned:
        active = [(g, o, n) for g, o, n in active if g.x1 > glyph.x0]
        for other, other_owner, other_place in active:
            neighbours = other_owner == owner and abs(other_place - place) <= 1
            if not neighbours and _overlap(glyph, other) > COLLISION_SHARE:
                found.add((min(owner, other_owner), max(owner, other_owner)))
        active.append((glyph, owner, place))
    return [
        f"página {page.number}: «{page.lines[a].text[:40]}» se encima con «{page.lines[b].text[:40]}»"
        if a != b
        else f"página {page.number}: «{page.lines[a].text[:60]}» tiene letras encimadas"
        for a, b in sorted(found)
    ]


def _page_number(page: Page, count: int) -> list[str]:
    """The footer's "Página N de M": on one line, the right numbers, clear of the other footer text (at least a
    character's width away) and in the font and size of the footer text."""
    numbered = [line for line in page.lines if PAGE_NUMBER.search(line.text)]
    if not numbered:
        return [f"página {page.number}: no tiene «Página {page.number} de {count}» en una sola línea"]
    line = numbered[-1]
    match = PAGE_NUMBER.search(line.text)
    assert match is not None
    problems = []
    if (int(match[1]), int(match[2])) != (page.number, count):
        problems.append(f"página {page.number}: dice «{match[0]}»")
    # The glyphs of the match (pdfminer's line text has a glyph per character, spaces between boxes aside).
    visible = [g for g in line.glyphs if g.text.strip()]
    before = len("".join(line.text[: match.start()].split()))
    number = visible[before : before + len("".join(match[0].split()))]
    rest = visible[:before] + visible[before + len(number) :]
    footer = [g for other in page.lines if other is not line and other.y1 <= line.y1 + 2 for g in other.glyphs]
    others = [g for g in rest + footer if g.text.strip()]
    fonts = {(g.font, round(g.size, 1)) for g in number}
    footer_fonts = {(g.font, round(g.size, 1)) for g in others}
    if others and not fonts <= footer_fonts:
        problems.append(f"página {page.number}: el número de página va en {fonts}, el pie en {footer_fonts}")
    left, right, size = min(g.x0 for g in number), max(g.x1 for g in number), max(g.size for g in number)
    for g in rest:
        if abs(g.y0 - number[0].y0) < size and (left - size < g.x1 <= left or right <= g.x0 < right + size):
            problems.append(f"página {page.number}: el número de página choca con «{line.text[:60]}»")
            break
    return problems


def assert_fits_page(content: bytes, *, margin: float = PRINTER_MARGIN, page_numbers: bool = True) -> list[Page]:
    """Every glyph of every page inside the printable box, none drawn over another, and (with `page_numbers`) a
    "Página N de M" footer on one line in the footer's font on every page. Returns the pages read."""
    pages = read_pdf(content)
    assert pages, "el PDF no tiene páginas"
    problems: list[str] = []
    for page in pages:
        problems += _outside(page, margin) + _collisions(page)
        if page_numbers:
            problems += _page_number(page, len(pages))
    assert not problems, "El PDF no cabe en su página:\n" + "\n".join(problems[:40])
    return pages


def smallest_text(pages: list[Page], *, inside: tuple[float, float, float, float] | None = None) -> float:
    """The smallest printed size (points) of the glyphs on `pages`, within the box (x0, y0, x1, y1) if given."""
    sizes = [
        g.size
        for page in pages
        for g in page.glyphs
        if g.text.strip() and (inside is None or (inside[0] <= g.x0 and g.x1 <= inside[2] and inside[1] <= g.y0))
    ]
    return min(sizes)
