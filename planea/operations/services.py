"""Operational plans: creating the POM and the POA, budget ceilings, and the status changes the P2 case drives
(draft → in review → approved, back to draft when returned). The POA and its POM move together."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot
from planea.core.numbers import NumberError, bounds_for, parse_number
from planea.procedures.models import CaseStatus
from planea.strategy.models import PlanStatus, Product, StrategicPlan, Subproduct

from .models import BudgetCeiling, OperationalPlan, PlanKind


class OperationsError(ValidationError):
    """An operation on a plan that cannot be done; the message is for the person."""


def default_code(kind: str, start_year: int, end_year: int) -> str:
    return f"POA-{start_year}" if kind == PlanKind.ANNUAL else f"POM-{start_year}-{end_year}"


def default_name(kind: str, start_year: int, end_year: int) -> str:
    if kind == PlanKind.ANNUAL:
        return _("Plan Operativo Anual %(year)s") % {"year": start_year}
    return _("Plan Operativo Multianual %(a)s-%(b)s") % {"a": start_year, "b": end_year}


@transaction.atomic
def create_plan(
    *,
    kind: str,
    start_year: int,
    strategic_plan: StrategicPlan,
    actor: Any,
    end_year: int | None = None,
    multiannual: OperationalPlan | None = None,
) -> OperationalPlan:
    if end_year is None:
        end_year = start_year if kind == PlanKind.ANNUAL else start_year + settings.PLANEA_POM_YEARS - 1
    plan = OperationalPlan(
        kind=kind,
        code=default_code(kind, start_year, end_year),
        name=default_name(kind, start_year, end_year),
        start_year=start_year,
        end_year=end_year,
        strategic_plan=strategic_plan,
        multiannual=multiannual,
        created_by=actor,
    )
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # created a moment ago by another request (a double click), after the check above
        raise OperationsError(
            _("El plan %(code)s ya existe: se acaba de crear. Ábralo desde la lista de planes.") % {"code": plan.code}
        ) from exc
    record(actor=actor, action="operational_plan_created", instance=plan, after=snapshot(plan))
    return plan


def _move(plans: list[OperationalPlan], status: str, *, actor: Any, action: str, summary: str) -> None:
    now = timezone.now()
    for plan in plans:
        if plan.status == status:
            continue
        before = {"status": plan.status}
        extra = {"approved_at": now} if status == PlanStatus.APPROVED else {}
        OperationalPlan.objects.filter(pk=plan.pk).update(status=status, **extra)
        plan.refresh_from_db()
        record(
            actor=actor,
            action=action,
            instance=plan,
            before=before,
            after={"status": status},
            summary=summary % {"plan": plan.code},
        )


def plans_of_case(case: Any) -> list[OperationalPlan]:
    """The POA a P2 case carries and its POM."""
    return list(OperationalPlan.objects.select_for_update().filter(case=case).order_by("kind"))


def send_to_review(plans: list[OperationalPlan], *, actor: Any) -> None:
    _move(plans, PlanStatus.REVIEW, actor=actor, action="plan_in_review", summary=_("%(plan)s en revisión"))


def return_to_draft(plans: list[OperationalPlan], *, actor: Any, observations: str) -> None:
    _move(
        plans,
        PlanStatus.DRAFT,
        actor=actor,
        action="plan_returned",
        summary=_("%%(plan)s devuelto para corrección: %(obs)s") % {"obs": observations[:300]},
    )


def approve(plans: list[OperationalPlan], *, actor: Any) -> None:
    """Freeze the plans: programmed goals no longer change; current goals change only by reprogramming."""
    _move(plans, PlanStatus.APPROVED, actor=actor, action="plan_approved", summary=_("%(plan)s aprobado"))


def sent_to_areas(plans: list[OperationalPlan], *, task: Any, actor: Any) -> None:
    """P2 step 11: the approved plans go to the areas with the step's oficio; recorded on each plan."""
    documents = list(task.attachments.values_list("document__number", flat=True))
    for plan in plans:
        record(
            actor=actor,
            action="plan_sent_to_areas",
            instance=plan,
            after={"case": task.case.number, "oficios": documents},
            summary=_("%(plan)s trasladado a las áreas administrativas (%(docs)s)")
            % {"plan": plan.code, "docs": ", ".join(d for d in documents if d) or "—"},
        )


@transaction.atomic
def link_case(poa: OperationalPlan, case: Any, *, actor: Any) -> None:
    """Put the POA, and its POM when that is still a draft, in the P2 case (an approved POM is only a reference)."""
    poa = OperationalPlan.objects.select_related("multiannual").get(pk=poa.pk)
    plans = [poa] + ([poa.multiannual] if poa.multiannual and not poa.multiannual.is_approved else [])
    for plan in plans:
        plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.case_id and plan.case.status == CaseStatus.OPEN:
            raise OperationsError(
                _("%(plan)s ya está en el expediente %(case)s.") % {"plan": plan.code, "case": plan.case.number}
            )
        if not plan.is_editable:
            raise OperationsError(_("%(plan)s no está en borrador.") % {"plan": plan.code})
        OperationalPlan.objects.filter(pk=plan.pk).update(case=case)
        record(
            actor=actor,
            action="plan_case_linked",
            instance=plan,
            after={"case": case.number},
            summary=_("%(plan)s en trámite por el expediente %(case)s") % {"plan": plan.code, "case": case.number},
        )


CEILING_BOUNDS = bounds_for(BudgetCeiling._meta.get_field("amount"))
CeilingKey = tuple[int, int | None]  # product id, subproduct id (None for the product's own ceiling)


def parse_ceilings(fields: dict[str, CeilingKey], data: Any) -> tuple[dict[CeilingKey, Decimal | None], dict[str, str]]:
    """The amounts typed in the ceilings form (`fields` maps input names to keys): empty removes a ceiling. Returns
    the amounts and, per input name, the Spanish problem of each amount that is not one."""
    values: dict[CeilingKey, Decimal | None] = {}
    errors: dict[str, str] = {}
    for name, key in fields.items():
        try:
            values[key] = parse_number(data.get(name, ""), CEILING_BOUNDS)
        except NumberError as exc:
            errors[name] = str(exc)
    return values, errors


@transaction.atomic
def set_ceilings(plan: OperationalPlan, amounts: dict[tuple[int, int | None], Decimal | None], *, actor: Any) -> int:
    """Set the ceilings of products (subproduct None) and subproducts; None removes one. Returns how many changed."""
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_approved:
        raise OperationsError(_("%(plan)s está aprobado; sus techos ya no cambian.") % {"plan": plan.code})
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
        if amount is None:
            current.delete()
        elif current is None:
            BudgetCeiling.objects.create(
                plan=plan, product_id=product_id, subproduct_id=subproduct_id, amount=amount, set_by=actor, set_at=now
            )
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
            summary=_("%(n)s techos presupuestarios registrados en %(plan)s") % {"n": len(after), "plan": plan.code},
        )
    return len(after)
