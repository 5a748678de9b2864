"""PEI versions (strategy/versions.py): an approved version is frozen by every path; a modification copies it whole
into a new draft, compared with it through the service and through the comparison page."""

import pytest
from django.db import transaction

from planea.procedures.drive import step_through
from planea.strategy import case_link, versions
from planea.strategy.compare import ADDED, CHANGED, compare
from planea.strategy.models import ApprovedPlanError, PlanStatus, Result, StrategicPlan, Subproduct
from planea.strategy.plans import StrategyError, update_plan
from planea.strategy.results_chain import save_content

pytestmark = pytest.mark.django_db


def approve_through_p1(plan, demo):
    case = case_link.start_case(plan, actor=demo["subdirector_planificacion"])
    step_through(case, people=demo)
    plan.refresh_from_db()
    return case


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
