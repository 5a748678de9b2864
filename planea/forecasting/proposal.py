"""The forecast proposal of a run, in the terms of the goals: per subproduct × cost center × month of the target
year, the forecast and its intervals, from the cost-center series of the variables that measure each subproduct
(`StatisticalVariable.subproduct`). Steps 3 to 8 of P5 read the proposal from here and nowhere else.

When several variables measure one subproduct their forecasts add up; the bounds of a sum are taken as the sum of
the bounds, which is wider than the true interval (conservative) and is said so on the pages that show it.
Institution-wide variables have no cost center and so no goal cell: they are left out of the proposal.

A variable points at the subproduct of one PEI version; a new version copies its subproducts with the same codes.
The proposal of a plan is read by subproduct code in the plan's own PEI, so that a variable keeps measuring its
subproduct across versions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import astuple, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from planea.strategy.models import Subproduct

from .models import ForecastRun, ForecastValue, SeriesLevel

ZERO = Decimal(0)


def whole(value: Decimal) -> int:
    """A forecast quantity as the whole units a goal takes (half up)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Band:
    """A forecast month (or a sum of months): the forecast and its 80 % and 95 % bounds."""

    yhat: Decimal = ZERO
    lo80: Decimal = ZERO
    hi80: Decimal = ZERO
    lo95: Decimal = ZERO
    hi95: Decimal = ZERO

    def __add__(self, other: Band) -> Band:
        return Band(
            self.yhat + other.yhat,
            self.lo80 + other.lo80,
            self.hi80 + other.hi80,
            self.lo95 + other.lo95,
            self.hi95 + other.hi95,
        )


@dataclass
class ProposalLine:
    """The proposal of one subproduct at one cost center: the months of the target year and the variables behind."""

    subproduct_id: int
    cost_center_id: int
    months: dict[int, Band] = field(default_factory=dict)
    variables: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)

    def month(self, month: int) -> Band:
        return self.months.get(month, Band())

    @property
    def total(self) -> Band:
        """The year as the goals take it: the whole quantities of the twelve cells added up (what step 6 fills in
        and step 7 writes when nobody adjusts them), with the bounds of the months added up."""
        result = Band()
        for band in self.months.values():
            result = result + band
        return Band(Decimal(sum(self.rounded(month) for month in self.months)), *astuple(result)[1:])

    def rounded(self, month: int) -> int:
        """The whole quantity a goal cell takes from the forecast of a month (goals are whole units; half up)."""
        return whole(self.month(month).yhat)


type LineKey = tuple[int, int]  # subproduct, cost center


def proposal(
    run: ForecastRun, strategic_plan_id: int, *, subproduct_code: str | None = None
) -> dict[LineKey, ProposalLine]:
    """Every line of the run's proposal for the subproducts of PEI `strategic_plan_id` (or only the one with
    `subproduct_code`), by (subproduct, cost center), in two queries."""
    subproducts = Subproduct.objects.filter(plan_id=strategic_plan_id)
    own = dict(
        (subproducts if subproduct_code is None else subproducts.filter(code=subproduct_code)).values_list("code", "pk")
    )
    rows = (
        ForecastValue.objects.filter(
            series__run=run,
            series__level=SeriesLevel.COST_CENTER,
            series__cost_center__isnull=False,
            series__variable__subproduct__code__in=own,
        )
        .values_list(
            "series__variable__subproduct__code",
            "series__cost_center_id",
            "series__variable__code",
            "series__model",
            "month",
            "yhat",
            "lo80",
            "hi80",
            "lo95",
            "hi95",
        )
        .order_by("series__variable__code", "series__cost_center_id", "month")
    )
    lines: dict[LineKey, ProposalLine] = {}
    sums: dict[LineKey, dict[int, Band]] = defaultdict(dict)
    for subproduct_code, center, code, model, month, *bounds in rows:
        if subproduct_code not in own:
            continue
        key = (own[subproduct_code], center)
        line = lines.setdefault(key, ProposalLine(key[0], center))
        if code not in line.variables:
            line.variables.append(code)
            line.models.append(model)
        sums[key][month] = sums[key].get(month, Band()) + Band(*bounds)
    for key, months in sums.items():
        lines[key].months = months
    return lines
