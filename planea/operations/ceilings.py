"""Budget ceilings of a plan, per product and per subproduct of its PEI: the form's rows (each ceiling beside the
amount of the input matrix it caps), the amounts typed in it, and their one writer. An empty ceiling is not
checked; an approved plan's ceilings no longer change."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.core.numbers import NumberError, bounds_for, parse_number
from planea.org.models import Person
from planea.strategy.models import Product, Subproduct

from .inputs import amounts_by_subproduct
from .models import BudgetCeiling, OperationalPlan
from .plans import OperationsError

CEILING_BOUNDS = bounds_for(BudgetCeiling._meta.get_field("amount"))
CeilingKey = tuple[int, int | None]  # product id, subproduct id (None for the product's own ceiling)


class CeilingRow(NamedTuple):
    """A line of the ceilings form: a product (subproduct None) or one of its subproducts."""

    product: Product
    subproduct: Subproduct | None
    field: str  # the name of its input
    ceiling: Decimal | None  # the one stored, None when there is none
    amount: Decimal  # what the input matrix asks for it


def field_name(key: CeilingKey) -> str:
    return f"t-{key[0]}-{key[1] or 0}"


def _products(plan: OperationalPlan) -> list[Product]:
    return list(Product.objects.filter(plan=plan.strategic_plan).prefetch_related("subproducts").order_by("code"))


def rows(plan: OperationalPlan, readable: Collection[int] | None, units: Collection[int] | None) -> list[CeilingRow]:
    """The form's lines, by code: every product and its subproducts, or only the `readable` subproducts (and their
    products); amounts of the matrix lines of `units`, or of every area's."""
    stored = {(c.product_id, c.subproduct_id): c.amount for c in plan.ceilings.all()}
    amounts = amounts_by_subproduct(plan, units=None if units is None else set(units))
    lines = []
    for product in _products(plan):
        subproducts = sorted(product.subproducts.all(), key=lambda s: s.code)
        if readable is not None:
            subproducts = [s for s in subproducts if s.pk in readable]
            if not subproducts:
                continue
        total = sum((amounts.get(s.pk, Decimal(0)) for s in subproducts), Decimal(0))
        key: CeilingKey = (product.pk, None)
        lines.append(CeilingRow(product, None, field_name(key), stored.get(key), total))
        for sub in subproducts:
            key = (product.pk, sub.pk)
            lines.append(CeilingRow(product, sub, field_name(key), stored.get(key), amounts.get(sub.pk, Decimal(0))))
    return lines


def parse(plan: OperationalPlan, data: Mapping[str, str]) -> tuple[dict[CeilingKey, Decimal | None], dict[str, str]]:
    """The amounts typed in the plan's ceilings form: empty removes a ceiling. Returns the amounts by key and, per
    input name, the Spanish problem of each amount that is not one."""
    values: dict[CeilingKey, Decimal | None] = {}
    errors: dict[str, str] = {}
    for product in _products(plan):
        for key in [(product.pk, None), *((product.pk, s.pk) for s in product.subproducts.all())]:
            name = field_name(key)
            try:
                values[key] = parse_number(data.get(name, ""), CEILING_BOUNDS)
            except NumberError as exc:
                errors[name] = str(exc)
    return values, errors


@transaction.atomic
def set_ceilings(plan: OperationalPlan, amounts: Mapping[CeilingKey, Decimal | None], *, actor: Person) -> int:
    """Set the ceilings of products (subproduct None) and subproducts; None removes one. Returns how many changed."""
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_approved:
        raise OperationsError(_("%(plan)s está aprobado; sus techos ya no cambian.") % {"plan": plan.code})
    if not plan.is_editable:  # in review or on to approval: the anteproyectos were made with these ceilings
        raise OperationsError(
            _("%(plan)s no está en borrador (%(status)s); sus techos se cambian cuando vuelva a borrador.")
            % {"plan": plan.code, "status": plan.get_status_display()}
        )
    products = {p.pk: p for p in Product.objects.filter(plan=plan.strategic_plan)}
    subproducts = {s.pk: s for s in Subproduct.objects.filter(plan=plan.strategic_plan)}
    stored = {(c.product_id, c.subproduct_id): c for c in plan.ceilings.all()}
    before, after = {}, {}
    now = timezone.now()
    for (product_id, subproduct_id), amount in amounts.items():
        if product_id not in products or (subproduct_id is not None and subproduct_id not in subproducts):
            raise OperationsError(_("El producto o subproducto no es del PEI del plan."))
        if amount is not None and amount < 0:
            raise OperationsError(_("Un techo no puede ser negativo."))
        current = stored.get((product_id, subproduct_id))
        old = current.amount if current else None
        if old == amount:
            continue
        label = (subproducts[subproduct_id] if subproduct_id else products[product_id]).code
        before[label], after[label] = old, amount
        if current is None:
            if amount is not None:
                BudgetCeiling.objects.create(
                    plan=plan,
                    product_id=product_id,
                    subproduct_id=subproduct_id,
                    amount=amount,
                    set_by=actor,
                    set_at=now,
                )
        elif amount is None:
            current.delete()
        else:
            current.amount, current.set_by, current.set_at = amount, actor, now
            current.save()
    if after:
        record(
            actor=actor,
            action="ceilings_set",
            instance=plan,
            before=before,
            after=after,
            summary=ngettext(
                "%(n)s techo presupuestario registrado en %(plan)s",
                "%(n)s techos presupuestarios registrados en %(plan)s",
                len(after),
            )
            % {"n": len(after), "plan": plan.code},
        )
    return len(after)
