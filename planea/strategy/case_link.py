"""The P1 case drives its PEI version as the manual's steps say: finishing step 8 sends the version to review by the
Subdirección de Planificación; "No tiene observaciones" at step 9 is its visto bueno (it goes on to SEGEPLAN); a
return (9.1, 10.2) puts it back in draft for corrections; step 11 presents it to the Dirección General and the
Autoridad Migratoria Nacional for their final approval; and step 12, which sends the approved PEI to those
responsible, records it approved (the case's conclusion). Runs inside the step's transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from planea.org.models import Person
from planea.procedures import cases
from planea.procedures.links import Link, register
from planea.procedures.manual import P1
from planea.procedures.models import Case, CaseTask
from planea.procedures.signals import Outcome, step_completed

from . import lifecycle
from .models import StrategicPlan

SEND_FOR_REVIEW_STEP = "8"
REVIEW_STEP = "9"
ENDORSED_BRANCH = "9.2"
PRESENTING_STEP = "11"


@transaction.atomic
def start_case(plan: StrategicPlan, *, actor: Person) -> Case:
    """Open the P1 case (expediente) that carries this draft version to approval."""
    case = cases.start_case(
        code=P1.code,
        title=_("Plan Estratégico Institucional %(code)s, versión %(version)s")
        % {"code": plan.code, "version": plan.version},
        subject=str(plan),
        actor=actor,
    )
    lifecycle.link_case(plan, case, actor=actor)
    return case


@register
def pei_links(case: Case, user: Any) -> list[Link]:
    return [
        Link(
            plan.label,
            reverse("strategy:detail", args=[plan.pk]),
            plan.get_status_display(),
        )
        for plan in StrategicPlan.objects.filter(case=case)
    ]


@receiver(step_completed, sender=Case)
def follow_p1(
    sender: type[Case], case: Case, task: CaseTask, target: str, outcome: Outcome, actor: Person, **kwargs: Any
) -> None:
    if case.definition.key != P1.key:
        return
    plan = StrategicPlan.objects.filter(case=case).first()
    if plan is None:
        return
    if outcome == Outcome.CONCLUDED:
        lifecycle.approve(plan, actor=actor)
    elif task.number == SEND_FOR_REVIEW_STEP:
        lifecycle.send_to_review(plan, actor=actor)
    elif task.number == REVIEW_STEP and target == ENDORSED_BRANCH:
        lifecycle.endorse(plan, actor=actor)
    elif task.number == PRESENTING_STEP:
        lifecycle.present(plan, actor=actor)
    elif outcome == Outcome.RETURNED:
        lifecycle.return_to_draft(plan, actor=actor, observations=task.observations)
