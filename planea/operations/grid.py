"""The goal grid of one subproduct: rows are cost centers, columns are the plan's months (POA) or years (POM), with
row, column, cuatrimestre and year sums. Parsing the posted cells reports bad values per cell in Spanish."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from planea.core import periods
from planea.core.numbers import NumberError, grouped, parse_integer
from planea.strategy.models import Subproduct

from . import goals
from .grid_hints import Hint, Hints, hints_for
from .models import OperationalPlan


@dataclass(slots=True)
class Cell:
    name: str
    value: int | str
    seen: int
    error: str = ""
    conflict: goals.Conflict | None = None


@dataclass
class Row:
    cost_center: goals.CenterRow
    cells: list[Cell]
    editable: bool
    readonly: bool = False
    quarters: bool = False  # a POA row shows its cuatrimestres
    hints: dict[int, Hint] | None = None  # month → the forecast shown under the cell (grid_hints.py)

    def html(self, separator: str) -> str:
        """The whole row: the cost center, each cell (hidden seen value and input; a conflict shows what the other
        person saved), the cuatrimestres of a POA and the row total, numbers grouped with `separator` (escaped).
        Built here rather than in the template: 720 cells through the template engine cost most of the page's
        time."""
        label = html.escape(self.cost_center.code)
        readonly = ' readonly tabindex="-1"' if self.readonly else ""
        parts = [f'<th scope="row" class="cc fw-normal"><code>{label}</code> {html.escape(self.cost_center.name)}</th>']
        # One cell: the value seen when the page opened (hidden, for conflict detection) and the input. Cell names
        # are built from numbers (cell_name); a value that is not a number is the person's own text, escaped.
        for n, cell in enumerate(self.cells, start=1):
            note = error = ""
            if cell.conflict:
                note = format_html(
                    '<div class="conflict-note small px-1" role="note">{}</div>',
                    _("Guardado por %(who)s: %(v)s")
                    % {"who": cell.conflict.by or _("otra persona"), "v": grouped(cell.conflict.theirs, separator)},
                )
            if cell.error:
                error = format_html(' title="{}" aria-invalid="true"', cell.error)
            # Shown grouped (12,500) as every number of Planea; the server reads it back (core.numbers), and
            # goalgrid.js ungroups a cell while it is being typed in.
            value = grouped(cell.value, separator) if type(cell.value) is int else html.escape(str(cell.value))
            invalid = " is-invalid" if error else ""
            hint = self.hints.get(n) if self.hints is not None and self.quarters else None
            described = ""
            if hint is not None:
                hint_id = f"h-{self.cost_center.pk}-{n}"
                described = f' aria-describedby="{hint_id}"'
                note += hint_html(hint_id, hint, cell.value, separator)
            parts.append(
                f'<td class="p-0{" conflict" if cell.conflict else ""}">'
                f'<input type="hidden" name="o-{cell.name[2:]}" value="{cell.seen}">'
                f'<input class="form-control form-control-sm text-end border-0 rounded-0{invalid}"'
                f' name="{cell.name}" value="{value}" inputmode="numeric" autocomplete="off" data-seen="{cell.seen}"'
                f' aria-label="{label} {n}"{described}{error}{readonly}>{note}</td>'
            )
        if self.quarters:
            parts += [
                f'<td class="text-end table-info" data-quarter="{n}">{grouped(q, separator)}</td>'
                for n, q in enumerate(self.cuatrimestres, start=1)
            ]
        parts.append(f'<td class="text-end fw-semibold" data-row-total>{grouped(self.total, separator)}</td>')
        return "".join(parts)

    # A row's cells do not change once it is built: its sums are computed once (the page reads them three times).
    @cached_property
    def total(self) -> int:
        return sum(c.value for c in self.cells if type(c.value) is int)

    @cached_property
    def cuatrimestres(self) -> list[int]:
        return periods.cuatrimestre_sums([c.value if type(c.value) is int else 0 for c in self.cells])


def hint_html(hint_id: str, hint: Hint, value: int | str, separator: str) -> str:
    """The forecast under a cell: the forecast and its 80 % interval, muted; a goal outside the interval gets an
    icon and the word that says so (not only a colour)."""
    yhat, lo, hi = (grouped(v, separator) for v in hint.whole())
    outside = type(value) is int and hint.outside(value)
    title = _("Pronóstico %(yhat)s; intervalo de 80 %%: %(lo)s a %(hi)s") % {"yhat": yhat, "lo": lo, "hi": hi}
    if hint.source:
        title += f" ({hint.source})"
    mark = ""
    if outside:
        mark = format_html(
            '<span class="goal-hint-out"><i class="bi bi-exclamation-triangle-fill" aria-hidden="true"></i> {}'
            '<span class="visually-hidden"> {}</span></span>',
            _("fuera"),
            _("del intervalo de 80 %"),
        )
    return format_html(
        '<div class="goal-hint{}" id="{}" title="{}" data-hint>{}{}<span class="goal-hint-band">{}–{}</span>{}</div>',
        " out" if outside else "",
        hint_id,
        title,
        format_html('<span class="visually-hidden">{} </span>', _("Pronóstico")),
        format_html("≈{} ", yhat),
        lo,
        hi,
        mark,
    )


@dataclass
class Grid:
    plan: OperationalPlan
    subproduct: Subproduct
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    attr: str = "planned"
    hints: Hints | None = None  # the forecast beside each cell, when a provider has one for the plan
    hint_source: str = ""
    hint_link: str = ""  # back to the work the hints belong to (a P5 case), with its label
    hint_link_label: str = ""

    @property
    def separator(self) -> str:
        """The thousands separator of the active language, with which the cells are shown and typed."""
        return str(get_format("THOUSAND_SEPARATOR"))

    @property
    def maximum(self) -> int:
        """The largest goal a cell holds (its column's bound, the same on both databases)."""
        return int(goals.GOAL_BOUNDS.maximum)

    def body_html(self) -> SafeString:
        """The body rows of the grid (`Row.html`), the thousands separator read once."""
        separator = html.escape(get_format("THOUSAND_SEPARATOR"))
        return mark_safe("".join(f"<tr data-row>{row.html(separator)}</tr>" for row in self.rows))

    def head_html(self) -> SafeString:
        """The column headers after the cost center's (`period_headers`)."""
        return period_headers(self.headers, self.plan.is_annual)

    def foot_html(self) -> SafeString:
        """The sums under the grid: per column, per cuatrimestre of a POA, and the grand total."""
        separator = html.escape(get_format("THOUSAND_SEPARATOR"))
        cells = [f'<td class="text-end" data-col-total>{grouped(v, separator)}</td>' for v in self.column_totals]
        cells += [
            f'<td class="text-end table-info" data-quarter-total="{n}">{grouped(v, separator)}</td>'
            for n, v in enumerate(self.cuatrimestre_totals, start=1)
        ]
        cells.append(f'<td class="text-end" data-grand-total>{grouped(self.total, separator)}</td>')
        return mark_safe("".join(cells))

    @property
    def column_totals(self) -> list[int]:
        columns = zip(*((c.value if type(c.value) is int else 0 for c in r.cells) for r in self.rows), strict=True)
        return [sum(column) for column in columns] if self.rows else [0] * len(self.headers)

    @property
    def cuatrimestre_totals(self) -> list[int]:
        if not self.plan.is_annual:
            return []
        return [sum(quarter) for quarter in zip(*(r.cuatrimestres for r in self.rows), strict=True)] or [0, 0, 0]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    unplaced: list[str] = field(default_factory=list)  # errors of posted cells the grid does not show

    @property
    def errors(self) -> list[str]:
        """Every bad cell as "cost center — column: problem", for the list above the grid."""
        shown = [f"{row.cost_center} — {cell.error}" for row in self.rows for cell in row.cells if cell.error]
        hidden = _("una celda de un centro de costo que esta cuadrícula no muestra")
        return shown + [f"{hidden} — {error}" for error in self.unplaced]


def cell_name(cost_center_id: int, year: int, month: int) -> str:
    return f"c-{cost_center_id}-{year}-{month}"


def build(
    plan: OperationalPlan,
    subproduct: Subproduct,
    *,
    attr: str = "planned",
    takes_input: bool | None = None,
    allowed: set[int] | None = None,
    visible: set[int] | None = None,
    posted: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    conflicts: list[goals.Conflict] | None = None,
) -> Grid:
    """The grid from the stored goals; with `posted`, the person's own changes stay on top of fresh values. Rows are
    the cost centers in `visible` (all when None); those outside `allowed` are read-only, and so is every row when
    the grid takes no input (by default, a plan that is no longer a draft; a reprogramming's grid takes it)."""
    if takes_input is None:
        takes_input = plan.is_editable
    by_cell = {cell_name(c.cost_center.pk, c.year, c.month): c for c in conflicts or []}
    errors = errors or {}
    grid = Grid(plan, subproduct, build_headers(plan), attr=attr)
    by_center: dict[int, dict[int, Hint]] = {}
    if plan.is_annual:
        grid.hints = hints_for(plan, subproduct)
        for (center, month), hint in (grid.hints or {}).items():
            by_center.setdefault(center, {})[month] = hint
            grid.hint_source, grid.hint_link, grid.hint_link_label = hint.source, hint.link, hint.link_label
    plan_periods = plan.periods()
    for cc, stored in goals.grid_rows(plan, subproduct, attr):
        if visible is not None and cc.pk not in visible:
            continue
        if posted is None and not errors and not by_cell:  # the page as stored: most requests
            cells = [
                Cell(cell_name(cc.pk, year, month), current, current)
                for year, month in plan_periods
                for current in (stored.get((year, month), 0),)
            ]
        else:
            cells = []
            for year, month in plan_periods:
                name = cell_name(cc.pk, year, month)
                current = stored.get((year, month), 0)
                value: int | str = current
                if posted is not None and name in posted:
                    mine, seen = posted[name], posted.get(f"o-{name[2:]}", "")
                    number = _as_int(mine)  # a bad entry stays as typed, next to its error
                    if number is None:
                        value = mine
                    elif number != _as_int(seen):  # "12,500" as shown is the 12500 seen: not the person's change
                        value = number
                cells.append(Cell(name, value, current, errors.get(name, ""), by_cell.get(name)))
        editable = allowed is None or cc.pk in allowed
        row = Row(cc, cells, editable, readonly=not takes_input or not editable, quarters=plan.is_annual)
        if grid.hints is not None:
            row.hints = by_center.get(cc.pk, {})
        grid.rows.append(row)
    if errors:
        shown = {cell.name for row in grid.rows for cell in row.cells}
        grid.unplaced = [error for name, error in errors.items() if name not in shown]
    return grid


CELL_NAME = re.compile(r"^c-([0-9]{1,10})-([0-9]{4})-([0-9]{1,2})$", re.ASCII)


def _as_int(text: str) -> int | None:
    """A typed goal as a whole number (empty is 0), or None when it is not one within the column's bounds."""
    try:
        return parse_integer(text, goals.GOAL_BOUNDS) or 0
    except NumberError:
        return None


def parse(
    plan: OperationalPlan, data: dict[str, str]
) -> tuple[dict[tuple[int, int, int], tuple[int, int]], dict[str, str]]:
    """Posted cells as (cost center, year, month) → (seen, new), and the errors per cell name."""
    periods_of_plan = set(plan.periods())
    cells: dict[tuple[int, int, int], tuple[int, int]] = {}
    errors: dict[str, str] = {}
    for name, raw in data.items():
        match = CELL_NAME.match(name)
        if match is None:
            continue
        cost_center_id, year, month = (int(part) for part in match.groups())
        if (year, month) not in periods_of_plan:
            continue
        seen = _as_int(data.get(f"o-{name[2:]}", "0")) or 0
        label = periods.month_abbr(month) if month else str(year)
        try:
            value = parse_integer(raw, goals.GOAL_BOUNDS) or 0
        except NumberError as exc:
            errors[cell_name(cost_center_id, year, month)] = f"{label}: {exc}"  # as the grid names the cell
            continue
        cells[(cost_center_id, year, month)] = (seen, value)
    return cells, errors


QUARTERS = periods.CUATRIMESTRE_LABELS


def period_headers(headers: list[str], annual: bool) -> SafeString:
    """The column headers of a table of goals after its first: its periods, the cuatrimestres of a POA (`annual`),
    the total."""
    cells = [f'<th scope="col" class="text-end">{html.escape(str(h))}</th>' for h in headers]
    if annual:
        cells += [
            f'<th scope="col" class="text-end table-info"><abbr title="{html.escape(f"{q} ({span})")}">'
            f"{html.escape(str(short))}</abbr></th>"
            for q, short, span in zip(QUARTERS, periods.CUATRIMESTRE_SHORT, periods.CUATRIMESTRE_SPANS, strict=True)
        ]
    total = html.escape(_("Total"))  # outside the f-string, for makemessages
    cells.append(f'<th scope="col" class="text-end">{total}</th>')
    return mark_safe("".join(cells))


def build_headers(plan: OperationalPlan) -> list[str]:
    return [periods.month_abbr(m) if m else str(y) for y, m in plan.periods()]
