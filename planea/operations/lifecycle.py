"""The status changes the P2 case drives on its POA and POM (draft → in review → approved, back to draft when
returned), the link of the plans to the case and their sending to the areas. The POA and its POM move together."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.procedures.models import CaseStatus
from planea.strategy.models import PlanStatus

from .models import OperationalPlan
from .plans import OperationsError


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
