"""Flowcharts for the printed manual, drawn as SVG on the server: one vertical swimlane per responsible, steps
top to bottom, with the symbols of section III of the manual — terminator (start/end), operation, decision,
document, archive and connectors (a numbered circle where a flow jumps to a step that is not the next one)."""

from __future__ import annotations

import textwrap
from typing import Any
from xml.sax.saxutils import escape

from planea.org.roles import spanish_label

LANE_W = 210
HEADER_H = 46
ROW_H = 74
OP_W, OP_H = 130, 48
DOC_W, DOC_H = 44, 34
DIAMOND = 40
STROKE = 'stroke="#1d3f72" stroke-width="1.4" fill="#fff"'
TEXT = 'font-family="DejaVu Sans, sans-serif" fill="#111"'


def wrap(text: str, width: int, lines: int) -> list[str]:
    out = textwrap.wrap(text, width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def text_block(x: float, y: float, lines: list[str], size: float = 8.5, anchor: str = "middle") -> str:
    first = y - (len(lines) - 1) * size * 0.6
    return "".join(
        f'<text x="{x:.1f}" y="{first + i * size * 1.2:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'dominant-baseline="middle" {TEXT}>{escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def terminator(cx: float, cy: float, label: str) -> str:
    return f'<rect x="{cx - 45:.1f}" y="{cy - 15:.1f}" width="90" height="30" rx="15" {STROKE}/>' + text_block(
        cx, cy, [label], 9
    )


def operation(cx: float, cy: float, number: str, text: str) -> str:
    return (
        f'<rect x="{cx - OP_W / 2:.1f}" y="{cy - OP_H / 2:.1f}" width="{OP_W}" height="{OP_H}" {STROKE}/>'
        + text_block(cx, cy - 14, [number], 8, "middle").replace('fill="#111"', 'fill="#1d3f72" font-weight="bold"')
        + text_block(cx, cy + 5, wrap(text, 28, 2), 7.2)
    )


def archive(cx: float, cy: float, number: str) -> str:
    h = OP_H
    return (
        f'<polygon points="{cx - 28:.1f},{cy - h / 2:.1f} {cx + 28:.1f},{cy - h / 2:.1f} {cx:.1f},{cy + h / 2:.1f}" '
        f"{STROKE}/>" + text_block(cx, cy - 10, [number, "A"], 8)
    )


def document(x: float, cy: float, label: str) -> str:
    top, bottom = cy - DOC_H / 2, cy + DOC_H / 2 - 6
    path = f"M{x:.1f},{top:.1f} h{DOC_W} v{DOC_H - 6} q-{DOC_W / 4:.1f},-8 -{DOC_W / 2:.1f},0 t-{DOC_W / 2:.1f},0 z"
    return f'<path d="{path}" {STROKE}/>' + text_block(x + DOC_W / 2, (top + bottom) / 2, wrap(label, 9, 2), 6.5)


def diamond(cx: float, cy: float, question: str) -> str:
    d = DIAMOND
    return (
        f'<polygon points="{cx:.1f},{cy - d / 2:.1f} {cx + d / 2 + 8:.1f},{cy:.1f} {cx:.1f},{cy + d / 2:.1f} '
        f'{cx - d / 2 - 8:.1f},{cy:.1f}" {STROKE}/>' + text_block(cx, cy, ["¿?"], 9)
    )


def connector(cx: float, cy: float, label: str) -> str:
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" {STROKE}/>' + text_block(cx, cy, [label], 7)


def arrow(points: list[tuple[float, float]], label: str = "") -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    out = f'<polyline points="{path}" fill="none" stroke="#333" stroke-width="1.1" marker-end="url(#flecha)"/>'
    if label:
        (x1, y1), (x2, y2) = points[0], points[1]
        out += text_block((x1 + x2) / 2 - 5, (y1 + y2) / 2, wrap(label, 18, 2), 6.5, "end")
    return out


def flowchart_svg(steps: list[dict[str, Any]]) -> str:
    roles: list[str] = []
    for step in steps:
        if step["role"] not in roles:
            roles.append(step["role"])

    def cx(role: str) -> float:
        return roles.index(role) * LANE_W + LANE_W / 2 - 8

    # Place items in rows: start, each step (plus a row for its decision), end.
    items: list[dict[str, Any]] = [{"kind": "start", "role": steps[0]["role"], "id": "inicio"}]
    for step in steps:
        archived = step["activity"].lower().startswith("archiva")
        items.append(
            {"kind": "archive" if archived else "op", "role": step["role"], "id": step["number"], "step": step}
        )
        if step["branches"]:
            items.append({"kind": "decision", "role": step["role"], "id": f"?{step['number']}", "step": step})
    items.append({"kind": "end", "role": steps[-1]["role"], "id": "end"})
    for row, item in enumerate(items):
        item["x"], item["y"] = cx(item["role"]), HEADER_H + 30 + row * ROW_H
    index = {item["id"]: i for i, item in enumerate(items)}
    height = HEADER_H + 30 + len(items) * ROW_H
    width = len(roles) * LANE_W
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        '<defs><marker id="flecha" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
    ]
    for i, role in enumerate(roles):
        x = i * LANE_W
        parts.append(f'<rect x="{x}" y="0" width="{LANE_W}" height="{height}" fill="none" stroke="#999"/>')
        parts.append(f'<rect x="{x}" y="0" width="{LANE_W}" height="{HEADER_H}" fill="#e8eef7" stroke="#999"/>')
        parts.append(text_block(x + LANE_W / 2, HEADER_H / 2, wrap(spanish_label(role), 30, 2), 8.5))

    def top(item: dict[str, Any]) -> tuple[float, float]:
        half = 15 if item["kind"] in ("start", "end") else DIAMOND / 2 if item["kind"] == "decision" else OP_H / 2
        return item["x"], item["y"] - half

    def bottom(item: dict[str, Any]) -> tuple[float, float]:
        x, y = top(item)
        return x, item["y"] + (item["y"] - y)

    def link(a: dict[str, Any], b: dict[str, Any], label: str = "") -> str:
        (x1, y1), (x2, y2) = bottom(a), top(b)
        if abs(x1 - x2) < 1:
            return arrow([(x1, y1), (x2, y2)], label)
        mid = (y1 + y2) / 2
        return arrow([(x1, y1), (x1, mid), (x2, mid), (x2, y2)], label)

    jump_labels: dict[str, list[str]] = {}
    for i, item in enumerate(items):
        kind = item["kind"]
        if kind == "start":
            parts.append(terminator(item["x"], item["y"], "Inicio"))
        elif kind == "end":
            parts.append(terminator(item["x"], item["y"], "Fin"))
        elif kind == "op":
            step = item["step"]
            parts.append(operation(item["x"], item["y"], step["number"], step["name"] or step["activity"]))
            produced = [d for d in step["documents"] if d["use"] != "reference"]
            if produced:
                parts.append(document(item["x"] + OP_W / 2 + 8, item["y"], produced[0]["name"]))
        elif kind == "archive":
            parts.append(archive(item["x"], item["y"], item["step"]["number"]))
        elif kind == "decision":
            parts.append(diamond(item["x"], item["y"], item["step"]["decision"]))
        # Outgoing flows: to the next row with a line, anywhere else through a numbered connector.
        if kind == "start":
            parts.append(link(item, items[i + 1]))
            continue
        if kind == "end":
            continue
        step = item["step"]
        if kind in ("op", "archive") and step["branches"]:
            parts.append(link(item, items[i + 1]))
            continue
        targets = (
            [(b["to"], b["label"]) for b in step["branches"]] if kind == "decision" else [(n, "") for n in step["next"]]
        )
        offset = 0
        for target, label in targets:
            j = index.get(target)
            if j == i + 1:
                parts.append(link(item, items[j], label if len(targets) <= 2 else ""))
            elif j is not None and kind == "decision":
                offset += 1
                x, y = item["x"] + DIAMOND / 2 + 22 + 24 * (offset - 1), item["y"] + 16
                parts.append(arrow([(item["x"] + DIAMOND / 2 + 8, item["y"]), (x, item["y"]), (x, y - 10)]))
                parts.append(connector(x, y, target))
                if label and len(targets) <= 2:
                    parts.append(text_block(x + 12, y + 12, wrap(label, 22, 1), 6, "start"))
                jump_labels.setdefault(target, []).append(target)
            elif j is not None:
                below_x, below_y = bottom(item)
                parts.append(arrow([(below_x, below_y), (below_x, below_y + 8)]))
                parts.append(connector(below_x, below_y + 18, target))
                jump_labels.setdefault(target, []).append(target)
    for target in jump_labels:
        item = items[index[target]]
        x, y = item["x"] - OP_W / 2 - 14, item["y"] - OP_H / 2 - 4
        parts.append(connector(x, y, target))
        parts.append(arrow([(x + 10, y), (item["x"] - OP_W / 2, y), (item["x"] - OP_W / 2, y + 6)]))
    parts.append("</svg>")
    return "".join(parts)
