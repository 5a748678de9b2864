"""The results chain of a PEI version: results (strategic → institutional → intermediate → immediate), their
indicators with baseline and yearly targets, products and subproducts. Created, changed and deleted only while
the version is a draft, each change with its audit event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot
from planea.org.models import Person

from .models import Indicator, IndicatorTarget, PlanContent, Product, Result, StrategicPlan
from .plans import StrategyError, locked_draft


class ChainNode(NamedTuple):
    """A result as the plan page lists it: its depth in the chain, its indicators and its products."""

    result: Result
    depth: int
    indicators: list[Indicator]
    products: list[Product]


def chain(plan: StrategicPlan) -> list[ChainNode]:
    """The results chain in tree order: each result after its parent, siblings by code."""
    results = list(plan.results.select_related("parent"))
    indicators = list(plan.indicators.select_related("responsible_unit").prefetch_related("targets").order_by("code"))
    products = list(
        plan.products.select_related("unit").prefetch_related(
            "responsible_units", "subproducts__unit", "subproducts__cost_centers", "subproducts__responsible_units"
        )
    )
    children: dict[int | None, list[Result]] = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)

    def by_code(of: int | None, depth: int) -> list[tuple[Result, int]]:
        return [(r, depth) for r in sorted(children.get(of, []), key=lambda r: r.code, reverse=True)]

    nodes = []
    pending = by_code(None, 0)  # a stack: the last one is the next in order
    while pending:
        result, depth = pending.pop()
        nodes.append(
            ChainNode(
                result,
                depth,
                [i for i in indicators if i.result_id == result.pk],
                [p for p in products if p.result_id == result.pk],
            )
        )
        pending.extend(by_code(result.pk, depth + 1))
    return nodes


@transaction.atomic
def save_content[C: PlanContent](instance: C, *, actor: Person, m2m: dict[str, Any] | None = None) -> C:
    """Create or change a result, indicator, target, product or subproduct of a draft version."""
    instance.derive_plan()
    plan = locked_draft(instance.plan_id)
    previous = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    before = _content_snapshot(previous) if previous is not None else None
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    after = _content_snapshot(instance)
    if before != after:
        record(
            actor=actor,
            action="pei_content_created" if before is None else "pei_content_updated",
            instance=instance,
            before=before,
            after=after,
            summary=f"{plan} · {instance}",
        )
    return instance


@transaction.atomic
def save_item(
    instance: PlanContent,
    *,
    actor: Person,
    m2m: dict[str, Any] | None = None,
    targets: dict[int, Decimal | None] | None = None,
) -> PlanContent:
    """Create or change an element of the chain as its form posts it: with its many-to-many choices and, for an
    indicator, its target per year (None removes a year's target)."""
    save_content(instance, actor=actor, m2m=m2m)
    if isinstance(instance, Indicator) and targets is not None:
        _save_targets(instance, targets, actor)
    return instance


def _save_targets(indicator: Indicator, targets: dict[int, Decimal | None], actor: Person) -> None:
    stored = {t.year: t for t in indicator.targets.all()}
    for year, value in targets.items():
        target = stored.get(year)
        if value is None:
            if target is not None:
                delete_content(target, actor=actor)
        elif target is None:
            save_content(IndicatorTarget(indicator=indicator, year=year, value=value), actor=actor)
        elif target.value != value:
            target.value = value
            save_content(target, actor=actor)


@transaction.atomic
def delete_content(instance: PlanContent, *, actor: Person) -> None:
    plan = locked_draft(instance.plan_id)
    before = _content_snapshot(instance)
    label = str(instance)
    try:
        instance.delete()
    except ProtectedError as exc:  # a result with products or lower results cannot go
        raise StrategyError(
            _("«%(item)s» no se puede eliminar: otros elementos del PEI dependen de él.") % {"item": label}
        ) from exc
    record(
        actor=actor,
        action="pei_content_deleted",
        object_type=f"strategy.{type(instance)._meta.model_name}",
        object_id=str(before.get("id", "")),
        object_repr=label,
        before=before,
        summary=f"{plan} · {label}",
    )


def _content_snapshot(instance: Model) -> dict[str, Any]:
    data = snapshot(instance)
    for field in instance._meta.many_to_many:
        data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data
