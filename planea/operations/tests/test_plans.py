"""Operational plans (operations/plans.py): creating the POM and the POA, through the service and through the plan
list, and the plan's page with its totals (by subproduct, and by cost center when that section opens)."""

import re

import pytest

from conftest import put_goal
from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.operations import goals, totals
from planea.operations.models import OperationalPlan
from planea.operations.plans import OperationsError, create_plan, default_code
from planea.org.models import CostCenter, OrgUnit

pytestmark = pytest.mark.django_db


def test_a_plan_takes_its_code_name_and_years_from_its_kind(plans, demo, settings):
    jefe = demo["jefe_planes_programas"]
    settings.PLANEA_POM_YEARS = 4  # within the PEI's horizon (2030)
    pom = create_plan(kind="multiannual", start_year=2027, strategic_plan=plans["pei"], actor=jefe)
    assert (pom.code, pom.name, pom.end_year) == ("POM-2027-2030", "Plan Operativo Multianual 2027-2030", 2030)
    poa = create_plan(kind="annual", start_year=2027, strategic_plan=plans["pei"], actor=jefe, multiannual=pom)
    assert (poa.code, poa.name, poa.end_year, poa.status) == ("POA-2027", "Plan Operativo Anual 2027", 2027, "draft")
    assert AuditEvent.objects.filter(action="operational_plan_created", object_id=str(poa.pk)).exists()
    assert default_code("annual", 2028, 2028) == "POA-2028"


def test_a_plan_is_created_from_the_list_and_a_repeated_one_is_refused(plans, client_as):
    client = client_as("jefe_planes_programas")
    form = {"kind": "annual", "start_year": "2027", "strategic_plan": plans["pei"].pk, "multiannual": plans["pom"].pk}
    response = client.post("/planes/nuevo/", form)
    created = OperationalPlan.objects.get(code="POA-2027")
    assert response["Location"] == f"/planes/{created.pk}/" and created.multiannual == plans["pom"]
    response = client.post("/planes/nuevo/", form)
    assert response.status_code == 400 and "Ya existe el plan POA-2027." in response.content.decode()
    assert client_as("enlace_area").post("/planes/nuevo/", form).status_code == 403


def test_a_plan_created_twice_at_once_is_refused_in_spanish_not_500(plans, demo, monkeypatch):
    """A double click on «Crear en borrador»: both requests pass the checks for an existing code before either saves
    (skipped here, to stand for the other request's), and the second insert meets the unique code."""
    from planea.operations.models import OperationalPlan

    monkeypatch.setattr(OperationalPlan, "validate_unique", lambda self, exclude=None: None)
    count = OperationalPlan.objects.count()
    create = dict(kind="annual", start_year=2027, strategic_plan=plans["pei"], actor=demo["jefe_planes_programas"])
    create_plan(**create)
    with pytest.raises(OperationsError, match="El plan POA-2027 ya existe: se acaba de crear."):
        create_plan(**create)
    assert OperationalPlan.objects.count() == count + 1 and verify_chain().ok


def test_the_totals_by_cost_center_are_read_when_their_section_opens(plans, client_as):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    summary = client.get(f"/planes/{poa.pk}/?medida=programada").content.decode()
    assert f'hx-get="/planes/{poa.pk}/centros/?medida=programada"' in summary and "La Aurora" not in summary
    valle = CostCenter.objects.get(code="0209")
    for measure, attr in (("programada", "planned"), ("vigente", "current")):
        stored = goals.values_of(poa, attr=attr)
        fragment = client.get(f"/planes/{poa.pk}/centros/?medida={measure}", HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in fragment
        row = re.search(r'<tr><th scope="row" class="fw-normal">0209 [^<]*</th>(.*?)</tr>', fragment).group(1)
        cells = [int(v.replace(",", "")) for v in re.findall(r">([\d,]+)</td>", row)]
        by_month = [
            sum(v for (_s, c, _y, month), v in stored.items() if c == valle.pk and month == m) for m in range(1, 13)
        ]
        assert cells[:12] == by_month and cells[-1] == sum(by_month) > 0
    response = client.get(f"/planes/{poa.pk}/centros/?medida=programada")
    page = response.content.decode()
    assert "<html" in page and "Meta programada" in page and "0209 " in page
    assert "HX-Request" in response["Vary"]  # a cache keeps the page and the fragment apart
    assert client_as("enlace_area").get(f"/planes/{poa.pk}/centros/").status_code == 200
    assert client_as("jefe_planes_programas").get("/planes/999999/centros/").status_code == 404


def mixed_units(plans):
    """Valle Nuevo (0209) also issues passports (P01-01, documents) in the test POA: persons and documents."""
    passports = plans["pei"].subproducts.get(code="P01-01")
    valle = CostCenter.objects.get(code="0209")
    for month in range(1, 13):
        put_goal(plans["poa"], passports, valle, month, 1000 + month)
    return passports, valle


def unit_bodies(page):
    """The unit of each <tbody> of a totals table, with its rows' labels and cells as numbers."""
    bodies = {}
    for unit, body in re.findall(r'<tbody data-unit="([^"]+)">(.*?)</tbody>', page, re.S):
        rows = re.findall(r'<tr[^>]*><th scope="row"[^>]*>([^<]*)</th>(.*?)</tr>', body)
        bodies[unit] = {
            label: [int(v.replace(",", "")) for v in re.findall(r">([\d,]+)</td>", cells)] for label, cells in rows
        }
    return bodies


def test_the_plan_summary_totals_each_unit_of_measure_and_never_across_units(plans, client_as):
    """A total over passports, persons and events means nothing: a total per unit of measure, none across them."""
    poa = plans["poa"]
    mixed_units(plans)
    response = client_as("jefe_planes_programas").get(f"/planes/{poa.pk}/?medida=programada")
    page = response.content.decode()
    bodies = unit_bodies(page)
    assert set(bodies) == {"documento", "persona"} and "<tfoot>" not in page
    for unit, rows in bodies.items():
        total = rows.pop(f"Total ({unit})")
        assert rows and total == [sum(column) for column in zip(*rows.values(), strict=True)]
    documents = bodies["documento"]["P01-01 Pasaportes ordinarios emitidos"]
    assert documents[:12] == [1000 + m for m in range(1, 13)] and documents[-1] == sum(documents[:12])
    assert "Unidad de medida: persona" in page and "Unidad de medida: documento" in page
    groups = response.context["groups"]
    assert [(g.unit.lower(), g.total.total) for g in groups] == [
        ("documento", sum(line.total for line in totals.by_subproduct(poa, "planned") if line.unit == "Documento")),
        ("persona", sum(line.total for line in totals.by_subproduct(poa, "planned") if line.unit == "Persona")),
    ]


def test_the_totals_by_cost_center_keep_units_apart_and_the_section_shows_it_opens(plans, client_as):
    poa, client = plans["poa"], client_as("jefe_planes_programas")
    passports, valle = mixed_units(plans)
    summary = client.get(f"/planes/{poa.pk}/").content.decode()
    fold = re.search(r'<details class="[^"]*disclosure[^"]*" data-testid="centers-fold".*?</summary>', summary, re.S)
    assert fold and "bi-chevron-right" in fold.group(0) and "haga clic para abrir" in fold.group(0)
    fragment = client.get(f"/planes/{poa.pk}/centros/?medida=programada", HTTP_HX_REQUEST="true").content.decode()
    bodies = unit_bodies(fragment)
    assert set(bodies) == {"documento", "persona"} and "<tfoot>" not in fragment
    label = f"0209 {valle.name}"
    assert bodies["documento"][label][-1] == sum(1000 + m for m in range(1, 13))  # passports alone
    persons = goals.values_of(poa, [plans["land"].pk], attr="planned")
    assert bodies["persona"][label][-1] == sum(v for (_s, c, _y, _m), v in persons.items() if c == valle.pk)
    for unit, rows in bodies.items():
        total = rows.pop(f"Total ({unit})")
        assert total == [sum(column) for column in zip(*rows.values(), strict=True)]


def test_the_template_menu_offers_a_liaison_only_the_area_they_can_download(plans, client_as):
    poa = plans["poa"]
    links = re.compile(r'href="/planes/\d+/metas/excel/\?area=([^"]+)"')
    liaison = client_as("enlace_area").get(f"/planes/{poa.pk}/").content.decode()
    assert links.findall(liaison) == ["10.02.U0"] and "Plantilla por área" in liaison
    head = client_as("jefe_planes_programas").get(f"/planes/{poa.pk}/").content.decode()
    offered = links.findall(head)
    assert len(offered) == OrgUnit.objects.filter(active=True).count() and "10.02.U0" in offered


def test_a_poa_is_compared_only_with_a_pom_of_its_own_pei_version(plans, demo, client_as):
    from planea.strategy import lifecycle, versions

    jefe = demo["jefe_planes_programas"]
    revised = versions.new_version(plans["pei"], actor=jefe, reason="Ajuste")
    lifecycle.approve(revised, actor=jefe)
    form = {"kind": "annual", "start_year": "2027", "strategic_plan": revised.pk, "multiannual": plans["pom"].pk}
    response = client_as("jefe_planes_programas").post("/planes/nuevo/", form)
    page = response.content.decode()
    assert response.status_code == 400 and "debe formularse sobre la misma versión del PEI" in page
    assert not OperationalPlan.objects.filter(code="POA-2027").exists()


def test_both_tables_of_the_plan_say_which_goals_they_show_and_compare_the_same(plans, demo, client_as):
    """The totals and the POA-against-POM table show the programmed or the current goals, as the measure asked for,
    and say which (the comparison used to take the programmed ones under a table of current ones)."""
    from conftest import goal_cell
    from planea.operations import lifecycle, reprogramming

    poa, land = plans["poa"], plans["land"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    valle = goal_cell(poa, land, "0209", 1)
    request = reprogramming.request(
        poa,
        changes={(land.pk, valle.cost_center_id, 2026, 1): valle.current + 1000},
        justification="Feria regional en enero.",
        actor=demo["jefe_planes_programas"],
    )
    reprogramming.approve(request, actor=demo["subdirector_planificacion"])
    client = client_as("jefe_planes_programas")
    current = client.get(f"/planes/{poa.pk}/")
    planned = client.get(f"/planes/{poa.pk}/?medida=programada")
    for response, label in ((current, "metas vigentes"), (planned, "metas programadas")):
        page = response.content.decode()
        assert page.count(f'data-testid="measure-label">· {label}</span>') == 2  # both tables say it
    in_current = {c.code: c.poa for c in current.context["comparison"]}
    in_planned = {c.code: c.poa for c in planned.context["comparison"]}
    assert in_current[land.code] == in_planned[land.code] + 1000
    totals_current = {line.key: line.total for group in current.context["groups"] for line in group.lines}
    assert totals_current[land.pk] == in_current[land.code]  # the same goals in both tables
