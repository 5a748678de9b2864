"""Modifications of an approved PEI: a new version, a whole copy of the approved one in draft that names its
origin and the reason (compared with it in compare.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.org.models import Person

from .models import Indicator, IndicatorTarget, PlanStatus, Result, StrategicPlan
from .plans import StrategyError


@transaction.atomic
def new_version(plan: StrategicPlan, *, actor: Person, reason: str) -> StrategicPlan:
    """A modification: copy an approved version, whole, into a new draft that names its origin."""
    reason = reason.strip()
    if not reason:
        raise StrategyError(_("Escriba el motivo de la modificación."))
    source = StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    open_version = (
        StrategicPlan.objects.filter(code=source.code).exclude(status=PlanStatus.APPROVED).order_by("-version").first()
    )
    if open_version is not None:
        raise StrategyError(
            _("%(plan)s ya está en trámite (%(status)s); termine esa versión antes de abrir otra.")
            % {"plan": open_version, "status": open_version.get_status_display().lower()}
        )
    latest = StrategicPlan.objects.filter(code=source.code).order_by("-version").values_list("version", flat=True)[0]
    copy = StrategicPlan.objects.get(pk=source.pk)
    copy.pk = None
    copy.version = latest + 1
    copy.status = PlanStatus.DRAFT
    copy.based_on = source
    copy.case = None
    copy.approved_at = None
    copy.change_reason = reason[:500]
    copy.created_by = actor
    copy.save()
    _copy_content(source, copy)
    record(
        actor=actor,
        action="pei_version_created",
        instance=copy,
        after={"based_on": str(source), "reason": copy.change_reason},
        summary=_("%(new)s creada a partir de %(old)s") % {"new": copy, "old": source},
    )
    return copy


def _copy_content(source: StrategicPlan, target: StrategicPlan) -> None:
    results: dict[int, Result] = {}
    pending = list(source.results.order_by("pk"))
    # Parents first, so that every copied result can point to its copied parent.
    while pending:
        progressed = False
        for result in list(pending):
            if result.parent_id and result.parent_id not in results:
                continue
            old_pk = result.pk
            result.pk = None
            result.plan = target
            result.parent = results[result.parent_id] if result.parent_id else None
            result.save()
            results[old_pk] = result
            pending.remove(result)
            progressed = True
        if not progressed:  # pragma: no cover - a cycle cannot be saved through clean()
            raise StrategyError(_("La cadena de resultados tiene un ciclo."))
    indicators: dict[int, Indicator] = {}
    for indicator in source.indicators.order_by("pk"):
        old_pk = indicator.pk
        indicator.pk = None
        indicator.result = results[indicator.result_id]
        indicator.save()
        indicators[old_pk] = indicator
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(plan=target, indicator=indicators[t.indicator_id], year=t.year, value=t.value)
        for t in source.targets.all()
    )
    for product in source.products.prefetch_related("responsible_units", "subproducts__responsible_units"):
        units = list(product.responsible_units.all())
        subproducts = list(product.subproducts.prefetch_related("responsible_units", "cost_centers"))
        product.pk = None
        product.plan = target
        product.result = results[product.result_id]
        product.save()
        product.responsible_units.set(units)
        for sub in subproducts:
            sub_units = list(sub.responsible_units.all())
            centers = list(sub.cost_centers.all())
            sub.pk = None
            sub.product = product
            sub.save()
            sub.responsible_units.set(sub_units)
            sub.cost_centers.set(centers)
