"""A new POA's starting goals (operations/starting_goals.py), chosen on the new-plan form: the POM's annual goals
spread by last year's months (evenly where there is no pattern), a copy of the previous POA, or none."""

import pytest

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.operations import goals
from planea.operations.models import WHOLE_YEAR, OperationalPlan
from planea.operations.starting_goals import spread
from planea.org.models import CostCenter

pytestmark = pytest.mark.django_db


def new_poa(client, plans, start, **extra):
    form = {
        "kind": "annual",
        "start_year": "2027",
        "strategic_plan": plans["pei"].pk,
        "multiannual": plans["pom"].pk,
        "start": start,
        **extra,
    }
    return client.post("/planes/nuevo/", form, follow=True)


def by_row(cells, year):
    rows: dict[tuple[int, int], list[int]] = {}
    for (s, c, y, _m), v in sorted(cells.items()):
        if y == year:
            rows.setdefault((s, c), []).append(v)
    return rows


def test_spreading_keeps_the_total_and_the_pattern():
    assert spread(1200, [1] * 12) == [100] * 12
    assert spread(10, [0] * 12) == [1] * 10 + [0, 0]  # no pattern: evenly, the rest to the first months
    assert spread(7, [0] * 11 + [5]) == [0] * 11 + [7]
    uneven = spread(1000, [3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    assert uneven == [214] + [72] * 5 + [71] * 6  # 214.3 and 71.4: the five left go to the largest remainders
    assert spread(0, [4] * 12) == [0] * 12


def test_a_poa_starts_from_the_pom_spread_as_last_years_poa(plans, demo, client_as):
    pom, poa26, land = plans["pom"], plans["poa"], plans["land"]
    # A row the POM has and last year's POA has not: spread evenly.
    airport = CostCenter.objects.get(code="0501")
    air = plans["pei"].subproducts.get(code="P04-01")
    with goals.transaction.atomic():
        goals.write(
            goals.lock_plan(pom),
            {(air.pk, airport.pk, 2027, WHOLE_YEAR): 1_205},
            actor=None,
            action="x",
            summary="%(n)s",
        )
    annual = {(s, c): v for (s, c, y, _m), v in goals.values_of(pom, attr="current").items() if y == 2027 and v}
    patterns = by_row(goals.values_of(poa26, attr="current"), 2026)
    assert len(annual) > 2 and all(patterns[row] for row in annual if row[0] == land.pk)

    page = new_poa(client_as("jefe_planes_programas"), plans, "pom").content.decode()

    poa27 = OperationalPlan.objects.get(code="POA-2027")
    started = by_row(goals.values_of(poa27), 2027)
    assert set(started) == set(annual)
    for row, total in annual.items():
        assert sum(started[row]) == total
        assert started[row] == spread(total, patterns.get(row, [0] * 12))
    assert started[(air.pk, airport.pk)] == [101] * 5 + [100] * 7
    assert by_row(goals.values_of(poa27, attr="current"), 2027) == started  # a draft: current equals programmed
    assert f"Empieza con {len(annual) * 12:,} metas mensuales" in page
    event = AuditEvent.objects.get(action="goals_started_from_pom")
    assert (
        event.summary == f"{len(annual) * 12} metas de POA-2027 a partir de POM-2026-2030, repartidas como en POA-2026"
    )
    assert AuditEvent.objects.filter(action="operational_plan_created", object_id=str(poa27.pk)).exists()
    assert verify_chain().ok


def test_a_poa_starts_as_a_copy_of_the_previous_one(plans, client_as):
    before = by_row(goals.values_of(plans["poa"], attr="current"), 2026)

    page = new_poa(client_as("jefe_planes_programas"), plans, "previous", multiannual="").content.decode()

    poa27 = OperationalPlan.objects.get(code="POA-2027")
    assert by_row(goals.values_of(poa27), 2027) == {row: months for row, months in before.items() if any(months)}
    assert "Empieza con" in page
    event = AuditEvent.objects.get(action="goals_copied_from_previous")
    assert event.summary.endswith("metas de POA-2027 copiadas de POA-2026") and event.actor.username == (
        "jefe_planes_programas"
    )


def test_an_empty_poa_stays_empty_and_a_missing_source_creates_nothing(plans, client_as):
    client = client_as("jefe_planes_programas")
    refused = new_poa(client, plans, "pom", multiannual="")
    assert refused.status_code == 400
    assert "Para partir del POM, elija un POM de referencia que abarque 2027." in refused.content.decode()
    refused = new_poa(client, plans, "previous", start_year="2029")
    assert refused.status_code == 400 and "No hay un POA 2028 que copiar." in refused.content.decode()
    assert not OperationalPlan.objects.filter(code__in=["POA-2027", "POA-2029"]).exists()
    # The form keeps the choice made.
    assert '<option value="previous" selected>' in refused.content.decode()

    new_poa(client, plans, "empty")
    assert goals.values_of(OperationalPlan.objects.get(code="POA-2027")) == {}
    assert not AuditEvent.objects.filter(action__in=["goals_started_from_pom", "goals_copied_from_previous"]).exists()
