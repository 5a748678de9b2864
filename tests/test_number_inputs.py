"""Generated values thrown at every importer and every form that takes a number, through the same requests people
make: the answer is the value stored exactly, or a Spanish refusal with nothing written — never a 500.

Each strategy draws a raw input together with what it must become (a number, or REFUSED), so the oracle does not
depend on the parser under test. Valid values reach the columns' bounds, which are equal on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from planea.audit.verify import verify_chain
from planea.operations import goals, lifecycle
from planea.operations.forms import PlanCreateForm
from planea.operations.goals_excel import export_goals
from planea.operations.inputs_excel import export_catalog, export_matrix
from planea.operations.models import InputCatalogItem, InputRequirement, PhysicalGoal, Reprogramming
from planea.org.models import CostCenter
from planea.procedures.models import Definition
from planea.strategy import versions as strategy
from planea.strategy.models import IndicatorTarget

pytestmark = pytest.mark.django_db
REFUSED = object()
EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
INT32 = 2_147_483_647
MONEY = Decimal("999999999999.99")  # max_digits 14, 2 places
NOT_NUMBERS = [
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1E+30",
    "3e9",
    "²",
    "١٢٣",
    "１２",
    "1,2",
    "0x1F",
    "1_000",
    "diez",
]
ALMOST_NUMBER = re.compile(r"[0-9,.+\- \u00a0\u202f\u2009]*")


def _text_that_is_no_number() -> st.SearchStrategy[tuple[Any, object]]:
    characters = st.characters(blacklist_categories=("Cs", "Cc"))
    return (
        st.text(characters, min_size=1, max_size=30)
        .filter(lambda t: not ALMOST_NUMBER.fullmatch(t) and not t.startswith(("=", "'")) and t.strip() != "")
        .map(lambda t: (t, REFUSED))
    )


def _refused_everywhere() -> st.SearchStrategy[tuple[Any, object]]:
    return st.one_of(
        st.sampled_from(NOT_NUMBERS).map(lambda t: (t, REFUSED)),
        st.floats(allow_nan=True, allow_infinity=True)
        .filter(lambda f: f != f or f in (float("inf"), float("-inf")))
        .map(lambda f: (f, REFUSED)),
        _text_that_is_no_number(),
    )


def whole(low: int, high: int) -> st.SearchStrategy[tuple[Any, object]]:
    """(raw, expected) for a valid whole-number input between `low` and `high`, typed or as an Excel number."""
    return st.integers(low, high).flatmap(
        lambda n: st.sampled_from([(n, n), (str(n), n), (f"{n:,}", n), (float(n), n) if abs(n) < 2**53 else (n, n)])
    )


def integers(low: int, high: int) -> st.SearchStrategy[tuple[Any, object]]:
    """(raw, expected) for a whole-number input: half valid, half refused for every reason there is."""
    return st.one_of(
        whole(low, high),
        st.one_of(
            st.integers(max_value=low - 1).map(lambda n: (n, REFUSED)),
            st.integers(min_value=high + 1, max_value=10**20).map(lambda n: (n, REFUSED)),
            st.floats(min_value=low, max_value=high).filter(lambda f: not f.is_integer()).map(lambda f: (f, REFUSED)),
            st.floats(min_value=high + 1, max_value=1e300).map(lambda f: (f, REFUSED)),
            _refused_everywhere(),
        ),
    )


def month_cells(low: int, high: int) -> st.SearchStrategy[list[tuple[Any, object]]]:
    """Up to twelve month cells: all valid (so that the write path is exercised), or a few of any kind."""
    return st.one_of(
        st.lists(whole(low, high), min_size=1, max_size=12), st.lists(integers(low, high), min_size=1, max_size=4)
    )


def amount(low: Decimal, high: Decimal) -> st.SearchStrategy[tuple[Any, object]]:
    return st.decimals(min_value=low, max_value=high, places=2).flatmap(
        lambda d: st.sampled_from([(d, d), (str(d), d), (f"{d:,}", d), (float(d), d)])
    )


def money(low: Decimal, high: Decimal) -> st.SearchStrategy[tuple[Any, object]]:
    """(raw, expected) for an amount with two decimals between `low` and `high`: half valid, half refused."""
    return st.one_of(
        amount(low, high),
        st.one_of(
            st.decimals(min_value=high + Decimal("0.01"), max_value=Decimal(10) ** 30, places=2).map(
                lambda d: (str(d), REFUSED)
            ),
            st.decimals(min_value=low, max_value=high, places=4)
            .filter(lambda d: d != d.quantize(Decimal("0.01")))
            .map(lambda d: (str(d), REFUSED)),
            st.decimals(max_value=low - Decimal("0.01"), min_value=-(Decimal(10) ** 20), places=2).map(
                lambda d: (str(d), REFUSED)
            ),
            _refused_everywhere(),
        ),
    )


def as_text(raw: Any) -> str:
    return raw if isinstance(raw, str) else str(raw)


def xlsx_with(template: bytes, sheet: str, cells: dict[str, Any]) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    for ref, value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def post_file(client: Any, url: str, data: bytes) -> Any:
    return client.post(url, {"file": SimpleUploadedFile("archivo.xlsx", data)})


REFUSALS = (
    "no es un número",
    "demasiado grande",
    "negativo",
    "entero",
    "decimales",
    "al menos",
    "libro de Excel",
    "obligatorio",
    "dígitos de otra escritura",
)


def assert_refused(response: Any) -> None:
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert any(reason in page for reason in REFUSALS), page[-2000:]


MONTHS = "EFGHIJKLMNOP"  # the goal template's January to December


def test_goals_import(plans, client_as):
    poa, land = plans["poa"], plans["land"]
    template = export_goals(poa)
    sheet = load_workbook(io.BytesIO(template))["Metas"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == land.code)
    center = sheet[f"C{row}"].value
    client = client_as("jefe_planes_programas")
    url = f"/planes/{poa.pk}/metas/importar/"

    center_id = CostCenter.objects.get(code=center).pk

    def stored() -> dict[int, int]:
        return {m: v for (_s, c, _y, m), v in goals.values_of(poa, [land.pk]).items() if c == center_id}

    @EXAMPLES
    @given(month_cells(0, INT32))
    def run(values: list[tuple[Any, object]]) -> None:
        before = stored()
        cells = {f"{MONTHS[i]}{row}": raw for i, (raw, _e) in enumerate(values)}
        response = post_file(client, url, xlsx_with(template, "Metas", cells))
        if any(expected is REFUSED for _r, expected in values):
            assert_refused(response)
            assert stored() == before
        else:
            assert response.status_code == 302, response.content.decode()[-1500:]
            after = stored()
            assert [after.get(m, 0) for m in range(1, len(values) + 1)] == [e for _r, e in values]

    run()
    assert verify_chain().ok


def test_catalog_import(plans, client_as):
    template = export_catalog()
    client = client_as("subdireccion_tecnica_administrativa")
    code = load_workbook(io.BytesIO(template))["Catálogo de insumos"]["A2"].value

    @EXAMPLES
    @given(money(Decimal(0), MONEY))
    def run(value: tuple[Any, object]) -> None:
        raw, expected = value
        before = InputCatalogItem.objects.get(code=code).unit_price
        response = post_file(client, "/insumos/importar/", xlsx_with(template, "Catálogo de insumos", {"E2": raw}))
        if expected is REFUSED:
            assert_refused(response)
            assert InputCatalogItem.objects.get(code=code).unit_price == before
        else:
            assert response.status_code == 302, response.content.decode()[-1500:]
            assert InputCatalogItem.objects.get(code=code).unit_price == expected

    run()


def test_matrix_import(plans, client_as):
    poa = plans["poa"]
    template = export_matrix(poa)
    client = client_as("jefe_planes_programas")
    line = InputRequirement.objects.get(plan=poa)

    @EXAMPLES
    @given(money(Decimal(0), MONEY))
    def run(value: tuple[Any, object]) -> None:
        raw, expected = value
        before = list(InputRequirement.objects.filter(plan=poa).values_list("quantity", flat=True))
        response = post_file(
            client, f"/planes/{poa.pk}/insumos/importar/", xlsx_with(template, "Matriz de insumos", {"F2": raw})
        )
        quantities = list(InputRequirement.objects.filter(plan=poa).values_list("quantity", flat=True))
        if expected is REFUSED:
            assert_refused(response)
            assert quantities == before
        else:
            assert response.status_code == 302, response.content.decode()[-1500:]
            assert InputRequirement.objects.get(plan=poa, item=line.item, month=line.month).quantity == expected
        # The plan's pages read every stored amount back (an unbounded one broke them on SQLite).
        assert client.get(f"/planes/{poa.pk}/consistencia/").status_code == 200
        assert client.get(f"/planes/{poa.pk}/techos/").status_code == 200

    run()


def grid_inputs(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="([co]-\d+-\d+-\d+)" value="([^"]*)"', page))


def test_goal_grid_and_reprogramming_forms(plans, demo, client_as):
    poa, land = plans["poa"], plans["land"]
    client = client_as("jefe_planes_programas")
    grid = f"/planes/{poa.pk}/metas/?subproducto={land.pk}"
    center = PhysicalGoal.objects.filter(plan=poa, subproduct=land).first().cost_center_id

    def stored(attr: str) -> list[int]:
        row = PhysicalGoal.objects.get(plan=poa, subproduct=land, cost_center_id=center, year=2026)
        return [row.value(attr, m) for m in range(1, 13)]

    @EXAMPLES
    @given(month_cells(0, INT32))
    def save_grid(values: list[tuple[Any, object]]) -> None:
        before = stored("planned")
        data = grid_inputs(client.get(grid).content.decode())
        data.update({f"c-{center}-2026-{i + 1}": as_text(raw) for i, (raw, _e) in enumerate(values)})
        response = client.post(f"/planes/{poa.pk}/metas/guardar/", {**data, "subproducto": land.pk})
        if any(e is REFUSED for _r, e in values):
            assert response.status_code == 400 and "Corrija las celdas marcadas" in response.content.decode()
            assert stored("planned") == before
        else:
            assert response.status_code == 302
            assert stored("planned")[: len(values)] == [e for _r, e in values]

    save_grid()
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    url = f"/planes/{poa.pk}/reprogramaciones/nueva/"

    @EXAMPLES
    @given(month_cells(0, INT32))
    def reprogram(values: list[tuple[Any, object]]) -> None:
        current, requests = stored("current"), Reprogramming.objects.count()
        data = grid_inputs(client.get(f"{url}?subproducto={land.pk}").content.decode())
        data.update({f"c-{center}-2026-{i + 1}": as_text(raw) for i, (raw, _e) in enumerate(values)})
        response = client.post(url, {**data, "subproducto": land.pk, "justification": "Ajuste por temporada alta."})
        changes = [e != current[i] for i, (_r, e) in enumerate(values)]
        if any(e is REFUSED for _r, e in values):
            assert response.status_code == 400 and "Corrija las celdas marcadas" in response.content.decode()
            assert Reprogramming.objects.count() == requests
        elif not any(changes):
            assert response.status_code == 400 and "no cambia ninguna meta" in response.content.decode()
        else:
            assert response.status_code == 302
            created = Reprogramming.objects.latest("pk")
            lines = {line.month: line.after for line in created.lines.all()}
            assert lines == {i + 1: e for i, (_r, e) in enumerate(values) if changes[i]}
        assert stored("current") == current  # nothing applies before the subdirector approves

    reprogram()


def test_ceilings_form(plans, client_as):
    poa, land = plans["poa"], plans["land"]
    client = client_as("subdireccion_financiera")
    name = f"t-{land.product_id}-{land.pk}"
    ceiling_max = Decimal("9999999999999.99")  # max_digits 16, cut to the 15 digits both databases keep

    def stored() -> Decimal | None:
        found = poa.ceilings.filter(subproduct=land).first()
        return found.amount if found else None

    @EXAMPLES
    @given(money(Decimal(0), ceiling_max))
    def run(value: tuple[Any, object]) -> None:
        raw, expected = value
        before = stored()
        response = client.post(f"/planes/{poa.pk}/techos/guardar/", {name: as_text(raw)})
        if expected is REFUSED:
            assert response.status_code == 400 and "Corrija los montos marcados" in response.content.decode()
            assert stored() == before
        else:
            assert response.status_code == 302
            assert stored() == expected
        assert client.get(f"/planes/{poa.pk}/techos/").status_code == 200

    run()


def test_due_days_form(demo, client_as):
    client = client_as("administrador")
    p6 = Definition.objects.get(code="11.01.U0.P6")

    @EXAMPLES
    @given(integers(1, 250))
    def run(value: tuple[Any, object]) -> None:
        raw, expected = value
        before = Definition.objects.get(pk=p6.pk).due_days
        response = client.post(f"/procedimientos/definiciones/{p6.pk}/plazos/", {"days_4": as_text(raw)}, follow=True)
        assert response.status_code == 200
        after = Definition.objects.get(pk=p6.pk).due_days
        if expected is REFUSED:
            assert "Paso 4: el plazo debe ser un número entero" in response.content.decode()
            assert after == before
        else:
            assert after.get("4") == expected

    run()


def test_indicator_form(plans, demo, client_as):
    draft = strategy.new_version(plans["pei"], actor=demo["jefe_planes_programas"], reason="Ajuste")
    indicator = draft.indicators.get(code="IND-01")
    client = client_as("jefe_planes_programas")
    bound = Decimal("9999999999999.99")
    base = {
        "result": indicator.result_id,
        "code": indicator.code,
        "name": indicator.name,
        "formula": indicator.formula,
        "unit": indicator.unit,
        "baseline_year": 2020,
        "baseline_value": "1",
        "source": "Sistema",
        "frequency": "yearly",
        "responsible_unit": indicator.responsible_unit_id,
    }

    @EXAMPLES
    @given(money(-bound, bound), money(-bound, bound))
    def run(baseline: tuple[Any, object], target: tuple[Any, object]) -> None:
        before = (indicator.__class__.objects.get(pk=indicator.pk).baseline_value, target_2030())
        form = {**base, "baseline_value": as_text(baseline[0]), "target_2030": as_text(target[0])}
        response = client.post(f"/pei/{draft.pk}/indicador/{indicator.pk}/", form)
        if baseline[1] is REFUSED or target[1] is REFUSED:
            assert response.status_code == 400
            assert (indicator.__class__.objects.get(pk=indicator.pk).baseline_value, target_2030()) == before
        else:
            assert response.status_code == 302
            assert indicator.__class__.objects.get(pk=indicator.pk).baseline_value == baseline[1]
            assert target_2030() == target[1]

    def target_2030() -> Decimal | None:
        found = IndicatorTarget.objects.filter(indicator=indicator, year=2030).first()
        return found.value if found else None

    run()


@EXAMPLES
@given(integers(2000, 2100))
def test_plan_create_form_years(value):
    raw, expected = value
    form = PlanCreateForm({"kind": "annual", "start_year": as_text(raw)})
    form.is_valid()
    if expected is REFUSED:
        assert "start_year" in form.errors
    else:
        assert "start_year" not in form.errors
        assert form.cleaned_data["start_year"] == expected
