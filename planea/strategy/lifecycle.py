"""The lifecycle of a PEI version, driven by its P1 case (procedures/lifecycle.py): linked to the case while a
draft, then draft → in review (step 8) → visto bueno (step 9, no observations; it goes on to SEGEPLAN) → presented
to the Dirección General and the Autoridad Migratoria Nacional (step 11) → approved (step 12, which sends the
approved PEI), back to draft when returned (9.1, 10.2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from planea.org.models import Person
from planea.procedures.lifecycle import Event, Lifecycle
from planea.procedures.models import Case

from .models import StrategicPlan
from .plans import StrategyError, locked_draft

PEI_LIFECYCLE = Lifecycle(
    model=StrategicPlan,
    locked_editable=locked_draft,
    error=StrategyError,
    linked=Event("pei_case_linked", _("%(plan)s en trámite por el expediente %(case)s")),
    in_review=Event("pei_in_review", _("%(plan)s en revisión")),
    returned=Event("pei_returned", _("%(plan)s devuelto con observaciones: %(obs)s")),
    endorsed=Event("pei_endorsed", _("%(plan)s con visto bueno de la Subdirección de Planificación")),
    presented=Event("pei_presented", _("%(plan)s remitido a la Dirección General para su aprobación")),
    approved=Event("pei_approved", _("%(plan)s aprobado")),
)


def link_case(plan: StrategicPlan, case: Case, *, actor: Person) -> None:
    PEI_LIFECYCLE.link_case(plan, case, actor=actor)


def send_to_review(plan: StrategicPlan, *, actor: Person | None) -> None:
    PEI_LIFECYCLE.send_to_review([plan], actor=actor)


def return_to_draft(plan: StrategicPlan, *, actor: Person | None, observations: str) -> None:
    PEI_LIFECYCLE.return_to_draft([plan], actor=actor, observations=observations)


def endorse(plan: StrategicPlan, *, actor: Person | None) -> None:
    PEI_LIFECYCLE.endorse([plan], actor=actor)


def present(plan: StrategicPlan, *, actor: Person | None) -> None:
    PEI_LIFECYCLE.present([plan], actor=actor)


def approve(plan: StrategicPlan, *, actor: Person | None) -> None:
    PEI_LIFECYCLE.approve([plan], actor=actor)
