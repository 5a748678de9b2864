"""P5 steps 6 and 7 (forecasting/incorporation.py): step 6 arrives with the POA's lines without goals filled from
the rounded forecast (one audited write; lines with goals untouched), and completing step 7 incorporates the goals
as they stand into the draft POA — one audit event with its counts and totals — and is refused on a POA that is not
a draft."""

import pytest

from planea.audit.models import AuditEvent
from planea.forecasting import incorporation
from planea.forecasting.comparison import comparison
from planea.forecasting.proposal import proposal
from planea.operations import goals
from planea.operations.models import PhysicalGoal
from planea.procedures import cases
from planea.procedures.drive import ready, supply_documents
from planea.procedures.errors import ProcedureError
from planea.strategy.models import PlanStatus

from .p5 import at_step_3, started, walk

pytestmark = pytest.mark.django_db

MONTHS = range(1, 13)


@pytest.fixture
def chosen(plans, demo, done_run):
    return at_step_3(started(plans, demo), done_run, demo)


def poa_rows(plans):
    return {
        g.cost_center.code: g
        for g in PhysicalGoal.objects.filter(plan=plans["poa"], subproduct=plans["land"], year=2026).select_related(
            "cost_center"
        )
    }


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_step_6_arrives_with_the_empty_lines_filled_from_the_forecast(plans, demo, chosen, done_run, client_as):
    rows = poa_rows(plans)
    first, second, *_ = sorted(rows)
    kept = {code: [row.value("planned", m) for m in MONTHS] for code, row in rows.items()}
    rows[first].delete()  # a line without a row
    PhysicalGoal.objects.filter(pk=rows[second].pk).update(**{f"planned_{m}": 0 for m in MONTHS})  # a line at 0
    walk(chosen, "6", demo)
    page = client_as("jefe_planes_programas").get(f"/expedientes/{chosen.case.pk}/").content.decode()
    assert 'data-testid="step-p5-adjust"' in page and f"/planes/{plans['poa'].pk}/metas/" in page
    after = poa_rows(plans)
    lines = proposal(done_run, plans["poa"].strategic_plan_id)
    for code in (first, second):
        row = after[code]
        line = lines[(plans["land"].pk, row.cost_center_id)]
        assert [row.value("planned", m) for m in MONTHS] == [line.rounded(m) for m in MONTHS]
        assert [row.value("current", m) for m in MONTHS] == [line.rounded(m) for m in MONTHS]  # a draft
    for code, values in kept.items():
        if code not in (first, second):
            assert [after[code].value("planned", m) for m in MONTHS] == values  # lines with goals untouched
    (event,) = events("p5_goals_prefilled")
    assert event.summary == f"POA-2026: 24 metas sin programar tomadas del pronóstico ({chosen.case.number})"


def test_step_7_incorporates_the_adjusted_goals_in_one_event(plans, demo, chosen, done_run, client_as):
    walk(chosen, "7", demo)
    jefe = demo["jefe_planes_programas"]
    rows = poa_rows(plans)
    code = sorted(rows)[0]
    with goals.transaction.atomic():  # the jefe adjusts one cell at step 6 in the grid
        goals.write(
            goals.lock_plan(plans["poa"]),
            {(plans["land"].pk, rows[code].cost_center_id, 2026, 3): 4321},
            actor=jefe,
            action="goals_saved",
            summary="%(n)s",
        )
    page = client_as("jefe_planes_programas").get(f"/expedientes/{chosen.case.pk}/").content.decode()
    assert 'data-testid="step-p5-incorporate"' in page
    assert "como los comparó el paso 3" in page  # why its totals are not step 3's
    preview = incorporation.preview(chosen)
    task = ready(chosen.case)[0]
    assert task.number == "7"
    cases.complete(task, actor=jefe)
    (event,) = events("p5_goals_incorporated")
    stored = poa_rows(plans)
    assert event.after["lines"] == len(stored) == preview.lines
    assert event.after["cells"] == sum(1 for row in stored.values() for m in MONTHS if row.value("planned", m))
    assert event.after["adjusted"] >= 1 and event.after["prefilled_cells"] == 0
    assert event.after["totals"]["P02-02"]["programmed"] == sum(
        row.value("planned", m) for row in stored.values() for m in MONTHS
    )
    lines = proposal(done_run, plans["poa"].strategic_plan_id)
    assert event.after["totals"]["P02-02"]["forecast"] == sum(
        line.rounded(m) for line in lines.values() for m in MONTHS
    )
    # Step 3 compared the same whole quantities: its forecast of the subproduct is what step 7 reports.
    (group,) = [g for g in comparison(chosen).subproducts if g.subproduct_code == "P02-02"]
    assert group.total.forecast_whole == event.after["totals"]["P02-02"]["forecast"]
    assert len(event.after["sha256"]) == 64 and event.object_repr == "POA-2026"
    assert stored[code].value("planned", 3) == stored[code].value("current", 3) == 4321
    chosen.refresh_from_db()
    assert chosen.incorporated_by == jefe and chosen.incorporated_at is not None
    assert events("p5_goals_prefilled") == []  # every line had goals: nothing to fill
    assert ready(chosen.case)[0].number == "8"


def test_incorporation_is_refused_unless_the_poa_is_a_draft(plans, demo, chosen):
    walk(chosen, "7", demo)
    type(plans["poa"]).objects.filter(pk=plans["poa"].pk).update(status=PlanStatus.APPROVED)
    task = ready(chosen.case)[0]
    supply_documents(task, demo["jefe_planes_programas"])
    with pytest.raises(ProcedureError, match="POA-2026 está aprobado"):
        cases.complete(task, actor=demo["jefe_planes_programas"])
    task.refresh_from_db()
    chosen.refresh_from_db()
    assert task.status == "ready" and chosen.incorporated_at is None and events("p5_goals_incorporated") == []


def test_step_6_is_not_reached_while_the_poa_is_in_review(plans, demo, chosen):
    walk(chosen, "5", demo)
    type(plans["poa"]).objects.filter(pk=plans["poa"].pk).update(status=PlanStatus.REVIEW)
    task = ready(chosen.case)[0]
    supply_documents(task, demo["jefe_planes_programas"])
    with pytest.raises(ProcedureError, match="no está en borrador"):
        cases.complete(task, actor=demo["jefe_planes_programas"])
