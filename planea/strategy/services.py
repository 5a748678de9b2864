"""Operations on PEI versions: create, edit while a draft, copy into a new version, and the status changes that the
P1 case drives (draft → in review → approved, back to draft when returned). Each writes its audit event in the same
transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot
from planea.core.richtext import sanitize
from planea.procedures.models import CaseStatus

from .models import (
    ApprovedPlanError,
    Indicator,
    IndicatorTarget,
    PlanContent,
    PlanStatus,
    Result,
    StrategicPlan,
)


class StrategyError(ValidationError):
    """An operation on a PEI that cannot be done; the message is for the person."""


@transaction.atomic
def create_plan(*, actor: Any, **fields: Any) -> StrategicPlan:
    plan = StrategicPlan(created_by=actor, version=1, status=PlanStatus.DRAFT, **fields)
    for name in StrategicPlan.RICH_TEXT_FIELDS:
        setattr(plan, name, sanitize(getattr(plan, name)))
    plan.full_clean()
    if StrategicPlan.objects.filter(code=plan.code).exists():
        raise StrategyError(_("Ya existe un PEI con el código %(code)s; cree una nueva versión.") % {"code": plan.code})
    plan.save()
    record(actor=actor, action="pei_created", instance=plan, after=snapshot(plan))
    return plan


def _locked(plan: StrategicPlan) -> StrategicPlan:
    return StrategicPlan.objects.select_for_update().get(pk=plan.pk)


def _locked_draft(plan_pk: int) -> StrategicPlan:
    """The version, locked; refused unless it is a draft."""
    plan = StrategicPlan.objects.select_for_update().get(pk=plan_pk)
    if plan.is_approved:
        raise ApprovedPlanError(plan)
    if not plan.is_editable:
        raise StrategyError(
            _("%(plan)s está %(status)s; solo se edita un borrador.")
            % {"plan": plan, "status": plan.get_status_display().lower()}
        )
    return plan


@transaction.atomic
def update_plan(plan: StrategicPlan, *, actor: Any, data: dict[str, Any]) -> StrategicPlan:
    """Change the header and frames of a draft version (rich text is sanitized)."""
    current = _locked_draft(plan.pk)
    before = snapshot(current)
    for name, value in data.items():
        setattr(current, name, sanitize(value) if name in StrategicPlan.RICH_TEXT_FIELDS else value)
    current.full_clean()
    current.save()
    record(actor=actor, action="pei_updated", instance=current, before=before, after=snapshot(current))
    return current


@transaction.atomic
def save_content(instance: PlanContent, *, actor: Any, m2m: dict[str, Any] | None = None) -> PlanContent:
    """Create or change a result, indicator, target, product or subproduct of a draft version."""
    instance.derive_plan()
    plan = _locked_draft(instance.plan_id)
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
def delete_content(instance: PlanContent, *, actor: Any) -> None:
    plan = _locked_draft(instance.plan_id)
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


@transaction.atomic
def new_version(plan: StrategicPlan, *, actor: Any, reason: str) -> StrategicPlan:
    """A modification: copy an approved version, whole, into a new draft that names its origin."""
    reason = reason.strip()
    if not reason:
        raise StrategyError(_("Escriba el motivo de la modificación."))
    source = _locked(plan)
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


def _set_status(plan: StrategicPlan, status: str, *, actor: Any, action: str, summary: str, **extra: Any) -> None:
    before = {"status": plan.status}
    StrategicPlan.objects.filter(pk=plan.pk).update(status=status, **extra)
    plan.refresh_from_db()
    record(actor=actor, action=action, instance=plan, before=before, after={"status": status}, summary=summary)


def link_case(plan: StrategicPlan, case: Any, *, actor: Any) -> None:
    current = _locked_draft(plan.pk)
    if current.case_id and current.case.status == CaseStatus.OPEN:
        raise StrategyError(
            _("%(plan)s ya está en el expediente %(case)s.") % {"plan": current, "case": current.case.number}
        )
    StrategicPlan.objects.filter(pk=plan.pk).update(case=case)
    record(
        actor=actor,
        action="pei_case_linked",
        instance=current,
        after={"case": case.number},
        summary=_("%(plan)s en trámite por el expediente %(case)s") % {"plan": current, "case": case.number},
    )


def send_to_review(plan: StrategicPlan, *, actor: Any) -> None:
    if plan.status == PlanStatus.DRAFT:
        _set_status(
            plan, PlanStatus.REVIEW, actor=actor, action="pei_in_review", summary=_("%(p)s en revisión") % {"p": plan}
        )


def return_to_draft(plan: StrategicPlan, *, actor: Any, observations: str) -> None:
    if plan.status == PlanStatus.REVIEW:
        _set_status(
            plan,
            PlanStatus.DRAFT,
            actor=actor,
            action="pei_returned",
            summary=_("%(p)s devuelto con observaciones: %(obs)s") % {"p": plan, "obs": observations[:300]},
        )


def approve(plan: StrategicPlan, *, actor: Any) -> None:
    if plan.status == PlanStatus.APPROVED:
        return
    _set_status(
        plan,
        PlanStatus.APPROVED,
        actor=actor,
        action="pei_approved",
        summary=_("%(p)s aprobado") % {"p": plan},
        approved_at=timezone.now(),
    )


def current_approved(code: str | None = None) -> StrategicPlan | None:
    """The latest approved version (of one PEI, or of the most recent PEI)."""
    plans = StrategicPlan.objects.filter(status=PlanStatus.APPROVED)
    if code:
        plans = plans.filter(code=code)
    return plans.order_by("-start_year", "-version").first()
