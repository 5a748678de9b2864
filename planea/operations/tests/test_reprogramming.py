"""Reprogramming of an approved plan (operations/reprogramming.py): requests with their justification, who may
decide them, approval that changes the current goals and rejection, through the service and through the
reprogramming pages."""

import datetime
import re

import pytest

from conftest import form_of, goal_cell, grid_url, put_goal
from planea.audit.models import AuditEvent
from planea.operations import lifecycle, reprogramming
from planea.operations.models import PhysicalGoal, ReprogrammingStatus
from planea.operations.plans import OperationsError
from planea.org.models import CostCenter

pytestmark = pytest.mark.django_db


def cell(plans, code="0209", month=1):
    return goal_cell(plans["poa"], plans["land"], code, month)


@pytest.fixture
def requested(plans, demo):
    """The approved POA with one pending request of the jefe: Valle Nuevo's January goal to 77."""
    lifecycle.approve([plans["poa"]], actor=demo["subdirector_planificacion"])
    return reprogramming.request(
        plans["poa"],
        changes={(plans["land"].pk, cell(plans).cost_center_id, 2026, 1): 77},
        justification="Feria en la frontera.",
        actor=demo["jefe_planes_programas"],
    )


def test_only_the_subdireccion_decides_a_request_it_did_not_make(requested, demo):
    jefe, subdirector = demo["jefe_planes_programas"], demo["subdirector_planificacion"]
    assert reprogramming.refusal(requested, jefe) == "Solo la Subdirección de Planificación resuelve reprogramaciones."
    assert not reprogramming.can_decide(requested, jefe) and reprogramming.can_decide(requested, subdirector)
    requested.requested_by = subdirector
    assert reprogramming.refusal(requested, subdirector) == "Quien solicita una reprogramación no puede resolverla."
    requested.requested_by = jefe
    decided = reprogramming.reject(requested, actor=subdirector, note="No procede.")
    assert reprogramming.refusal(decided, subdirector) == "La reprogramación POA-2026 · R-001 ya fue rechazada."
    with pytest.raises(OperationsError, match="ya fue rechazada"):
        reprogramming.approve(decided, actor=subdirector)


def test_a_request_asks_only_for_the_cells_that_changed(plans):
    land = plans["land"]
    cells = {(10, 2026, 1): (5, 5), (10, 2026, 2): (5, 8), (11, 2026, 1): (0, 3)}
    assert reprogramming.changes_of(land, cells) == {(land.pk, 10, 2026, 2): 8, (land.pk, 11, 2026, 1): 3}


def test_the_decision_form_is_offered_and_taken_only_from_who_may_decide(requested, plans, client_as):
    url = f"/reprogramaciones/{requested.pk}/"
    assert client_as("jefe_planes_programas").get(url).context["can_decide"] is False
    assert client_as("subdirector_planificacion").get(url).context["can_decide"] is True
    response = client_as("subdirector_planificacion").post(f"{url}resolver/", {"decision": "x"}, follow=True)
    assert "Elija aprobar o rechazar." in response.content.decode()
    response = client_as("subdirector_planificacion").post(f"{url}resolver/", {"decision": "reject"}, follow=True)
    assert "Escriba por qué se rechaza la reprogramación." in response.content.decode()
    response = client_as("subdirector_planificacion").post(
        f"{url}resolver/", {"decision": "approve", "note": "Procede."}, follow=True
    )
    assert "Reprogramación aprobada: las metas vigentes cambiaron." in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == ReprogrammingStatus.APPROVED and cell(plans).current == 77
    assert AuditEvent.objects.filter(action="reprogramming_approved", object_id=str(requested.pk)).exists()
    response = client_as("subdirector_planificacion").post(f"{url}resolver/", {"decision": "approve"}, follow=True)
    assert "La reprogramación POA-2026 · R-001 ya fue aprobada." in response.content.decode()


def test_a_request_made_on_the_screen_is_pending_and_names_its_changes(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    client = client_as("jefe_planes_programas")
    url = f"/planes/{poa.pk}/reprogramaciones/nueva/"
    assert client.get(f"{url}?subproducto={land.pk}").status_code == 302  # a draft is edited, not reprogrammed
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    data = form_of(client.get(f"{url}?subproducto={land.pk}").content.decode())
    valle = f"c-{cell(plans).cost_center_id}-2026-3"
    response = client.post(url, {**data, "subproducto": land.pk, "justification": "Feria.", valle: "40"})
    assert response.status_code == 400 and "al menos 10 caracteres" in response.content.decode()
    response = client.post(url, {**data, "subproducto": land.pk, "justification": "Feria de marzo.", valle: "40"})
    created = poa.reprogrammings.get()
    assert response["Location"] == f"/reprogramaciones/{created.pk}/"
    assert created.status == ReprogrammingStatus.REQUESTED
    assert [(line.month, line.after) for line in created.lines.all()] == [(3, 40)]
    assert cell(plans, month=3).current != 40  # only an approval changes the current goal


def test_an_approved_plan_is_frozen_and_changes_only_by_reprogramming(plans, demo, client_as):
    poa = plans["poa"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    client = client_as("jefe_planes_programas")
    data = form_of(client.get(grid_url(plans)).content.decode())
    target = f"c-{cell(plans).cost_center_id}-2026-1"
    response = client.post(f"/planes/{poa.pk}/metas/guardar/", {**data, "subproducto": plans["land"].pk, target: "5"})
    assert response.status_code == 400 and "Solicite una reprogramación" in response.content.decode()
    before = cell(plans).current

    key = (plans["land"].pk, cell(plans).cost_center_id, 2026, 1)
    with pytest.raises(OperationsError):
        reprogramming.request(poa, changes={key: 10}, justification="corta", actor=demo["jefe_planes_programas"])
    with pytest.raises(OperationsError, match="hasta 4,000 caracteres; la escrita tiene 4,001"):
        reprogramming.request(poa, changes={key: 10}, justification="x" * 4001, actor=demo["jefe_planes_programas"])
    request = reprogramming.request(
        poa, changes={key: before + 500}, justification="Feria regional en enero.", actor=demo["jefe_planes_programas"]
    )
    with pytest.raises(OperationsError):
        reprogramming.approve(request, actor=demo["jefe_planes_programas"])  # neither the requester nor a jefe
    reprogramming.approve(request, actor=demo["subdirector_planificacion"], note="Procede.")
    assert (cell(plans).planned, cell(plans).current) == (before, before + 500)
    history = reprogramming.changes_since_approval(poa)
    assert [(line.before, line.after) for line in history] == [(before, before + 500)]
    page = client.get(f"/planes/{poa.pk}/reprogramaciones/").content.decode()
    assert "R-001" in page and "Feria regional" in page
    detail = client.get(f"/reprogramaciones/{request.pk}/").content.decode()
    assert re.search(r'<a class="nav-link active" href="/planes/" aria-current="page">', detail)  # its menu item
    # A request made on values that changed since is not applied.
    stale = reprogramming.request(poa, changes={key: 1}, justification="Otra solicitud.", actor=demo["enlace_area"])
    reprogramming.request(poa, changes={key: 2}, justification="Una más, concurrente.", actor=demo["enlace_area"])
    last = poa.reprogrammings.get(number=3)
    reprogramming.approve(last, actor=demo["subdirector_planificacion"])
    with pytest.raises(OperationsError, match="cambiaron desde la solicitud"):
        reprogramming.approve(stale, actor=demo["subdirector_planificacion"])
    rejected = reprogramming.reject(stale, actor=demo["subdirector_planificacion"], note="Superada.")
    assert rejected.status == ReprogrammingStatus.REJECTED and cell(plans).current == 2


def test_a_reprogramming_refuses_cost_centers_that_do_not_deliver_the_subproduct(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    outsider = CostCenter.objects.exclude(pk__in=land.cost_centers.all()).first()
    client = client_as("jefe_planes_programas")
    url = f"/planes/{poa.pk}/reprogramaciones/nueva/"
    data = form_of(client.get(f"{url}?subproducto={land.pk}").content.decode())
    for center in (outsider.pk, 999_999):  # one that does not deliver it, one that does not exist
        response = client.post(
            url,
            {**data, "subproducto": land.pk, "justification": "Apertura de un puesto.", f"c-{center}-2026-2": "40"},
        )
        assert response.status_code == 400
        assert "no entrega el subproducto" in response.content.decode()
    # Cells posted with a subproduct the plan does not have are not requested for another subproduct.
    valle = f"c-{cell(plans).cost_center_id}-2026-2"
    response = client.post(url, {**data, "subproducto": "99999", "justification": "Feria.", valle: "40"})
    assert response.status_code == 400 and "El subproducto de la cuadrícula no es de este plan" in (
        response.content.decode()
    )
    assert not poa.reprogrammings.exists()
    assert not PhysicalGoal.objects.filter(plan=poa, cost_center=outsider, subproduct=land).exists()


def test_the_liaison_reads_only_the_reprogrammings_of_the_area(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    airports = plans["pei"].subproducts.get(code="P02-01")
    aurora = CostCenter.objects.get(code="0101")
    put_goal(poa, airports, aurora, 1, 9)
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    jefe = demo["jefe_planes_programas"]
    ours = reprogramming.request(
        poa,
        changes={(land.pk, cell(plans).cost_center_id, 2026, 1): 77},
        justification="Feria en la frontera.",
        actor=jefe,
    )
    theirs = reprogramming.request(
        poa, changes={(airports.pk, aurora.pk, 2026, 1): 12}, justification="Vuelos chárter nuevos.", actor=jefe
    )
    client = client_as("enlace_area")
    listing = client.get(f"/planes/{poa.pk}/reprogramaciones/").content.decode()
    assert f"/reprogramaciones/{ours.pk}/" in listing and f"/reprogramaciones/{theirs.pk}/" not in listing
    assert client.get(f"/reprogramaciones/{ours.pk}/").status_code == 200
    assert client.get(f"/reprogramaciones/{theirs.pk}/").status_code == 404
    assert (
        "Vuelos chárter"
        in client_as("profesional_planes_programas").get(f"/reprogramaciones/{theirs.pk}/").content.decode()
    )


def test_a_request_touching_two_areas_shows_the_liaison_only_theirs(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    aurora = CostCenter.objects.get(code="0101")
    put_goal(poa, land, aurora, 1, 9)
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    both = reprogramming.request(
        poa,
        changes={(land.pk, cell(plans).cost_center_id, 2026, 1): 77, (land.pk, aurora.pk, 2026, 1): 1234},
        justification="Cambio de temporada en dos puestos.",
        actor=demo["jefe_planes_programas"],
    )
    page = client_as("enlace_area").get(f"/reprogramaciones/{both.pk}/").content.decode()
    assert "Valle Nuevo" in page and "La Aurora" not in page and "1,234" not in page
    assert "La Aurora" in client_as("jefe_planes_programas").get(f"/reprogramaciones/{both.pk}/").content.decode()


def test_the_reprogramming_form_takes_input_where_the_approved_grid_does_not(plans, demo, client_as):
    """The grid of an approved plan is read-only; the reprogramming form shows the same grid to be changed (its cells
    had been left read-only since the grid rows were built in Python)."""
    poa, land = plans["poa"], plans["land"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    client = client_as("jefe_planes_programas")
    name = f'name="c-{cell(plans).cost_center_id}-2026-1"'

    def tag(page: str) -> str:
        return re.search(rf"<input[^>]*{name}[^>]*>", page).group(0)

    assert "readonly" in tag(client.get(grid_url(plans)).content.decode())
    form = client.get(f"/planes/{poa.pk}/reprogramaciones/nueva/?subproducto={land.pk}").content.decode()
    assert "readonly" not in tag(form)


def test_a_pending_request_reaches_the_approvers_inbox_until_it_is_decided(requested, client_as):
    def decisions(role):
        page = client_as(role).get("/").content.decode()
        return page[page.index('data-testid="inbox-decisions"') :] if 'data-testid="inbox-decisions"' in page else ""

    url = f"/reprogramaciones/{requested.pk}/"
    approver = decisions("subdirector_planificacion")
    assert f'<a href="{url}">POA-2026 · R-001</a>' in approver and "Reprogramación" in approver
    assert "Aprobar o rechazar la reprogramación" in approver
    # the requester and who may not decide get nothing to decide
    assert decisions("jefe_planes_programas") == "" and decisions("enlace_area") == ""
    client_as("subdirector_planificacion").post(f"{url}resolver/", {"decision": "reject", "note": "No procede."})
    assert decisions("subdirector_planificacion") == ""


def test_the_requests_cost_the_approvers_inbox_one_query(requested, demo, django_assert_num_queries):
    from planea.operations.inbox import reprogramming_requests

    subdirector, jefe = demo["subdirector_planificacion"], demo["jefe_planes_programas"]
    subdirector.role_slugs(), jefe.role_slugs()  # read once per request, by the middleware already
    with django_assert_num_queries(1):
        assert len(reprogramming_requests(subdirector)) == 1
    with django_assert_num_queries(0):
        assert reprogramming_requests(jefe) == []


@pytest.fixture
def in_april(monkeypatch, plans, demo):
    """The approved POA on 15 April 2026: January to March have passed."""
    monkeypatch.setattr(reprogramming, "today", lambda: datetime.date(2026, 4, 15))
    lifecycle.approve([plans["poa"]], actor=demo["subdirector_planificacion"])
    return plans["poa"]


def post_request(client, plans, month, value, **extra):
    poa, land = plans["poa"], plans["land"]
    url = f"/planes/{poa.pk}/reprogramaciones/nueva/"
    data = form_of(client.get(f"{url}?subproducto={land.pk}").content.decode())
    cell_name = f"c-{cell(plans).cost_center_id}-2026-{month}"
    return client.post(
        url, {**data, "subproducto": land.pk, "justification": "Feria regional.", cell_name: str(value), **extra}
    )


def test_a_past_month_changes_only_with_its_own_justification(in_april, plans, settings, client_as):
    settings.PLANEA_REPROGRAMMING_PAST_MONTHS = "justify"
    client = client_as("jefe_planes_programas")
    form = client.get(f"/planes/{in_april.pk}/reprogramaciones/nueva/?subproducto={plans['land'].pk}")
    assert "Ya transcurrieron o se ejecutaron: Ene 2026, Feb 2026, Mar 2026." in form.content.decode()
    response = post_request(client, plans, 2, 40)
    assert response.status_code == 400
    assert (
        "La solicitud cambia metas de períodos ya transcurridos o ejecutados (Feb 2026): escriba por qué en "
        "«Justificación de los meses transcurridos»" in response.content.decode()
    )
    assert 'name="justification"' in response.content.decode() and "Feria regional." in response.content.decode()
    next_to_field = response.content.decode().split('id="past_justification_errors"')[1].split("</div>")[0]
    assert "escriba por qué en «Justificación de los meses transcurridos»" in next_to_field  # beside it, in view
    assert not in_april.reprogrammings.exists()
    response = post_request(client, plans, 2, 40, past_justification="El registro de febrero llegó tarde.")
    created = in_april.reprogrammings.get()
    assert response["Location"] == f"/reprogramaciones/{created.pk}/"
    assert created.past_justification == "El registro de febrero llegó tarde."
    event = AuditEvent.objects.get(action="reprogramming_requested", object_id=str(created.pk))
    assert event.after["past_justification"] == "El registro de febrero llegó tarde."
    detail = client.get(f"/reprogramaciones/{created.pk}/").content.decode()
    assert 'data-testid="past-justification"' in detail and "El registro de febrero llegó tarde." in detail
    # The current month and those to come need none; a justification of past months is then not kept.
    post_request(client, plans, 4, 41, past_justification="No hace falta.")
    assert in_april.reprogrammings.get(number=2).past_justification == ""


def test_a_past_month_is_refused_where_the_institution_says_so(in_april, plans, demo, settings, client_as, monkeypatch):
    settings.PLANEA_REPROGRAMMING_PAST_MONTHS = "refuse"
    client = client_as("jefe_planes_programas")
    response = post_request(client, plans, 3, 40, past_justification="Se justifica de todos modos.")
    assert response.status_code == 400
    assert "(Mar 2026); las normas de la institución no lo permiten" in response.content.decode()
    assert not in_april.reprogrammings.exists()
    form = client.get(f"/planes/{in_april.pk}/reprogramaciones/nueva/?subproducto={plans['land'].pk}")
    assert 'name="past_justification"' not in form.content.decode()
    assert post_request(client, plans, 5, 40).status_code == 302
    pending = in_april.reprogrammings.get()
    monkeypatch.setattr(reprogramming, "today", lambda: datetime.date(2026, 6, 1))  # May passes before the decision
    with pytest.raises(OperationsError, match="Los períodos May 2026 ya transcurrieron o se ejecutaron"):
        reprogramming.approve(pending, actor=demo["subdirector_planificacion"])
    assert cell(plans, month=5).current != 40


def test_executed_months_are_closed_like_past_ones(plans, demo, settings, monkeypatch):
    settings.PLANEA_REPROGRAMMING_PAST_MONTHS = "refuse"
    poa = plans["poa"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    monkeypatch.setattr(reprogramming, "EXECUTED_PERIODS", [])
    reprogramming.register_executed_periods(lambda plan: {(2026, 6)} if plan.pk == poa.pk else set())
    assert reprogramming.closed_periods(poa) == {(2026, 6)}  # 1 January: nothing past, June executed
    key = (plans["land"].pk, cell(plans).cost_center_id, 2026, 6)
    with pytest.raises(OperationsError, match=r"\(Jun 2026\); las normas de la institución no lo permiten"):
        reprogramming.request(poa, changes={key: 3}, justification="Cambio de junio.", actor=demo["enlace_area"])


def test_a_poms_past_years_are_closed(plans, monkeypatch):
    monkeypatch.setattr(reprogramming, "today", lambda: datetime.date(2028, 3, 1))
    assert reprogramming.closed_periods(plans["pom"]) == {(2026, 0), (2027, 0)}
    assert reprogramming.periods_text({(2027, 0), (2026, 0)}) == "2026, 2027"


def test_months_that_passed_after_the_request_are_approved_only_with_the_approvers_reason(
    in_april, plans, settings, client_as, monkeypatch
):
    settings.PLANEA_REPROGRAMMING_PAST_MONTHS = "justify"
    assert post_request(client_as("jefe_planes_programas"), plans, 5, 40).status_code == 302
    pending = in_april.reprogrammings.get()
    assert pending.past_justification == ""  # May was still to come
    monkeypatch.setattr(reprogramming, "today", lambda: datetime.date(2026, 6, 1))
    subdirector = client_as("subdirector_planificacion")
    url = f"/reprogramaciones/{pending.pk}/resolver/"
    response = subdirector.post(url, {"decision": "approve", "note": "Ok"})
    page = response.content.decode()
    assert response.status_code == 400 and "escriba en las observaciones por qué" in page
    assert 'id="note_errors"' in page and ">Ok</textarea>" in page  # next to the note, what was typed kept
    assert cell(plans, month=5).current != 40
    reason = "La feria de mayo se registró tarde; se aprueba igual."
    assert subdirector.post(url, {"decision": "approve", "note": reason}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decision_note == reason and cell(plans, month=5).current == 40


def test_a_decision_note_has_a_limit_and_a_refused_one_comes_back_typed(requested, client_as):
    subdirector = client_as("subdirector_planificacion")
    url = f"/reprogramaciones/{requested.pk}/resolver/"
    form = subdirector.get(f"/reprogramaciones/{requested.pk}/").content.decode()
    assert "maxlength" not in form.split('id="note"')[1].split(">")[0]  # a long paste is refused whole, never cut
    long_note = "x" * (reprogramming.MAX_JUSTIFICATION + 1)
    response = subdirector.post(url, {"decision": "reject", "note": long_note})
    assert response.status_code == 400 and "Las observaciones pueden tener hasta 4,000 caracteres" in (
        response.content.decode()
    )
    assert subdirector.post(url, {"decision": "reject", "note": "   "}).status_code == 400
    requested.refresh_from_db()
    assert requested.status == "requested" and requested.decision_note == ""
