"""The migrations that name approvals as the manual does: a POA and POM recorded "approved" at the visto bueno while
their P2 case waits at step 10.1 become "Con visto bueno" (at step 11: "Presentado a la Dirección General"), with
their approval date cleared and one audit event each; a PEI version in review whose P1 case is past the visto bueno
becomes "Con visto bueno". Plans whose case has ended stay approved."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.operations import case_link
from planea.operations.models import OperationalPlan
from planea.procedures.drive import step_through
from planea.strategy import case_link as strategy_case_link
from planea.strategy.models import PlanStatus, StrategicPlan
from planea.strategy.plans import create_plan as create_pei

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("operations", "0008_goal_totals"), ("strategy", "0002_ascii_codes")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def test_plans_approved_at_the_visto_bueno_go_back_to_where_their_case_is(plans, demo):
    poa, pom = plans["poa"], plans["pom"]
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="10.1", people=demo)  # the visto bueno given: Planea used to record it approved
    OperationalPlan.objects.filter(pk__in=[poa.pk, pom.pk]).update(status="approved", approved_at=timezone.now())
    pei = create_pei(
        actor=demo["jefe_planes_programas"], code="PEI-2027-2031", name="PEI", start_year=2027, end_year=2031
    )
    p1 = strategy_case_link.start_case(pei, actor=demo["subdirector_planificacion"])
    step_through(p1, until="10", people=demo)  # at SEGEPLAN, after the visto bueno of step 9
    StrategicPlan.objects.filter(pk=pei.pk).update(status="review")
    graph = MigrationExecutor(connection).loader.graph
    # Back to the latest migration of every app: migrating operations back also unapplied the apps that depend on it
    # (statistics, forecasting), whose tables the tests after this one in the same process need.
    latest = graph.leaf_nodes()
    try:
        migrate(BEFORE)
    finally:
        migrate(latest)
    for plan in (poa, pom):
        plan.refresh_from_db()
        assert (plan.status, plan.approved_at) == (PlanStatus.ENDORSED, None)
    pei.refresh_from_db()
    assert pei.status == PlanStatus.ENDORSED
    corrected = AuditEvent.objects.filter(action="plan_status_corrected").order_by("seq")
    assert [event.object_repr for event in corrected] == ["POA-2026", "POM-2026-2030"]
    assert corrected[0].after == {"status": "endorsed", "approved_at": None}
    assert "paso 10.1" in corrected[0].summary and corrected[0].actor_username == "sistema"
    assert AuditEvent.objects.filter(action="pei_status_corrected", object_id=str(pei.pk)).count() == 1
    assert verify_chain().ok
    # The case goes on as the manual says: presented at 10.1, approved when step 11 sends it.
    step_through(case, until="11", people=demo)
    poa.refresh_from_db()
    assert poa.status == PlanStatus.PRESENTED
    step_through(case, issue_oficios=True, people=demo)
    poa.refresh_from_db()
    assert poa.is_approved and poa.approved_at
