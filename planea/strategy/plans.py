"""PEI versions: creating a PEI, changing the header and frames of a draft version, and the latest approved one.
Each write is one transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot
from planea.core.richtext import sanitize
from planea.org.models import Person

from .models import ApprovedPlanError, PlanStatus, StrategicPlan


class StrategyError(ValidationError):
    """An operation on a PEI that cannot be done; the message is for the person."""


@transaction.atomic
def create_plan(*, actor: Person, **fields: Any) -> StrategicPlan:
    plan = StrategicPlan(created_by=actor, version=1, status=PlanStatus.DRAFT, **fields)
    for name in StrategicPlan.RICH_TEXT_FIELDS:
        setattr(plan, name, sanitize(getattr(plan, name)))
    plan.full_clean()
    if StrategicPlan.objects.filter(code=plan.code).exists():
        raise StrategyError(_("Ya existe un PEI con el código %(code)s; cree una nueva versión.") % {"code": plan.code})
    plan.save()
    record(actor=actor, action="pei_created", instance=plan, after=snapshot(plan))
    return plan


def locked_draft(plan_pk: int) -> StrategicPlan:
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
def update_plan(plan: StrategicPlan, *, actor: Person, data: dict[str, Any]) -> StrategicPlan:
    """Change the header and frames of a draft version (rich text is sanitized)."""
    current = locked_draft(plan.pk)
    before = snapshot(current)
    for name, value in data.items():
        setattr(current, name, sanitize(value) if name in StrategicPlan.RICH_TEXT_FIELDS else value)
    current.full_clean()
    current.save()
    record(actor=actor, action="pei_updated", instance=current, before=before, after=snapshot(current))
    return current


def current_approved(code: str | None = None) -> StrategicPlan | None:
    """The latest approved version (of one PEI, or of the most recent PEI)."""
    plans = StrategicPlan.objects.filter(status=PlanStatus.APPROVED)
    if code:
        plans = plans.filter(code=code)
    return plans.order_by("-start_year", "-version").first()
