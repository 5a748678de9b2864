"""Which cases an area liaison sees: those of its unit and below, and those that concern its area (the P2 of a POA
with goals at its cost centers), read-only; every other case is refused, and no page links a case it cannot open."""

import pytest

from planea.operations import case_link as poa_case
from planea.org.models import OrgUnit, RoleAssignment
from planea.procedures import cases
from planea.procedures.drive import step_through
from planea.procedures.manual import P6
from planea.strategy import case_link as pei_case
from planea.strategy.plans import create_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_case(demo):
    """A P6 case of the liaison's unit (10.02.U0)."""
    jefe = demo["jefe_planes_programas"]
    case = cases.start_case(code=P6.code, title="Ejecución del área", subject="Octubre", actor=jefe)
    step_through(case, until="2", people=demo)
    type(case).objects.filter(pk=case.pk).update(org_unit=OrgUnit.objects.get(code="10.02.U0"))
    return case


@pytest.fixture
def pei_p1(demo):
    sub = demo["subdirector_planificacion"]
    plan = create_plan(actor=sub, code="PEI-2027-2031", name="PEI 2027-2031", start_year=2027, end_year=2031)
    return plan, pei_case.start_case(plan, actor=sub)


def test_the_liaison_sees_the_cases_of_its_unit_read_only(area_case, pei_p1, client_as):
    liaison = client_as("enlace_area")
    listed = liaison.get("/expedientes/").content.decode()
    _plan, p1 = pei_p1
    assert area_case.number in listed and p1.number not in listed
    page = liaison.get(f"/expedientes/{area_case.pk}/")
    assert page.status_code == 200 and "/pasos/" not in page.content.decode()  # no action on another role's step
    assert liaison.get(f"/expedientes/{p1.pk}/").status_code == 403


def test_the_liaison_sees_the_p2_of_a_poa_with_goals_of_its_area(plans, demo, client_as):
    p2 = poa_case.start_case(plans["poa"], actor=demo["subdirector_planificacion"])
    liaison = client_as("enlace_area")
    assert p2.number in liaison.get("/expedientes/").content.decode()
    assert liaison.get(f"/expedientes/{p2.pk}/").status_code == 200
    plan_list = liaison.get("/planes/").content.decode()
    assert f'<a href="/expedientes/{p2.pk}/">{p2.number}</a>' in plan_list
    # the liaison of an area without goals in the POA (10.03.U0) is not concerned
    RoleAssignment.objects.filter(person=demo["enlace_area"]).update(org_unit=OrgUnit.objects.get(code="10.03.U0"))
    other = client_as("enlace_area")
    assert other.get(f"/expedientes/{p2.pk}/").status_code == 403
    assert p2.number not in other.get("/expedientes/").content.decode()


def test_plan_pages_link_a_case_only_for_who_may_open_it(pei_p1, client_as):
    plan, p1 = pei_p1
    link = f'<a href="/expedientes/{p1.pk}/">{p1.number}</a>'
    for url in ("/pei/", f"/pei/{plan.pk}/"):
        assert link in client_as("jefe_planes_programas").get(url).content.decode(), url
        page = client_as("enlace_area").get(url).content.decode()
        assert link not in page and f'<span data-testid="case-number">{p1.number}</span>' in page, url


def test_a_case_that_only_concerns_the_area_shows_neither_its_documents_nor_its_figures(plans, demo, client_as):
    """The P2 carries the whole institution's anteproyectos and consistency: the liaison follows the steps, and reads
    what the plan pages give an area, not the case's files nor the figures checked at the visto bueno."""
    p2 = poa_case.start_case(plans["poa"], actor=demo["subdirector_planificacion"])
    step_through(p2, until="9", people=demo)
    step = p2.tasks.get(number="9", status="ready")
    documents = poa_case.generate_anteproyectos(step, actor=demo["jefe_planes_programas"])
    liaison, jefe = client_as("enlace_area"), client_as("jefe_planes_programas")
    for document in documents:
        url = f"/expedientes/{p2.pk}/documentos/{document.pk}/"
        assert jefe.get(url).status_code == 200
        assert liaison.get(url).status_code == 403
    page = liaison.get(f"/expedientes/{p2.pk}/").content.decode()
    assert f"/expedientes/{p2.pk}/documentos/" not in page and documents[0].original_name in page
    step_through(p2, until="10", people=demo)
    assert (
        'data-testid="step-consistency"'
        in client_as("subdirector_planificacion").get(f"/expedientes/{p2.pk}/").content.decode()
    )
    assert 'data-testid="step-consistency"' not in liaison.get(f"/expedientes/{p2.pk}/").content.decode()
