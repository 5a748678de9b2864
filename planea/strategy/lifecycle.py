"""The status changes the P1 case drives on its PEI version (draft → in review → approved, back to draft when
returned), and the link of the version to the case."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.procedures.models import CaseStatus

from .models import PlanStatus, StrategicPlan
from .plans import StrategyError, locked_draft


def _set_status(plan: StrategicPlan, status: str, *, actor: Any, action: str, summary: str, **extra: Any) -> None:
    before = {"status": plan.status}
    StrategicPlan.objects.filter(pk=plan.pk).update(status=status, **extra)
    plan.refresh_from_db()
    record(actor=actor, action=action, instance=plan, before=before, after={"status": status}, summary=summary)


def link_case(plan: StrategicPlan, case: Any, *, actor: Any) -> None:
    current = locked_draft(plan.pk)
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
