"""The directors' home: the state of the plans and the open and overdue cases of each procedure, with links, and a
place for execution; other roles keep their inbox alone."""

import datetime as dt

import pytest

from planea.procedures import cases
from planea.procedures.manual import P1, P6

pytestmark = pytest.mark.django_db


@pytest.fixture
def p6_cases(demo):
    jefe = demo["jefe_planes_programas"]
    late = cases.start_case(code=P6.code, title="Ejecución de agosto", subject="Agosto", actor=jefe)
    late.tasks.update(due_date=dt.date(2020, 1, 31))
    on_time = cases.start_case(code=P6.code, title="Ejecución de septiembre", subject="Septiembre", actor=jefe)
    return late, on_time


@pytest.mark.parametrize("role", ["director_general", "subdirector_planificacion"])
def test_the_directors_home_shows_plans_and_cases_per_procedure(plans, p6_cases, client_as, role):
    page = client_as(role).get("/").content.decode()
    overview = page[page.index('data-testid="overview"') :]
    pei, poa = plans["pei"], plans["poa"]
    assert (
        f'<a href="/pei/{pei.pk}/">{pei.code}</a>' in overview
        and f'<a href="/planes/{poa.pk}/">{poa.code}</a>' in overview
    )
    assert pei.get_status_display() in overview and poa.get_status_display() in overview
    p6 = overview[overview.index('data-procedure="P6"') :]
    p6 = p6[: p6.index("</tr>")]
    assert f'href="/expedientes/?procedimiento={P6.code}&amp;estado=open" data-testid="open-cases">2</a>' in p6
    assert f'href="/expedientes/?procedimiento={P6.code}&amp;plazo=vencido" data-testid="overdue-cases">1</a>' in p6
    p1 = overview[overview.index('data-procedure="P1"') :]
    assert 'data-testid="open-cases">0</a>' in p1[: p1.index("</tr>")]
    assert 'data-testid="overview-execution"' in overview


def test_the_overdue_link_lists_the_cases_with_an_overdue_step(p6_cases, client_as):
    late, on_time = p6_cases
    listed = client_as("director_general").get(f"/expedientes/?procedimiento={P6.code}&plazo=vencido").content.decode()
    assert late.number in listed and on_time.number not in listed
    everything = client_as("director_general").get(f"/expedientes/?procedimiento={P6.code}").content.decode()
    assert late.number in everything and on_time.number in everything


def test_other_roles_have_no_overview(plans, client_as):
    for role in ("jefe_planes_programas", "estadistica", "enlace_area"):
        assert 'data-testid="overview"' not in client_as(role).get("/").content.decode(), role


def test_the_overview_costs_a_few_queries(plans, p6_cases, demo, django_assert_max_num_queries):
    from planea.shell.overview import overview

    with django_assert_max_num_queries(4):  # PEI versions, operational plans, case counts, definitions
        found = overview()
    assert {c.key: (c.open, c.overdue) for c in found.procedures}[P6.key] == (2, 1)
    assert P1.key in {c.key for c in found.procedures}


def test_the_pending_sources_cost_nothing_to_who_has_nothing_of_their_kind(plans, demo, django_assert_num_queries):
    """The inbox of the head of planning (bench/home_vs_bare) reads no more than it must: no reprogramming to decide,
    no role that is asked for data, nothing sent from outside; one query for the execution months sent back that
    they would authorize again. Someone who decides none of these kinds reads nothing."""
    from planea.procedures.pending import pending_items

    jefe = demo["jefe_planes_programas"]
    jefe.role_slugs()  # read by the middleware before the view
    with django_assert_num_queries(1):
        assert pending_items(jefe) == []
    director = demo["director_general"]
    director.role_slugs()
    with django_assert_num_queries(0):
        assert pending_items(director) == []
