"""The results chain of a PEI version (strategy/results_chain.py): its tree, its elements and an indicator's yearly
targets created, changed and deleted only while a draft, through the service and through the item forms."""

from decimal import Decimal

import pytest

from planea.audit.models import AuditEvent
from planea.strategy import results_chain, versions
from planea.strategy.models import Indicator
from planea.strategy.plans import StrategyError

pytestmark = pytest.mark.django_db


def test_the_chain_lists_each_result_after_its_parent_with_its_indicators_and_products(draft, client_as):
    nodes = results_chain.chain(draft)
    assert len(nodes) == draft.results.count()
    seen: dict[int, int] = {}
    for node in nodes:
        parent = node.result.parent_id
        assert node.depth == (seen[parent] + 1 if parent else 0)  # the parent came first, one level up
        seen[node.result.pk] = node.depth
        assert all(i.result_id == node.result.pk for i in node.indicators)
    assert sum(len(node.products) for node in nodes) == draft.products.count()
    page = client_as("jefe_planes_programas").get(f"/pei/{draft.pk}/")
    assert page.context["chain"] == nodes


def test_an_indicator_keeps_the_targets_its_form_posts(draft, demo):
    """The demo's IND-01 has a target for each year 2021-2030: one changed and one emptied are one event each."""
    actor = demo["jefe_planes_programas"]
    indicator = draft.indicators.get(code="IND-01")
    before = dict(indicator.targets.values_list("year", "value"))
    mark = AuditEvent.objects.latest("seq").seq
    results_chain.save_item(indicator, actor=actor, targets={**before, 2030: Decimal("90"), 2021: None})
    after = dict(Indicator.objects.get(pk=indicator.pk).targets.values_list("year", "value"))
    assert after == {year: value for year, value in {**before, 2030: Decimal("90")}.items() if year != 2021}
    events = AuditEvent.objects.filter(seq__gt=mark, object_type="strategy.indicatortarget").order_by("seq")
    assert list(events.values_list("action", flat=True)) == ["pei_content_deleted", "pei_content_updated"]


def test_a_result_others_depend_on_is_not_deleted(draft, demo, client_as):
    result = draft.results.filter(children__isnull=False).first() or draft.results.first()
    with pytest.raises(StrategyError, match="no se puede eliminar: otros elementos del PEI dependen de él."):
        results_chain.delete_content(result, actor=demo["jefe_planes_programas"])
    page = (
        client_as("jefe_planes_programas")
        .post(f"/pei/{draft.pk}/resultado/{result.pk}/eliminar/", follow=True)
        .content.decode()
    )
    assert "no se puede eliminar" in page and draft.results.filter(pk=result.pk).exists()


def test_a_draft_is_edited_through_forms_and_an_approved_one_refuses(plans, demo, client_as):
    client = client_as("jefe_planes_programas")
    pei = plans["pei"]
    page = client.get(f"/pei/{pei.pk}/").content.decode()
    assert "Versión aprobada: es de solo lectura" in page and "P02-02" in page and "IND-03" in page
    response = client.get(f"/pei/{pei.pk}/resultado/nuevo/")
    assert response.status_code == 302  # approved: back to the plan with a message
    draft = versions.new_version(pei, actor=demo["jefe_planes_programas"], reason="Ajuste")
    response = client.post(
        f"/pei/{draft.pk}/resultado/nuevo/",
        {"code": "RI-01", "level": "immediate", "name": "Repetido", "parent": draft.results.get(code="RI-01").pk},
    )
    assert response.status_code == 400 and "Ya existe el código RI-01" in response.content.decode()
    response = client.post(
        f"/pei/{draft.pk}/resultado/nuevo/",
        {
            "code": "RIn-01",
            "level": "immediate",
            "name": "Documentos en menos días",
            "parent": draft.results.get(code="RI-01").pk,
        },
    )
    assert response.status_code == 302
    indicator = draft.indicators.get(code="IND-01")
    form = {
        "result": indicator.result_id,
        "code": "IND-01",
        "name": indicator.name,
        "formula": indicator.formula,
        "unit": "porcentaje",
        "baseline_year": 2020,
        "baseline_value": "62",
        "source": "Sistema",
        "frequency": "yearly",
        "responsible_unit": indicator.responsible_unit_id,
        "target_2030": "85",
        "target_2021": "",
    }
    assert client.post(f"/pei/{draft.pk}/indicador/{indicator.pk}/", form).status_code == 302
    assert dict(indicator.targets.values_list("year", "value"))[2030] == 85
    assert 2021 not in dict(indicator.targets.values_list("year", "value"))
    page = client.get(f"/pei/comparar/?a={pei.pk}&b={draft.pk}").content.decode()
    assert "RIn-01" in page and "diff-added" in page and "diff-changed" in page
    assert client_as("enlace_area").post(f"/pei/{draft.pk}/resultado/nuevo/", {}).status_code == 403


def test_ids_past_any_column_in_a_choice_of_several_are_an_invalid_choice_not_500(plans, demo, client_as):
    """Found by the attacker trial of 26 Nov: cost centers or responsible units posted as 2^63 answered 500 (SQLite
    cannot compare the number); they are a form error on the field, with everything typed kept."""
    client = client_as("jefe_planes_programas")
    draft = versions.new_version(plans["pei"], actor=demo["jefe_planes_programas"], reason="Ajuste")
    product = draft.products.first()
    unit = product.responsible_units.first() or draft.subproducts.first().responsible_units.first()
    for huge in ("9223372036854775808", "99999999999999999999999999"):
        form = {"product": product.pk, "code": "P99-01", "name": "Nuevo subproducto", "unit": product.unit_id}
        form |= {"responsible_units": [unit.pk, huge], "cost_centers": [huge]}
        response = client.post(f"/pei/{draft.pk}/subproducto/nuevo/", form)
        page = response.content.decode()
        assert response.status_code == 400 and "Nuevo subproducto" in page, response.status_code
        assert "no es una de las opciones disponibles" in page or "Escoja una opción válida" in page


def test_a_result_with_a_parent_and_no_valid_level_is_told_so_not_500(draft, client_as):
    parent = draft.results.get(code="RI-01").pk
    for level in ("", "x"):
        response = client_as("jefe_planes_programas").post(
            f"/pei/{draft.pk}/resultado/nuevo/", {"code": "R9", "name": "Prueba", "level": level, "parent": parent}
        )
        assert response.status_code == 400 and 'aria-describedby="id_level_errors"' in response.content.decode()
    assert not draft.results.filter(code="R9").exists()


def test_the_chain_shows_targets_grouped_and_each_indicator_with_its_formula_and_unit(plans, client_as):
    """Targets in millions read 7,800,000; the formula, unit and source sit under the indicator's name, so that the
    years and the responsible unit keep to the screen; a code is never broken across lines (planea.css)."""
    page = client_as("jefe_planes_programas").get(f"/pei/{plans['pei'].pk}/").content.decode()
    indicator = Indicator.objects.get(plan=plans["pei"], code="IND-04")
    row = page[page.index(f'id="indicador-{indicator.pk}"') :]
    row = row[: row.index("</tr>")]
    target = indicator.targets.get(year=2030).value
    assert target >= 1000 and f'<td class="text-end" data-year="2030">{int(target):,}</td>' in row
    assert f"{indicator.baseline_value:,.0f}" in row and indicator.unit in row and indicator.formula in row
    assert f'<code title="{indicator.responsible_unit.name}">{indicator.responsible_unit.code}</code>' in row
