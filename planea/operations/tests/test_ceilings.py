"""Budget ceilings (operations/ceilings.py): the form's rows beside the input matrix, the amounts typed in it, and
their one writer, through the service and through the ceilings page."""

import re
from decimal import Decimal

import pytest

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.operations import ceilings, lifecycle
from planea.operations.plans import OperationsError

pytestmark = pytest.mark.django_db


def test_the_rows_put_each_ceiling_beside_the_amount_of_the_matrix(plans):
    """The fixture's matrix has one line of the land posts (100 gallons × Q31.50) and a ceiling of Q5,000 on their
    product: the product's row adds up its subproducts' amounts."""
    poa, land = plans["poa"], plans["land"]
    rows = {
        (row.product.pk, row.subproduct.pk if row.subproduct else None): row for row in ceilings.rows(poa, None, None)
    }
    product = rows[(land.product_id, None)]
    assert (product.field, product.ceiling, product.amount) == (
        f"t-{land.product_id}-0",
        Decimal("5000.00"),
        Decimal("3150.00"),
    )
    assert (rows[(land.product_id, land.pk)].ceiling, rows[(land.product_id, land.pk)].amount) == (
        None,
        Decimal("3150.00"),
    )
    only_land = ceilings.rows(poa, {land.pk}, None)
    assert [row.subproduct for row in only_land] == [None, land]  # a reader of one subproduct: it and its product


def test_the_typed_amounts_are_parsed_and_an_empty_one_removes_its_ceiling(plans):
    poa, land = plans["poa"], plans["land"]
    values, errors = ceilings.parse(poa, {f"t-{land.product_id}-{land.pk}": "2,500.50", f"t-{land.product_id}-0": "x"})
    assert values[(land.product_id, land.pk)] == Decimal("2500.50")
    assert errors == {f"t-{land.product_id}-0": "«x» no es un número."}
    values, errors = ceilings.parse(poa, {})
    assert not errors and set(values.values()) == {None}


def test_setting_ceilings_writes_only_what_changed_in_one_audit_event(plans, demo):
    poa, land = plans["poa"], plans["land"]
    finance = demo["subdireccion_financiera"]
    amounts: dict[ceilings.CeilingKey, Decimal | None] = {
        (land.product_id, None): Decimal("5000.00"),
        (land.product_id, land.pk): Decimal("700"),
    }
    assert ceilings.set_ceilings(poa, amounts, actor=finance) == 1  # the product's is already Q5,000
    event = AuditEvent.objects.filter(action="ceilings_set").latest("seq")
    assert event.summary == "1 techo presupuestario registrado en POA-2026"
    assert event.after == {"P02-02": "700"} and event.before == {"P02-02": None}
    assert ceilings.set_ceilings(poa, {(land.product_id, land.pk): None}, actor=finance) == 1
    assert not poa.ceilings.filter(subproduct=land).exists()
    refusals: list[tuple[dict[ceilings.CeilingKey, Decimal | None], str]] = [
        ({(land.product_id, None): Decimal(-1)}, "Un techo no puede ser negativo."),
        ({(999_999, None): Decimal(1)}, "El producto o subproducto no es del PEI del plan."),
    ]
    for refused, message in refusals:
        with pytest.raises(OperationsError, match=message):
            ceilings.set_ceilings(poa, refused, actor=finance)
    assert verify_chain().ok


def test_an_approved_plan_keeps_its_ceilings(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    with pytest.raises(OperationsError, match="POA-2026 está aprobado; sus techos ya no cambian."):
        ceilings.set_ceilings(poa, {(land.product_id, None): Decimal(1)}, actor=demo["subdireccion_financiera"])
    client = client_as("subdireccion_financiera")
    response = client.post(f"/planes/{poa.pk}/techos/guardar/", {f"t-{land.product_id}-0": "1"})
    assert response.status_code == 400 and "sus techos ya no cambian" in response.content.decode()
    page = client.get(f"/planes/{poa.pk}/techos/").content.decode()
    assert "Guardar techos" not in page and "readonly" in page
    assert poa.ceilings.get(product_id=land.product_id, subproduct=None).amount == Decimal("5000.00")


def test_ceiling_screen_refuses_bad_amounts_and_saves_good_ones(plans, client_as):
    poa, land = plans["poa"], plans["land"]
    client = client_as("subdireccion_financiera")
    name = f"t-{land.product_id}-{land.pk}"
    response = client.post(f"/planes/{poa.pk}/techos/guardar/", {name: "mil"})
    assert response.status_code == 400 and "«mil» no es un número." in response.content.decode()
    response = client.post(f"/planes/{poa.pk}/techos/guardar/", {name: "2,500.50", f"t-{land.product_id}-0": "5000"})
    assert response.status_code == 302
    assert poa.ceilings.get(subproduct=land).amount == Decimal("2500.50")
    assert client_as("jefe_planes_programas").post(f"/planes/{poa.pk}/techos/guardar/", {name: "1"}).status_code == 403


def test_a_plan_in_review_keeps_the_ceilings_its_anteproyectos_were_made_with(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    lifecycle.send_to_review([poa], actor=demo["jefe_planes_programas"])
    with pytest.raises(
        OperationsError, match=r"POA-2026 no está en borrador \(En revisión\); sus techos se cambian cuando vuelva a"
    ):
        ceilings.set_ceilings(poa, {(land.product_id, None): Decimal(1)}, actor=demo["subdireccion_financiera"])
    response = client_as("subdireccion_financiera").post(
        f"/planes/{poa.pk}/techos/guardar/", {f"t-{land.product_id}-0": "1"}
    )
    assert response.status_code == 400 and "no está en borrador (En revisión)" in response.content.decode()
    assert poa.ceilings.get(product_id=land.product_id, subproduct=None).amount == Decimal("5000.00")
    page = client_as("subdireccion_financiera").get(f"/planes/{poa.pk}/techos/").content.decode()
    assert "Guardar techos" not in page and "readonly" in page


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_ceiling_is_shown_grouped_and_posted_back_as_shown_it_stays(plans, client_as, settings, language):
    poa, land = plans["poa"], plans["land"]
    client = client_as("subdireccion_financiera")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    product = f"t-{land.product_id}-0"
    page = client.get(f"/planes/{poa.pk}/techos/").content.decode()
    assert f'id="{product}" name="{product}"' in page and 'value="5,000.00"' in page  # the fixture's Q 5000
    shown = dict(re.findall(r'name="(t-[\d-]+)"[^>]*value="([^"]*)"', page))
    assert shown[product] == "5,000.00"
    events = AuditEvent.objects.filter(action="ceilings_set").count()
    assert client.post(f"/planes/{poa.pk}/techos/guardar/", shown).status_code == 302
    assert poa.ceilings.get(subproduct=None, product_id=land.product_id).amount == Decimal("5000.00")
    assert AuditEvent.objects.filter(action="ceilings_set").count() == events  # read as shown: nothing changed
