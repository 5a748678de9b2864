"""The execution dashboard of a POA, as the Dirección General and the Subdirección de Planificación read it every
morning: the year-to-date % of execution at one level of the drill-down (product → subproduct → area → cost center)
with traffic lights, the monthly programmed, current and executed quantities, a heat map of cost centers × months
coloured by % of execution, and the projected year-end execution per subproduct — executed to date plus the P5
forecast of the remaining months, with its interval — so that a shortfall is seen in June, not in December.

Every figure is a sum computed by the database over the POA's goal and execution rows (one row per subproduct ×
cost center × year, a column per month), filtered by the drill-down path and by the person's scope (an area liaison
reads the cost centers of their area): a national POA is 6,000 rows, and the page reads a few hundred sums."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from planea.core import periods
from planea.forecasting.models import ForecastRun, ForecastValue, Programming, RunStatus, SeriesLevel
from planea.operations.models import OperationalPlan, PhysicalGoal, PlanKind, goal_column
from planea.org.roles import Role
from planea.strategy.models import PlanStatus

from .analysis import HUNDRED, Totals
from .breakdown import AREA, CENTER, LEVEL_LABELS, LEVELS, PRODUCT, SUBPRODUCT, next_level
from .models import MONTHS, ExecutedGoal, ExecutionMonth, MonthStatus, executed_column
from .month_case import period_name

# The fields naming each level of the drill-down, on a goal or execution row.
LEVEL_FIELDS = {
    PRODUCT: ("subproduct__product__code", "subproduct__product__name"),
    SUBPRODUCT: ("subproduct__code", "subproduct__name"),
    AREA: ("cost_center__org_unit__code", "cost_center__org_unit__name"),
    CENTER: ("cost_center__code", "cost_center__name"),
}

type Sums = dict[tuple[str, str], list[int]]  # (code, name) → twelve monthly sums


@dataclass(frozen=True)
class Light:
    """A traffic light: its colour's name, icon and words, so that colour is never the only signal."""

    key: str
    icon: str
    label: Any


GREEN = Light("verde", "bi-check-circle-fill", _("en meta"))
AMBER = Light("ambar", "bi-exclamation-triangle-fill", _("en riesgo"))
RED = Light("rojo", "bi-x-octagon-fill", _("rezagado"))
NONE = Light("sin-meta", "bi-dash-circle", _("sin meta a la fecha"))
NO_PROJECTION = Light("sin-meta", "bi-dash-circle", _("sin proyección"))


def thresholds() -> tuple[Decimal, Decimal]:
    """(green from, amber from), in % of execution: PLANEA_EXECUTION_GREEN (90) and PLANEA_EXECUTION_AMBER (75)."""
    return Decimal(str(settings.PLANEA_EXECUTION_GREEN)), Decimal(str(settings.PLANEA_EXECUTION_AMBER))


def light(percent: Decimal | None) -> Light:
    if percent is None:
        return NONE
    green, amber = thresholds()
    return GREEN if percent >= green else AMBER if percent >= amber else RED


@dataclass
class Row:
    """A group at the shown level: its year-to-date totals and light, and the drill-down code."""

    code: str
    name: str
    totals: Totals
    light: Light
    annual_current: int


@dataclass
class Projection:
    code: str
    name: str
    executed: int  # to date
    forecast: int | None  # the remaining months, P5 forecast (None without a run)
    low: int | None
    high: int | None
    annual_current: int

    @property
    def projected(self) -> int | None:
        return None if self.forecast is None else self.executed + self.forecast

    def _percent(self, value: int | None) -> Decimal | None:
        if value is None or not self.annual_current:
            return None
        return (Decimal(value) * HUNDRED / self.annual_current).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def percent(self) -> Decimal | None:
        return self._percent(self.projected)

    @property
    def low_percent(self) -> Decimal | None:
        return self._percent(None if self.low is None else self.executed + self.low)

    @property
    def high_percent(self) -> Decimal | None:
        return self._percent(None if self.high is None else self.executed + self.high)

    @property
    def light(self) -> Light:
        return NO_PROJECTION if self.forecast is None else light(self.percent)


@dataclass
class HeatRow:
    code: str
    name: str
    cells: list[tuple[Decimal | None, Light]]  # per month through the dashboard's month


@dataclass
class Dashboard:
    plan: OperationalPlan
    through: int  # the last month counted in the year to date (0: none yet)
    statuses: dict[int, str]  # month → status of its execution
    path: dict[str, str]  # level → code chosen in the drill-down
    crumbs: list[tuple[str, str, str]]  # (level label, code, name) of the path
    level: str  # the level of the rows shown
    rows: list[Row]
    total: Totals
    chart: dict[str, Any]
    heat: list[HeatRow]
    projections: list[Projection]
    run: ForecastRun | None
    months: list[int] = field(default_factory=list)
    last: int = 0  # the last month with execution registered or typed: the year to date goes no further
    units: list[str] = field(default_factory=list)  # the units of measure of the lines shown

    @property
    def closed_name(self) -> str:
        """«septiembre de 2026»: the last month the projection counts as executed (the rest forecast)."""
        closed = closed_through(self.statuses)
        return period_name(self.plan.start_year, closed) if closed else ""

    @property
    def through_name(self) -> str:
        """«octubre de 2026»: the last month of the year to date, as the headline names it."""
        return period_name(self.plan.start_year, self.through) if self.through else ""

    @property
    def one_unit(self) -> bool:
        """Whether the lines shown share one unit of measure: quantities of several units are never added up."""
        return len(self.units) == 1

    @property
    def unapproved(self) -> list[int]:
        """The months of the year to date whose execution is not approved yet (their figures may still change)."""
        return [m for m in self.months if self.statuses.get(m) != MonthStatus.APPROVED]

    @property
    def unapproved_names(self) -> str:
        """«octubre de 2026, noviembre de 2026»: the unapproved months as the headline names them."""
        return ", ".join(period_name(self.plan.start_year, m) for m in self.unapproved)

    @property
    def light_counts(self) -> list[tuple[Light, int]]:
        """How many rows stand at each light (green, amber, red, without goal), for the headline."""
        return [(one, sum(1 for row in self.rows if row.light == one)) for one in (GREEN, AMBER, RED, NONE)]

    @property
    def mean_percent(self) -> Decimal | None:
        """The mean of the rows' % of execution (each row in its own unit: a % does not mix units)."""
        shown = [row.totals.percent for row in self.rows if row.totals.percent is not None]
        if not shown:
            return None
        return (sum(shown, Decimal(0)) / len(shown)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def chart_rows(self) -> list[tuple[Any, int, int, int | None]]:
        """(month, programmed, current, executed) for the chart's table."""
        chart = self.chart
        return list(zip(chart["labels"], chart["planned"], chart["current"], chart["executed"], strict=True))

    @property
    def month_labels(self) -> list[Any]:
        """The abbreviations of the months of the year to date (the heat map's columns)."""
        return [periods.month_abbr(m) for m in self.months]

    @property
    def level_label(self) -> Any:
        return LEVEL_LABELS[self.level]

    @property
    def light(self) -> Light:
        return light(self.total.percent)


def clean_path(raw: dict[str, str]) -> dict[str, str]:
    """The drill-down path from the query: the first levels given, in order (a level without its parent is
    dropped), each code at most 20 characters."""
    path: dict[str, str] = {}
    for level in LEVELS[:-1]:
        code = (raw.get(level) or "").strip()[:20]
        if not code:
            break
        path[level] = code
    return path


def _sums(model: Any, plan: OperationalPlan, column: Any, lookups: dict[str, Any], level: str | None) -> Sums:
    """Twelve monthly sums of `column(month)` per group of `level` (one group for None)."""
    rows = model.objects.filter(plan=plan, year=plan.start_year, **lookups).order_by()
    fields = LEVEL_FIELDS[level] if level else ()
    if fields:
        rows = rows.values(*fields)
    sums = {f"m{m}": Sum(column(m)) for m in MONTHS}
    if not fields:
        found = rows.aggregate(**sums)
        return {("", ""): [int(found[f"m{m}"] or 0) for m in MONTHS]}
    return {
        (str(row[fields[0]]), str(row[fields[1]])): [int(row[f"m{m}"] or 0) for m in MONTHS]
        for row in rows.annotate(**sums)
    }


def _planned(m: int) -> str:
    return goal_column("planned", m)


def _current(m: int) -> str:
    return goal_column("current", m)


def _to(values: list[int], through: int) -> int:
    return sum(values[:through])


def months_reached(plan: OperationalPlan) -> tuple[int, int]:
    """(default, last) month of the year to date: by default the last month registered (or approved), else the
    last with executed values; at most the last month with executed values or registered (later months have no
    execution yet: counting them would show the year as far behind)."""
    statuses = dict(ExecutionMonth.objects.filter(plan=plan, year=plan.start_year).values_list("month", "status"))
    done = [m for m, status in statuses.items() if status != MonthStatus.OPEN]
    totals = _sums(ExecutedGoal, plan, executed_column, {}, None)[("", "")]
    filled = [m for m in MONTHS if totals[m - 1]]
    last = max(done + filled, default=0)
    return (max(done) if done else last), last


def closed_through(statuses: dict[int, str]) -> int:
    """The last month of an unbroken run from January of months registered, authorized or approved: the projection
    counts what they executed and forecasts the rest (a month still open may lack most of its values, and the
    months the dashboard is not showing are no less executed)."""
    closed = 0
    while closed < 12 and statuses.get(closed + 1, MonthStatus.OPEN) != MonthStatus.OPEN:
        closed += 1
    return closed


def run_for(plan: OperationalPlan) -> ForecastRun | None:
    """The forecast run of the POA's year: the one its P5 programming chose, else the latest finished."""
    chosen = (
        Programming.objects.filter(plan=plan, run__status=RunStatus.DONE)
        .select_related("run")
        .order_by("-created_at")
        .first()
    )
    if chosen is not None and chosen.run is not None:
        return chosen.run
    return (
        ForecastRun.objects.filter(status=RunStatus.DONE, target_year=plan.start_year)
        .order_by("-finished_at", "-pk")
        .first()
    )


def _projections(
    plan: OperationalPlan, lookups: dict[str, Any], through: int, executed: Sums, current: Sums, run: ForecastRun | None
) -> list[Projection]:
    forecast: dict[str, dict[str, Any]] = {}
    if run is not None and through < 12:
        rows = (
            ForecastValue.objects.filter(
                series__run=run,
                series__level=SeriesLevel.COST_CENTER,
                series__variable__subproduct__code__in=[code for code, _name in current],
                month__gt=through,
                **{_on_series(name): value for name, value in lookups.items()},  # the same path and scope
            )
            .values("series__variable__subproduct__code")
            .annotate(yhat=Sum("yhat"), lo=Sum("lo80"), hi=Sum("hi80"))
            .order_by()
        )
        forecast = {str(row["series__variable__subproduct__code"]): dict(row) for row in rows}

    def whole(value: Any) -> int:
        return int(Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    found = []
    for (code, name), values in sorted(current.items()):
        rest = forecast.get(code)
        found.append(
            Projection(
                code,
                name,
                _to(executed.get((code, name), [0] * 12), through),
                whole(rest["yhat"]) if rest else None,
                max(whole(rest["lo"]), 0) if rest else None,
                whole(rest["hi"]) if rest else None,
                sum(values),
            )
        )
    return found


def _on_series(lookup: str) -> str:
    """A lookup on a goal or execution row, on a forecast value's series (its variable measures the subproduct)."""
    if lookup.startswith("subproduct__"):
        return f"series__variable__{lookup}"
    return f"series__{lookup}"


def _lookups(path: dict[str, str], centers: Iterable[int] | None) -> dict[str, Any]:
    """The filter of the drill-down path and the person's scope, as field lookups on a goal or execution row."""
    lookups: dict[str, Any] = {LEVEL_FIELDS[level][0]: code for level, code in path.items()}
    if centers is not None:
        lookups["cost_center_id__in"] = list(centers)
    return lookups


def dashboard(
    plan: OperationalPlan, *, through: int | None = None, path: dict[str, str] | None = None, centers: Any = None
) -> Dashboard:
    """The dashboard of the POA through `through` (default: the last month registered), drilled down along `path`,
    over the cost centers `centers` (None: all; an area liaison's scope otherwise)."""
    path = path or {}
    default, last = months_reached(plan)
    through = default if through is None else max(0, min(last, through))
    query = _lookups(path, centers)
    level = next_level(list(path)[-1]) if path else PRODUCT
    assert level is not None  # clean_path never names the last level
    planned = _sums(PhysicalGoal, plan, _planned, query, level)
    current = _sums(PhysicalGoal, plan, _current, query, level)
    executed = _sums(ExecutedGoal, plan, executed_column, query, level)
    rows = []
    for key in sorted(current.keys() | executed.keys()):
        totals = Totals(
            _to(planned.get(key, [0] * 12), through),
            _to(current.get(key, [0] * 12), through),
            _to(executed.get(key, [0] * 12), through),
        )
        rows.append(Row(key[0], key[1], totals, light(totals.percent), sum(current.get(key, [0] * 12))))
    month_planned = [sum(v[m - 1] for v in planned.values()) for m in MONTHS]
    month_current = [sum(v[m - 1] for v in current.values()) for m in MONTHS]
    month_executed = [sum(v[m - 1] for v in executed.values()) for m in MONTHS]
    total = Totals(_to(month_planned, through), _to(month_current, through), _to(month_executed, through))
    statuses = dict(ExecutionMonth.objects.filter(plan=plan, year=plan.start_year).values_list("month", "status"))
    heat_current = _sums(PhysicalGoal, plan, _current, query, CENTER)
    heat_executed = _sums(ExecutedGoal, plan, executed_column, query, CENTER)
    heat = []
    for key in sorted(heat_current.keys() | heat_executed.keys()):
        cells = []
        for m in range(1, through + 1):
            percent = Totals(0, heat_current.get(key, [0] * 12)[m - 1], heat_executed.get(key, [0] * 12)[m - 1]).percent
            cells.append((percent, light(percent)))
        heat.append(HeatRow(key[0], key[1], cells))
    run = run_for(plan)
    sub_current = _sums(PhysicalGoal, plan, _current, query, SUBPRODUCT)
    sub_executed = _sums(ExecutedGoal, plan, executed_column, query, SUBPRODUCT)
    closed = closed_through(statuses)
    projections = _projections(plan, query, closed, sub_executed, sub_current, run)
    crumbs = _crumbs(plan, path)
    chart = {
        "labels": [str(periods.month_abbr(m)) for m in MONTHS],
        "names": {"planned": str(_("Programada")), "current": str(_("Vigente")), "executed": str(_("Ejecutada"))},
        "planned": month_planned,
        "current": month_current,
        "executed": [
            v if m <= _last_filled(month_executed) else None for m, v in zip(MONTHS, month_executed, strict=True)
        ],
    }
    return Dashboard(
        plan,
        through,
        statuses,
        path,
        crumbs,
        level,
        rows,
        total,
        chart,
        heat,
        projections,
        run,
        list(range(1, through + 1)),
        last,
        units_of(plan, query),
    )


def units_of(plan: OperationalPlan, lookups: dict[str, Any]) -> list[str]:
    """The units of measure of the subproducts of the lines under the filter."""
    rows = PhysicalGoal.objects.filter(plan=plan, **lookups).order_by()
    return sorted(set(rows.values_list("subproduct__unit__name", flat=True).distinct()))


def _last_filled(values: list[int]) -> int:
    return max((m for m, v in zip(MONTHS, values, strict=True) if v), default=0)


def _crumbs(plan: OperationalPlan, path: dict[str, str]) -> list[tuple[str, str, str]]:
    """(level label, code, name) of each level of the path (names read from the plan's rows)."""
    crumbs = []
    for level, code in path.items():
        code_field, name_field = LEVEL_FIELDS[level]
        name = PhysicalGoal.objects.filter(plan=plan, **{code_field: code}).values_list(name_field, flat=True).first()
        crumbs.append((str(LEVEL_LABELS[level]), code, str(name or "")))
    return crumbs


# Whose home page opens with the execution dashboard (everyone on staff has its page).
DASHBOARD_ROLES = frozenset({Role.DIRECTOR_GENERAL, Role.SUBDIRECTOR_PLANIFICACION, Role.JEFE_PLANES_PROGRAMAS})


def approved_poas() -> QuerySet[OperationalPlan]:
    """The approved POAs, the latest year first: those whose execution is registered."""
    return OperationalPlan.objects.filter(kind=PlanKind.ANNUAL, status=PlanStatus.APPROVED).order_by(
        "-start_year", "code"
    )


def home_dashboard() -> Dashboard | None:
    """The dashboard of the latest approved POA, by product, for the directors' home page."""
    plan = approved_poas().first()
    return None if plan is None else dashboard(plan)
