"""Money of a plan: amounts of the matriz de insumos by subproduct and product, and the consistency check against
the budget ceilings and the physical goals. Amounts are quantity × the unit price recorded on the line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Context, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum

from planea.strategy.models import Product, Subproduct

from .goals import year_total
from .models import InputRequirement, OperationalPlan, PhysicalGoal

# Wide enough for the largest quantity times the largest price (14 digits each) summed over many lines: read back
# on SQLite, a narrower field would refuse the sum and break every page that shows it.
AMOUNT = ExpressionWrapper(F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=34, decimal_places=4))
CENT = Decimal("0.01")
WIDE = Context(prec=40)


def _money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(CENT, context=WIDE)


def amounts_by_subproduct(plan: OperationalPlan, units: set[int] | None = None) -> dict[int, Decimal]:
    """Amount of the matrix per subproduct: every area's lines, or those of `units`."""
    lines = InputRequirement.objects.filter(plan=plan)
    if units is not None:
        lines = lines.filter(org_unit_id__in=units)
    rows = lines.values_list("subproduct_id").annotate(total=Sum(AMOUNT)).order_by()
    return {pk: _money(total) for pk, total in rows}


def amounts_by_product(plan: OperationalPlan) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    product_of = dict(Subproduct.objects.filter(plan=plan.strategic_plan).values_list("pk", "product_id"))
    for subproduct_id, amount in amounts_by_subproduct(plan).items():
        totals[product_of[subproduct_id]] += amount
    return dict(totals)


@dataclass
class MoneyLine:
    code: str
    name: str
    amount: Decimal
    ceiling: Decimal | None
    is_product: bool
    goals: int | None = 0  # None for a product whose subproducts are measured in different units: no sum
    unit: str = ""  # the unit of measure of the goals

    @property
    def excess(self) -> Decimal:
        return self.amount - self.ceiling if self.ceiling is not None and self.amount > self.ceiling else Decimal(0)

    @property
    def available(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.amount


@dataclass
class Consistency:
    lines: list[MoneyLine] = field(default_factory=list)
    over_ceiling: list[MoneyLine] = field(default_factory=list)
    goals_without_inputs: list[MoneyLine] = field(default_factory=list)
    inputs_without_goals: list[MoneyLine] = field(default_factory=list)
    ceilings_above_product: list[tuple[MoneyLine, Decimal]] = field(default_factory=list)
    total_amount: Decimal = Decimal(0)
    total_ceiling: Decimal = Decimal(0)

    @property
    def problems(self) -> int:
        return (
            len(self.over_ceiling)
            + len(self.goals_without_inputs)
            + len(self.inputs_without_goals)
            + len(self.ceilings_above_product)
        )


def consistency(plan: OperationalPlan) -> Consistency:
    """Products and subproducts with their amounts and ceilings, and what does not add up."""
    amounts = amounts_by_subproduct(plan)
    goals = dict(
        PhysicalGoal.objects.filter(plan=plan)
        .values_list("subproduct_id")
        .annotate(total=Sum(year_total(plan, "current")))
        .order_by()
    )
    ceilings = {(c.product_id, c.subproduct_id): c.amount for c in plan.ceilings.all()}
    report = Consistency()
    products = Product.objects.filter(plan=plan.strategic_plan).prefetch_related("subproducts__unit").order_by("code")
    for product in products:
        subs = sorted(product.subproducts.all(), key=lambda s: s.code)
        units = {s.unit.name for s in subs if goals.get(s.pk)}  # goals add up only within one unit of measure
        product_line = MoneyLine(
            product.code,
            product.name,
            sum((amounts.get(s.pk, Decimal(0)) for s in subs), Decimal(0)),
            ceilings.get((product.pk, None)),
            True,
            sum(int(goals.get(s.pk) or 0) for s in subs) if len(units) <= 1 else None,
            next(iter(units)) if len(units) == 1 else "",
        )
        report.lines.append(product_line)
        if product_line.excess:
            report.over_ceiling.append(product_line)
        sub_ceilings = Decimal(0)
        for sub in subs:
            line = MoneyLine(
                sub.code,
                sub.name,
                amounts.get(sub.pk, Decimal(0)),
                ceilings.get((product.pk, sub.pk)),
                False,
                int(goals.get(sub.pk) or 0),
                sub.unit.name,
            )
            report.lines.append(line)
            sub_ceilings += line.ceiling or 0
            if line.excess:
                report.over_ceiling.append(line)
            if line.goals and sub.pk not in amounts:
                report.goals_without_inputs.append(line)
            if sub.pk in amounts and not line.goals:
                report.inputs_without_goals.append(line)
        if product_line.ceiling is not None and sub_ceilings > product_line.ceiling:
            report.ceilings_above_product.append((product_line, sub_ceilings))
        report.total_amount += product_line.amount
        report.total_ceiling += product_line.ceiling or 0
    return report
