"""P5 step 5: the forecast proposal set against the money (analiza la propuesta contra las metas financieras).

Per subproduct of the POA:
- unit cost = the POA's matrix cost of the subproduct (Σ quantity × unit price of its matriz de insumos lines, every
  area and month: operations.inputs.amounts_by_subproduct) ÷ the POA's programmed quantity of the subproduct (the
  sum of its physical goals of the year, every cost center);
- proposal cost = the forecast quantity of the year (the proposal's sum over cost centers and months) × unit cost;
- set against the budget ceilings (techos) as operations.inputs.consistency keys them: a ceiling of the subproduct
  (product, subproduct) and one of its product (product, None). A subproduct whose proposal cost exceeds its own
  ceiling cannot be covered; a product whose subproducts' proposal costs add up to more than its ceiling cannot be
  covered either. The shortfall is the excess, in quetzales.

A subproduct without matrix lines or without programmed goals has no unit cost: it is said, never taken as zero,
and its product's sum is marked incomplete."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from planea.operations import inputs
from planea.operations.goals import year_total
from planea.operations.models import PhysicalGoal
from planea.strategy.models import Product

from .models import Programming
from .proposal import proposal

ZERO = Decimal(0)
CENT = inputs.CENT
UNIT_COST_PLACES = Decimal("0.000001")  # a service of a few centavos still shows its cost


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, context=inputs.WIDE)


@dataclass
class SubproductMoney:
    code: str
    name: str
    unit: str
    forecast: Decimal | None  # quantity of the year; None: the run has no forecast of it
    matrix_amount: Decimal | None  # None: no matrix lines
    planned: int  # programmed quantity of the POA
    ceiling: Decimal | None

    @property
    def missing(self) -> str:
        """Why there is no unit cost (or no proposal cost), as the page says it; empty when there is."""
        if self.matrix_amount is None:
            return _("sin matriz de insumos: no hay costo unitario")
        if not self.planned:
            return _("sin metas programadas en el POA: no hay costo unitario")
        if self.forecast is None:
            return _("sin pronóstico en la corrida")
        return ""

    @property
    def unit_cost(self) -> Decimal | None:
        if self.matrix_amount is None or not self.planned:
            return None
        return self.matrix_amount / self.planned

    @property
    def unit_cost_shown(self) -> Decimal | None:
        cost = self.unit_cost
        return None if cost is None else cost.quantize(UNIT_COST_PLACES, context=inputs.WIDE)

    @property
    def cost(self) -> Decimal | None:
        """Forecast quantity × unit cost, in quetzales (computed with the exact ratio, then to the cent)."""
        if self.unit_cost is None or self.forecast is None or self.matrix_amount is None:
            return None
        return money(self.forecast * self.matrix_amount / self.planned)

    @property
    def shortfall(self) -> Decimal:
        cost = self.cost
        if cost is None or self.ceiling is None or cost <= self.ceiling:
            return ZERO
        return cost - self.ceiling

    @property
    def uncovered(self) -> bool:
        return self.shortfall > 0


@dataclass
class ProductMoney:
    code: str
    name: str
    ceiling: Decimal | None
    subproducts: list[SubproductMoney] = field(default_factory=list)

    @property
    def cost(self) -> Decimal:
        """The proposal costs of its subproducts that have one (see `incomplete`)."""
        return sum((s.cost for s in self.subproducts if s.cost is not None), ZERO)

    @property
    def incomplete(self) -> bool:
        return any(s.cost is None and s.forecast is not None for s in self.subproducts)

    @property
    def shortfall(self) -> Decimal:
        if self.ceiling is None or self.cost <= self.ceiling:
            return ZERO
        return self.cost - self.ceiling

    @property
    def uncovered(self) -> bool:
        return self.shortfall > 0


@dataclass
class MoneyReport:
    products: list[ProductMoney] = field(default_factory=list)

    @property
    def subproducts(self) -> list[SubproductMoney]:
        return [s for p in self.products for s in p.subproducts]

    @property
    def uncovered_subproducts(self) -> list[SubproductMoney]:
        return [s for s in self.subproducts if s.uncovered]

    @property
    def uncovered_products(self) -> list[ProductMoney]:
        return [p for p in self.products if p.uncovered]

    @property
    def without_unit_cost(self) -> list[SubproductMoney]:
        return [s for s in self.subproducts if s.forecast is not None and s.unit_cost is None]

    @property
    def total_cost(self) -> Decimal:
        return sum((p.cost for p in self.products), ZERO)

    @property
    def total_ceiling(self) -> Decimal:
        return sum((p.ceiling or ZERO for p in self.products), ZERO)

    @property
    def total_shortfall(self) -> Decimal:
        """What the budget lacks: per product, its own shortfall or (when larger) its subproducts' together."""
        return sum((max(p.shortfall, sum((s.shortfall for s in p.subproducts), ZERO)) for p in self.products), ZERO)


def money_report(programming: Programming) -> MoneyReport:
    """The proposal of the programming's run against the POA's unit costs and ceilings; products and subproducts
    of the POA's PEI that have a forecast, goals or matrix lines, in code order."""
    plan = programming.plan
    forecasts: dict[int, Decimal] = defaultdict(Decimal)
    if programming.run is not None:
        for (subproduct_id, _center), proposed in proposal(programming.run, plan.strategic_plan_id).items():
            forecasts[subproduct_id] += proposed.total.yhat
    amounts = inputs.amounts_by_subproduct(plan)
    planned = {
        pk: int(total or 0)
        for pk, total in PhysicalGoal.objects.filter(plan=plan)
        .values_list("subproduct_id")
        .annotate(total=Sum(year_total(plan, "planned")))
        .order_by()
    }
    ceilings = {(c.product_id, c.subproduct_id): c.amount for c in plan.ceilings.all()}
    report = MoneyReport()
    products = Product.objects.filter(plan=plan.strategic_plan).prefetch_related("subproducts__unit").order_by("code")
    for product in products:
        line = ProductMoney(product.code, product.name, ceilings.get((product.pk, None)))
        for sub in sorted(product.subproducts.all(), key=lambda s: s.code):
            if sub.pk not in forecasts and sub.pk not in amounts and not planned.get(sub.pk):
                continue
            line.subproducts.append(
                SubproductMoney(
                    sub.code,
                    sub.name,
                    sub.unit.name,
                    forecasts.get(sub.pk),
                    amounts.get(sub.pk),
                    planned.get(sub.pk, 0),
                    ceilings.get((product.pk, sub.pk)),
                )
            )
        if line.subproducts:
            report.products.append(line)
    return report
