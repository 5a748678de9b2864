"""PEI versions: horizon, editing only while a draft, approval through the P1 case, new versions and comparison."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from planea.audit.verify import verify_chain
from planea.procedures.drive import step_through
from planea.strategy import case_link, versions
from planea.strategy.compare import ADDED, CHANGED, compare
from planea.strategy.demo import build_content
from planea.strategy.models import ApprovedPlanError, PlanStatus, Result, StrategicPlan, Subproduct
from planea.strategy.plans import StrategyError, create_plan, update_plan
from planea.strategy.results_chain import save_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(demo):
    actor = demo["jefe_planes_programas"]
    plan = create_plan(
        actor=actor, code="PEI-2021-2030", name="PEI 2021-2030", start_year=2021, end_year=2030, mission="Servir."
    )
    build_content(plan, actor)
    return plan


def approve_through_p1(plan, demo):
    case = case_link.start_case(plan, actor=demo["subdirector_planificacion"])
    step_through(case, people=demo)
    plan.refresh_from_db()
    return case


def test_the_horizon_spans_at_least_five_years(demo):
    with pytest.raises(ValidationError) as error:
        create_plan(actor=demo["jefe_planes_programas"], code="PEI-X", name="Corto", start_year=2026, end_year=2029)
    assert "al menos 5 años" in str(error.value)


def test_rich_text_is_sanitized(draft, demo):
    update_plan(
        draft,
        actor=demo["jefe_planes_programas"],
        data={"conceptual_frame": '<p onclick="x()">Hola <script>alert(1)</script><strong>mundo</strong></p>'},
    )
    draft.refresh_from_db()
    assert draft.conceptual_frame == "<p>Hola <strong>mundo</strong></p>"


def test_the_p1_case_moves_the_version_to_review_back_to_draft_and_to_approved(draft, demo):
    case = case_link.start_case(draft, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.REVIEW
    with pytest.raises(ValidationError):
        update_plan(draft, actor=demo["jefe_planes_programas"], data={"mission": "Otra."})
    step_through(case, {"9": ["9.1"], "9.1": ["5"]}, until="6", people=demo)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    step_through(case, people=demo)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED and draft.approved_at
    assert verify_chain().ok


def test_an_approved_version_cannot_change_by_any_path(draft, demo):
    approve_through_p1(draft, demo)
    actor = demo["jefe_planes_programas"]
    result = draft.results.get(code="RI-01")
    with pytest.raises(ApprovedPlanError):
        update_plan(draft, actor=actor, data={"mission": "Cambiada."})
    with pytest.raises(ApprovedPlanError):
        save_content(Result(plan=draft, code="RI-09", level="immediate", name="Nuevo"), actor=actor)
    result.name = "Cambiado"
    with pytest.raises(ApprovedPlanError):
        result.save()
    with pytest.raises(ApprovedPlanError):
        Result.objects.filter(plan=draft).update(name="Masivo")
    with pytest.raises(ApprovedPlanError), transaction.atomic():
        draft.subproducts.first().cost_centers.clear()
    with pytest.raises(ApprovedPlanError):
        draft.save()
    assert draft.results.get(code="RI-01").name != "Cambiado"


def test_a_modification_copies_the_whole_version_and_compares_with_it(draft, demo):
    approve_through_p1(draft, demo)
    actor = demo["jefe_planes_programas"]
    copy = versions.new_version(draft, actor=actor, reason="Ajuste de metas")
    assert (copy.version, copy.status, copy.based_on) == (2, PlanStatus.DRAFT, draft)
    assert copy.results.count() == draft.results.count()
    assert copy.indicators.count() == draft.indicators.count()
    assert copy.targets.count() == draft.targets.count()
    assert copy.subproducts.count() == draft.subproducts.count()
    sub = copy.subproducts.get(code="P02-02")
    assert set(sub.cost_centers.values_list("code", flat=True)) == set(
        draft.subproducts.get(code="P02-02").cost_centers.values_list("code", flat=True)
    )
    assert copy.results.get(code="RM-01").parent.plan == copy
    with pytest.raises(StrategyError):
        versions.new_version(draft, actor=actor, reason="Otra")

    copy = update_plan(copy, actor=actor, data={"vision": "Una visión nueva y más amplia."})
    sub.name = "Personas controladas en puestos terrestres"
    save_content(sub, actor=actor)
    save_content(
        Subproduct(product=copy.products.get(code="P03"), code="P03-09", name="Nuevo", unit=sub.unit), actor=actor
    )
    sections = {s.title: s for s in compare(draft, copy)}
    changed = {(r.element, r.attribute): r for s in sections.values() for r in s.rows if r.status != "same"}
    assert changed[("PEI", "Visión")].status == CHANGED
    assert changed[("P02-02", "Nombre")].right == "Personas controladas en puestos terrestres"
    assert changed[("P03-09", "Nombre")].status == ADDED
    assert sections["Resultados"].changes == 0
    assert StrategicPlan.objects.get(pk=draft.pk).vision != "Una visión nueva y más amplia."
