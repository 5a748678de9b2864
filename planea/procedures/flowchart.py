"""Flowcharts for the printed manual, drawn as SVG on the server: one vertical swimlane per responsible, steps
top to bottom, with the symbols of section III of the manual — terminator (start/end), operation, decision,
document, archive, connectors (a numbered circle where a flow jumps to a step that is not the next one) and page
connectors (where the chart goes on on the next page).

Drawn at print size: one SVG unit is one point, the text is never smaller than MIN_TEXT points, and an activity's
whole text is written (boxes grow with it). A chart taller than a page is cut between rows into pages
(`flowchart_pages`), each with the lanes' headers.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from planea.org.roles import spanish_label

MIN_TEXT = 7.0
TEXT_SIZE = 7.5  # activities, documents, labels
NUMBER_SIZE = 8.5
HEADER_SIZE = 8.5
CHAR_EM = 0.56  # average width of a DejaVu Sans character, in ems (wrapping)
HEADER_H = 34.0
GAP = 26.0  # between two rows, for the arrow
DOC_W = 64.0
DIAMOND_W, DIAMOND_H = 44.0, 30.0
TERMINATOR_W, TERMINATOR_H = 70.0, 22.0
CONNECTOR_R = 8.5
STROKE = 'stroke="#1d3f72" stroke-width="1" fill="#fff"'
TEXT = 'font-family="DejaVu Sans, sans-serif" fill="#111"'


def wrap(text: str, width: float, size: float = TEXT_SIZE) -> list[str]:
    """`text` in lines no wider than `width` points at `size`: whole, never cut."""
    chars = max(int(width / (size * CHAR_EM)), 4)
    return textwrap.wrap(text, chars, break_long_words=False) or [""]


def text_block(x: float, y: float, lines: list[str], size: float = TEXT_SIZE, anchor: str = "middle") -> str:
    """Lines centered vertically on `y`."""
    first = y - (len(lines) - 1) * size * 0.6
    return "".join(
        f'<text x="{x:.1f}" y="{first + i * size * 1.2:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'dominant-baseline="middle" {TEXT}>{escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def terminator(cx: float, cy: float, label: str) -> str:
    w, h = TERMINATOR_W, TERMINATOR_H
    return f'<rect x="{cx - w / 2:.1f}" y="{cy - h / 2:.1f}" width="{w}" height="{h}" rx="{h / 2}" {STROKE}/>' + (
        text_block(cx, cy, [label], NUMBER_SIZE)
    )


def operation_lines(text: str, width: float) -> list[str]:
    return wrap(text, width - 8)


def operation_height(text: str, width: float) -> float:
    return NUMBER_SIZE * 1.4 + len(operation_lines(text, width)) * TEXT_SIZE * 1.2 + 8


def operation(cx: float, cy: float, number: str, text: str, width: float = 120.0) -> str:
    lines = operation_lines(text, width)
    h = operation_height(text, width)
    top = cy - h / 2
    return (
        f'<rect x="{cx - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" height="{h:.1f}" {STROKE}/>'
        + text_block(cx, top + 4 + NUMBER_SIZE * 0.6, [number], NUMBER_SIZE).replace(
            'fill="#111"', 'fill="#1d3f72" font-weight="bold"'
        )
        + text_block(cx, top + 4 + NUMBER_SIZE * 1.4 + len(lines) * TEXT_SIZE * 0.6, lines)
    )


def archive(cx: float, cy: float, number: str) -> str:
    h = 34.0
    return (
        f'<polygon points="{cx - 22:.1f},{cy - h / 2:.1f} {cx + 22:.1f},{cy - h / 2:.1f} {cx:.1f},{cy + h / 2:.1f}" '
        f"{STROKE}/>" + text_block(cx, cy - 7, [number, "A"], TEXT_SIZE)
    )


def document_height(label: str) -> float:
    return len(wrap(label, DOC_W - 6)) * TEXT_SIZE * 1.2 + 12


def document(x: float, cy: float, label: str) -> str:
    """The document symbol, its left edge at `x`: a sheet with a wavy bottom, tall enough for its whole label."""
    lines = wrap(label, DOC_W - 6)
    h = document_height(label)
    top = cy - h / 2
    path = f"M{x:.1f},{top:.1f} h{DOC_W} v{h - 6:.1f} q-{DOC_W / 4:.1f},-8 -{DOC_W / 2:.1f},0 t-{DOC_W / 2:.1f},0 z"
    return f'<path d="{path}" {STROKE}/>' + text_block(x + DOC_W / 2, top + (h - 6) / 2, lines)


def diamond(cx: float, cy: float, question: str = "") -> str:
    w, h = DIAMOND_W, DIAMOND_H
    return (
        f'<polygon points="{cx:.1f},{cy - h / 2:.1f} {cx + w / 2:.1f},{cy:.1f} {cx:.1f},{cy + h / 2:.1f} '
        f'{cx - w / 2:.1f},{cy:.1f}" {STROKE}/>' + text_block(cx, cy, ["¿?"], NUMBER_SIZE)
    )


def question_width(op_width: float) -> float:
    """Room for a decision's question, left of its diamond (which stands where the operations' center is)."""
    return op_width / 2 - DIAMOND_W / 2 - 2


def connector(cx: float, cy: float, label: str) -> str:
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{CONNECTOR_R}" {STROKE}/>' + text_block(cx, cy, [label], TEXT_SIZE)


def page_connector(cx: float, cy: float, label: str) -> str:
    """The off-page connector: a pentagon pointing down, with the step the chart goes on with."""
    w, h = 20.0, 20.0
    points = f"{cx - w / 2:.1f},{cy - h / 2:.1f} {cx + w / 2:.1f},{cy - h / 2:.1f} {cx + w / 2:.1f},{cy + 2:.1f} "
    points += f"{cx:.1f},{cy + h / 2:.1f} {cx - w / 2:.1f},{cy + 2:.1f}"
    return f'<polygon points="{points}" {STROKE}/>' + text_block(cx, cy - 2, [label], TEXT_SIZE)


def arrow(points: list[tuple[float, float]], label: str = "", label_width: float = 60.0) -> str:
    """A flow line; its label (a decision's answer) left of its first segment, where the connectors are not."""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    out = f'<polyline points="{path}" fill="none" stroke="#333" stroke-width="0.9" marker-end="url(#flecha)"/>'
    if label:
        (x1, y1), (x2, y2) = points[0], points[1]
        out += text_block((x1 + x2) / 2 - 4, (y1 + y2) / 2, wrap(label, label_width), TEXT_SIZE, "end")
    return out


JUMP_ROW = 22.0  # between the connectors of a decision's jumps, stacked right of its diamond


def decision_shift(step: dict[str, Any], op_width: float) -> float:
    """How far right of the operations' center a decision's diamond stands: enough for the longest word of its
    question to fit on its left (a word is never cut)."""
    longest = max((len(word) for word in step["decision"].split()), default=0) * TEXT_SIZE * 0.62
    return max(0.0, longest - question_width(op_width))


def jump_label_width(op_width: float, shift: float = 0.0) -> float:
    return op_width / 2 + DOC_W - 40 - shift


def jump_rows(step: dict[str, Any], op_width: float) -> list[float]:
    """The height of each of a decision's branches drawn as a jump (a connector and its answer)."""
    width = jump_label_width(op_width, decision_shift(step, op_width))
    return [max(JUMP_ROW, len(wrap(b["label"], width)) * TEXT_SIZE * 1.2 + 6) for b in step["branches"]]


@dataclass
class Item:
    kind: str  # start, op, archive, decision, end
    role: str
    id: str
    step: dict[str, Any] = field(default_factory=dict)
    height: float = 0.0
    x: float = 0.0
    y: float = 0.0  # center, on its page
    page: int = 0

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class ChartPage:
    svg: str
    width: float  # points
    height: float


def _items(steps: list[dict[str, Any]], op_width: float) -> list[Item]:
    items = [Item("start", steps[0]["role"], "inicio", height=TERMINATOR_H)]
    for step in steps:
        archived = step["activity"].lower().startswith("archiva")
        if archived:
            items.append(Item("archive", step["role"], step["number"], step, 34.0))
        else:
            produced = [d for d in step["documents"] if d["use"] != "reference"]
            height = operation_height(step["activity"], op_width)
            if produced:
                height = max(height, document_height(produced[0]["name"]))
            items.append(Item("op", step["role"], step["number"], step, height))
        if step["branches"]:
            room = question_width(op_width) + decision_shift(step, op_width)
            question = len(wrap(step["decision"], room)) * TEXT_SIZE * 1.2 + 4
            jumps = sum(jump_rows(step, op_width)) + 6
            height = max(DIAMOND_H + 10, question, jumps)
            items.append(Item("decision", step["role"], f"?{step['number']}", step, height))
    items.append(Item("end", steps[-1]["role"], "end", height=TERMINATOR_H))
    return items


def _paginate(items: list[Item], height: float) -> int:
    """Place the rows on pages no taller than `height` (room for a page connector kept at the bottom); the count."""
    page, y = 0, HEADER_H + 26.0
    for item in items:
        if y + item.height + 28 > height and y > HEADER_H + 30:
            page, y = page + 1, HEADER_H + 30.0
        item.page, item.y = page, y + item.height / 2
        y += item.height + GAP
    return page + 1


def flowchart_pages(steps: list[dict[str, Any]], *, width: float, height: float) -> list[ChartPage]:
    """The procedure's flowchart cut into pages of at most `width` × `height` points (lanes share the width; rows
    go on to the next page, joined by page connectors)."""
    roles: list[str] = []
    for step in steps:
        if step["role"] not in roles:
            roles.append(step["role"])
    # Lanes share the width; with many roles the chart is wider than `width`, and the page scales it down.
    lane_w = max(min(width / len(roles), 260.0), 150.0)
    op_w = lane_w - DOC_W - 26
    items = _items(steps, op_w)
    # Rows top to bottom, a new page when the next row does not fit; the pages as even as their number allows
    # (no last page with only the end).
    limit, pages_needed = height, _paginate(items, height)
    low = HEADER_H + 60.0
    while limit - low > 4:
        middle = (limit + low) / 2
        if _paginate(items, middle) == pages_needed:
            limit = middle
        else:
            low = middle
    page = _paginate(items, limit) - 1
    for item in items:
        item.x = roles.index(item.role) * lane_w + 6 + op_w / 2
        if item.kind == "decision":
            item.x += decision_shift(item.step, op_w)
    index = {item.id: i for i, item in enumerate(items)}
    pages: list[list[str]] = [[] for _ in range(page + 1)]
    bottoms = [HEADER_H] * (page + 1)

    def draw(p: int, svg: str, bottom: float = 0.0) -> None:
        pages[p].append(svg)
        bottoms[p] = max(bottoms[p], bottom)

    def link(a: Item, b: Item, label: str = "") -> None:
        (x1, y1), (x2, y2) = (a.x, a.bottom), (b.x, b.top)
        if a.page != b.page:  # on to the next page through a pair of page connectors
            draw(a.page, arrow([(x1, y1), (x1, y1 + 6)], label) + page_connector(x1, y1 + 16, b.id), y1 + 28)
            top = HEADER_H + 14
            draw(b.page, page_connector(x2, top - 2, b.id) + arrow([(x2, top + 8), (x2, y2)]))
            return
        if abs(x1 - x2) < 1:
            draw(a.page, arrow([(x1, y1), (x2, y2)], label))
            return
        mid = (y1 + y2) / 2
        draw(a.page, arrow([(x1, y1), (x1, mid), (x2, mid), (x2, y2)], label))

    jumps: set[str] = set()
    for i, item in enumerate(items):
        p = item.page
        if item.kind == "start":
            draw(p, terminator(item.x, item.y, "Inicio"), item.bottom)
            link(item, items[i + 1])
            continue
        if item.kind == "end":
            draw(p, terminator(item.x, item.y, "Fin"), item.bottom)
            continue
        step = item.step
        if item.kind == "op":
            draw(p, operation(item.x, item.y, step["number"], step["activity"], op_w), item.bottom)
            produced = [d for d in step["documents"] if d["use"] != "reference"]
            if produced:
                draw(p, document(item.x + op_w / 2 + 8, item.y, produced[0]["name"]))
        elif item.kind == "archive":
            draw(p, archive(item.x, item.y, step["number"]), item.bottom)
        else:
            draw(p, diamond(item.x, item.y, step["decision"]), item.bottom)
            question = wrap(step["decision"], question_width(op_w) + decision_shift(step, op_w))
            draw(p, text_block(item.x - DIAMOND_W / 2 - 3, item.y, question, TEXT_SIZE, "end"))
        if item.kind in ("op", "archive") and step["branches"]:
            link(item, items[i + 1])
            continue
        targets = (
            [(b["to"], b["label"]) for b in step["branches"]]
            if item.kind == "decision"
            else [(n, "") for n in step["next"]]
        )
        rows = jump_rows(step, op_w) if item.kind == "decision" else []
        bus, cy = item.x + DIAMOND_W / 2 + 10, item.top + 3
        for number, (target, label) in enumerate(targets):
            j = index.get(target)
            if j is None:
                continue
            if j == i + 1:
                link(item, items[j], label)
            elif item.kind == "decision":
                # A bus from the diamond's right corner down to a connector per jump, each with its answer.
                cy += rows[number] / 2
                draw(p, arrow([(item.x + DIAMOND_W / 2, item.y), (bus, item.y), (bus, cy), (bus + 8, cy)]))
                draw(p, connector(bus + 8 + CONNECTOR_R, cy, target), cy + CONNECTOR_R)
                if label:
                    lines = wrap(label, jump_label_width(op_w, decision_shift(step, op_w)))
                    draw(p, text_block(bus + 10 + 2 * CONNECTOR_R, cy, lines, TEXT_SIZE, "start"))
                cy += rows[number] / 2
                jumps.add(target)
            else:
                draw(p, arrow([(item.x, item.bottom), (item.x, item.bottom + 6)]))
                draw(p, connector(item.x, item.bottom + 6 + CONNECTOR_R, target), item.bottom + 6 + 2 * CONNECTOR_R)
                jumps.add(target)
    for target in jumps:  # where a jump arrives: its connector, left of the step, and an arrow into it
        item = items[index[target]]
        cx, y = item.x - op_w / 2 + CONNECTOR_R + 2, item.top - CONNECTOR_R - 3
        draw(
            item.page,
            connector(cx, y, target) + arrow([(cx + CONNECTOR_R, y), (item.x - 10, y), (item.x - 10, item.top)]),
        )
    out = []
    chart_w = lane_w * len(roles)
    for p, parts in enumerate(pages):
        chart_h = min(height, bottoms[p] + 10)
        lanes = []
        for i, role in enumerate(roles):
            x = i * lane_w
            lanes.append(
                f'<rect x="{x:.1f}" y="0" width="{lane_w:.1f}" height="{chart_h:.1f}" fill="none" stroke="#999"/>'
            )
            lanes.append(
                f'<rect x="{x:.1f}" y="0" width="{lane_w:.1f}" height="{HEADER_H}" fill="#e8eef7" stroke="#999"/>'
            )
            lanes.append(
                text_block(
                    x + lane_w / 2, HEADER_H / 2, wrap(spanish_label(role), lane_w - 8, HEADER_SIZE), HEADER_SIZE
                )
            )
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart_w:.1f} {chart_h:.1f}" '
            f'width="{chart_w:.1f}pt" height="{chart_h:.1f}pt">'
            '<defs><marker id="flecha" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
            'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
            + "".join(lanes)
            + "".join(parts)
            + "</svg>"
        )
        out.append(ChartPage(svg, chart_w, chart_h))
    return out
