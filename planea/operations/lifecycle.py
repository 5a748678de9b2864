"""The lifecycle of the POA and its POM, driven by their P2 case (procedures/lifecycle.py): linked to the case
while drafts, then together draft → in review (step 9) → visto bueno (step 10, "Está bien") → presented to the
Dirección General (step 10.1) → approved (step 11, which sends the approved POA to the areas), back to draft when
returned (10.2)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planea.audit.services import record
from planea.org.models import Person
from planea.procedures.lifecycle import Event, Lifecycle
from planea.procedures.models import Case, CaseTask

from .models import OperationalPlan
from .plans import OperationsError


def _locked_draft(pk: int) -> OperationalPlan:
    plan = OperationalPlan.objects.select_for_update().get(pk=pk)
    if not plan.is_editable:
        raise OperationsError(_("%(plan)s no está en borrador.") % {"plan": plan.code})
    return plan


PLAN_LIFECYCLE = Lifecycle(
    model=OperationalPlan,
    locked_editable=_locked_draft,
    error=OperationsError,
    linked=Event("plan_case_linked", gettext_lazy("%(plan)s en trámite por el expediente %(case)s")),
    in_review=Event("plan_in_review", gettext_lazy("%(plan)s en revisión")),
    returned=Event("plan_returned", gettext_lazy("%(plan)s devuelto para corrección: %(obs)s")),
    endorsed=Event("plan_endorsed", gettext_lazy("%(plan)s con visto bueno de la Subdirección de Planificación")),
    presented=Event("plan_presented", gettext_lazy("%(plan)s presentado a la Dirección General")),
    approved=Event("plan_approved", gettext_lazy("%(plan)s aprobado")),
)


def plans_of_case(case: Case) -> list[OperationalPlan]:
    """The POA a P2 case carries and its POM, locked."""
    return list(OperationalPlan.objects.select_for_update().filter(case=case).order_by("kind"))


@transaction.atomic
def link_case(poa: OperationalPlan, case: Case, *, actor: Person) -> None:
    """Put the POA, and its POM when that is still a draft, in the P2 case (an approved POM is only a reference)."""
    poa = OperationalPlan.objects.select_related("multiannual").get(pk=poa.pk)
    pom = poa.multiannual
    for plan in [poa] + ([pom] if pom is not None and not pom.is_approved else []):
        PLAN_LIFECYCLE.link_case(plan, case, actor=actor)


def send_to_review(plans: list[OperationalPlan], *, actor: Person | None) -> None:
    PLAN_LIFECYCLE.send_to_review(plans, actor=actor)


def return_to_draft(plans: list[OperationalPlan], *, actor: Person | None, observations: str) -> None:
    PLAN_LIFECYCLE.return_to_draft(plans, actor=actor, observations=observations)


def endorse(plans: list[OperationalPlan], *, actor: Person | None) -> None:
    PLAN_LIFECYCLE.endorse(plans, actor=actor)


def present(plans: list[OperationalPlan], *, actor: Person | None) -> None:
    PLAN_LIFECYCLE.present(plans, actor=actor)


def approve(plans: list[OperationalPlan], *, actor: Person | None) -> None:
    """Freeze the plans: programmed goals no longer change; current goals change only by reprogramming."""
    PLAN_LIFECYCLE.approve(plans, actor=actor)


def sent_to_areas(plans: list[OperationalPlan], *, task: CaseTask, actor: Person | None) -> None:
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
