"""Every URL pattern × every role (and nobody signed in) answers as the declared policy table says."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from planea.jobs.models import Job
from planea.org.access import POLICIES
from planea.org.models import CostCenter, OrgUnit, Person
from planea.org.roles import Role
from planea.procedures import cases
from planea.procedures.drive import step_through
from planea.procedures.models import Case

pytestmark = pytest.mark.django_db


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str | None, str]]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), str(pattern.pattern)


def view_names() -> list[str]:
    """The names of every URL pattern (that none is unnamed is a test of its own)."""
    return [name for name, _route in named_patterns() if name is not None]


# Arguments for URLs that take them, chosen inside the area liaison's scope (10.02.U0) so that only the
# policy decides. A job belongs to the person who asks for it.
SAMPLES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "org:unit_edit": lambda user: {"pk": OrgUnit.objects.get(code="10.02.U0").pk},
    "org:costcenter_edit": lambda user: {"pk": CostCenter.objects.get(code="0209").pk},
    "org:person_edit": lambda user: {"pk": user.pk if user else 1},
    "audit:event_detail": lambda user: {"pk": 1},
    "jobs:detail": lambda user: {"pk": sample_job(user).pk},
    "jobs:progress": lambda user: {"pk": sample_job(user).pk},
    "jobs:download": lambda user: {"pk": sample_job(user).pk},
    "procedures:detail": lambda user: {"code": "11.01.U0.P6"},
    "procedures:case_start": lambda user: {"code": "11.01.U0.P6"},
    "procedures:version_upload": lambda user: {"code": "11.01.U0.P6"},
    "procedures:definition_xml": lambda user: {"pk": sample_case().definition_id},
    "procedures:due_days": lambda user: {"pk": sample_case().definition_id},
    "procedures:case": lambda user: {"pk": sample_case().pk},
    "procedures:case_document": lambda user: {
        "pk": sample_case().pk,
        "document_pk": sample_case().tasks.first().attachments.first().document_id,
    },
    **{
        f"procedures:task_{action}": lambda user: {"pk": sample_case().tasks.last().pk}
        for action in ("claim", "release", "assign", "attach", "oficio", "complete")
    },
    **{
        name: lambda user: {"pk": sample_case().tasks.get(number="1").requests.get().pk}
        for name in ("procedures:step_request", "procedures:step_request_document")
    },
    "operations:generate_anteproyectos": lambda user: {"task_pk": sample_case().tasks.last().pk},
    "operations:acknowledge_consistency": lambda user: {"task_pk": sample_case().tasks.last().pk},
    "proposal:generate_annex": lambda user: {"task_pk": sample_case().tasks.last().pk},
    "proposal:generate_siges": lambda user: {"task_pk": sample_case().tasks.last().pk},
    **{f"proposal:{name}": lambda user: {"pk": 1} for name in ("money", "siges", "siges_xlsx")},
    "proposal:siges_document": lambda user: {"pk": 1, "document_pk": 1},
    **{
        name: lambda user: {"pk": sample_plans()["pei"].pk}
        for name in ("strategy:detail", "strategy:edit", "strategy:new_version", "strategy:start_case")
    },
    "strategy:item_create": lambda user: {"pk": sample_plans()["pei"].pk, "kind": "resultado"},
    "strategy:item_edit": lambda user: {
        "pk": sample_plans()["pei"].pk,
        "kind": "resultado",
        "item_pk": sample_plans()["pei"].results.first().pk,
    },
    "strategy:item_delete": lambda user: {
        "pk": sample_plans()["pei"].pk,
        "kind": "resultado",
        "item_pk": sample_plans()["pei"].results.first().pk,
    },
    **{
        f"operations:{name}": lambda user: {"pk": sample_plans()["poa"].pk}
        for name in (
            "detail",
            "detail_centers",
            "start_case",
            "grid",
            "grid_save",
            "goals_export",
            "goals_import",
            "matrix",
            "matrix_export",
            "matrix_import",
            "ceilings",
            "ceilings_save",
            "consistency",
            "anteproyecto_pdf",
            "anteproyecto_xlsx",
            "reprogramming_list",
            "reprogramming_create",
        )
    },
    "operations:anteproyecto_document": lambda user: {"pk": sample_plans()["poa"].pk, "document_pk": 1},
    **{
        f"operations:{name}": lambda user: {"pk": sample_reprogramming().pk}
        for name in ("reprogramming", "reprogramming_decide")
    },
    "statistics:series": lambda user: {"code": sample_period().variable.code},
    "statistics:series_csv": lambda user: {"code": sample_period().variable.code},
    "statistics:period_mark": lambda user: {"code": sample_period().variable.code},
    "statistics:period_remove": lambda user: {"code": sample_period().variable.code, "pk": sample_period().pk},
    "forecasting:run": lambda user: {"pk": sample_forecast().run_id},
    "forecasting:series": lambda user: {"pk": sample_forecast().run_id, "series_pk": sample_forecast().pk},
    "programming:link": lambda user: {"case_pk": sample_programming().case_id},
    **{
        f"programming:{name}": lambda user: {"pk": sample_programming().pk}
        for name in ("choose_run", "start_forecast", "comparison", "comparison_xlsx", "tolerance")
    },
    **{
        f"execution:{name}": lambda user: {"pk": sample_month().pk}
        for name in ("month", "history", "save", "prefill", "export", "import")
    },
    "execution:decide": lambda user: {"pk": sample_month().pk, "action": "reabrir"},
    "execution:comprobante": lambda user: {"number": "CE-MUESTRA"},
}


def sample_month() -> Any:
    """An open month of execution of POA-2026, approved for it."""
    from planea.execution.executed import months_of
    from planea.execution.models import ExecutionMonth
    from planea.operations import lifecycle as operations

    existing = ExecutionMonth.objects.first()
    if existing is not None:
        return existing
    poa = sample_plans()["poa"]
    if poa.status != "approved":
        operations.approve([poa], actor=None)
        poa.refresh_from_db()
    return months_of(poa, {1}, lock=False)[1]


def sample_plans() -> dict[str, Any]:
    """The approved PEI and the draft POA 2026 of the `plans` fixture (goals on the liaison's land posts)."""
    from conftest import build_plans

    return build_plans({p.username: p for p in Person.objects.all()})


def sample_reprogramming() -> Any:
    from planea.operations import goals, reprogramming
    from planea.operations import lifecycle as operations
    from planea.operations.models import Reprogramming

    existing = Reprogramming.objects.first()
    if existing is not None:
        return existing
    poa = sample_plans()["poa"]
    operations.approve([poa], actor=None)
    key = next(iter(goals.values_of(poa)))
    jefe = Person.objects.get(username="jefe_planes_programas")
    return reprogramming.request(
        poa,
        changes={key: 20},
        justification="Muestra de la matriz.",
        past_justification="Muestra de la matriz: el mes puede haber transcurrido.",
        actor=jefe,
    )


def sample_period() -> Any:
    """A statistical variable with an excluded period."""
    from django.utils import timezone

    from planea.statistics.models import ExcludedPeriod, StatisticalVariable
    from planea.strategy.models import UnitOfMeasure

    existing = ExcludedPeriod.objects.select_related("variable").first()
    if existing is not None:
        return existing
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    variable = StatisticalVariable.objects.get_or_create(code="MUESTRA", defaults={"name": "Muestra", "unit": unit})[0]
    return ExcludedPeriod.objects.create(
        variable=variable,
        first_year=2020,
        first_month=3,
        last_year=2021,
        last_month=12,
        reason="Pandemia",
        marked_by=Person.objects.get(username="estadistica"),
        marked_at=timezone.now(),
    )


def sample_forecast() -> Any:
    """A finished forecast run with one series (the institution total of a variable) and its twelve months."""
    from datetime import date

    from django.utils import timezone

    from planea.forecasting.models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel
    from planea.statistics.models import StatisticalVariable
    from planea.strategy.models import UnitOfMeasure

    existing = SeriesForecast.objects.first()
    if existing is not None:
        return existing
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    variable = StatisticalVariable.objects.get_or_create(code="MUESTRA", defaults={"name": "Muestra", "unit": unit})[0]
    jefe = Person.objects.get(username="jefe_planes_programas")
    run = ForecastRun.objects.create(
        target_year=2027,
        data_until=date(2026, 10, 1),
        status=RunStatus.RUNNING,
        created_by=jefe,
        created_at=timezone.now(),
        method_version="muestra",
    )
    series = SeriesForecast.objects.create(run=run, variable=variable, level=SeriesLevel.INSTITUTION, model="Muestra")
    ForecastValue.objects.bulk_create(
        ForecastValue(series=series, month=m, base=1, yhat=1, lo80=1, hi80=1, lo95=1, hi95=1) for m in range(1, 13)
    )
    ForecastRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, series_count=1)
    return series


def sample_programming() -> Any:
    """A P5 programming of the draft POA 2026, its case in the liaison's unit (as `sample_case`)."""
    from django.utils import timezone

    from planea.forecasting.models import Programming

    existing = Programming.objects.first()
    if existing is not None:
        return existing
    professional = Person.objects.get(username="profesional_planes_programas")
    case = cases.start_case(code="11.01.U0.P5", title="Programación de la matriz", subject="2026", actor=professional)
    Case.objects.filter(pk=case.pk).update(org_unit=OrgUnit.objects.get(code="10.02.U0"))
    plan = sample_plans()["poa"]  # approved by then when the reprogramming samples came first: a sample all the same
    return Programming.objects.create(case=case, plan=plan, created_by=professional, created_at=timezone.now())


def sample_case() -> Case:
    """A P6 case at step 2 with a document, in the liaison's unit so that every staff role may open it."""
    case = Case.objects.filter(title="Caso de la matriz").first()
    if case is None:
        jefe = Person.objects.get(username="jefe_planes_programas")
        case = cases.start_case(code="11.01.U0.P6", title="Caso de la matriz", subject="Octubre", actor=jefe)
        step_through(case, until="2")
        Case.objects.filter(pk=case.pk).update(org_unit=OrgUnit.objects.get(code="10.02.U0"))
        case.refresh_from_db()
    return case


def sample_job(user: Any) -> Job:
    from planea.org.models import Person

    owner = user or Person.objects.get(username="administrador")
    return Job.objects.get_or_create(kind="sample", created_by=owner, defaults={"title": "Muestra"})[0]


def test_every_view_has_a_declared_policy():
    names = view_names()
    unnamed = [route for name, route in named_patterns() if name is None]
    assert not unnamed, f"Patrones sin nombre (no se pueden declarar en la política): {unnamed}"
    missing = sorted(set(names) - set(POLICIES))
    assert not missing, f"Vistas sin política declarada en planea/shell/policies.py: {missing}"
    stale = sorted(set(POLICIES) - set(names))
    assert not stale, f"Políticas de vistas que ya no existen: {stale}"


def test_a_view_without_policy_is_refused(client_as, monkeypatch):
    from planea.org import access

    trimmed = {k: v for k, v in POLICIES.items() if k != "org:unit_list"}
    monkeypatch.setattr(access, "POLICIES", trimmed)
    assert client_as("administrador").get("/organizacion/unidades/").status_code == 403


# The policy lets an outside reviewer open these pages; the object decides, and the samples were not sent to them
# (procedures/sharing.py; what was sent is walked by test_segeplan_reads_what_was_sent_to_it_and_nothing_else).
SENT_ONLY = {"procedures:case", "procedures:case_document", "procedures:definition_xml", "strategy:detail"}


@pytest.mark.parametrize("role", [None, *Role.values])
def test_matrix(demo, role):
    user = demo[role] if role else None
    client = Client()
    if user:
        client.force_login(user)
    mismatches = []
    for name in view_names():
        kwargs = SAMPLES.get(name, lambda u: {})(user)
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        policy = POLICIES[name]
        allowed = policy.allows(user) if user else policy.public
        if role == Role.SEGEPLAN and name in SENT_ONLY:
            allowed = False
        if user is None and not policy.public:
            denied = response.status_code == 302 and "/ingresar/" in response["Location"]
        else:
            denied = response.status_code == 403
        if allowed == denied:
            mismatches.append(f"{name} ({url}): {response.status_code}, política {'permite' if allowed else 'niega'}")
        assert response.status_code < 500, f"{name} respondió {response.status_code}"
    assert not mismatches, "\n".join(mismatches)


def test_area_liaison_sees_only_its_cost_centers(client_as):
    page = client_as("enlace_area").get("/organizacion/centros-de-costo/").content.decode()
    assert "Valle Nuevo" in page and "Tecún Umán" in page
    assert "La Aurora" not in page and "Puerto Quetzal" not in page
    units = client_as("enlace_area").get("/organizacion/unidades/").content.decode()
    assert "10.02.U0" in units and "11.01.U0" not in units
    full = client_as("jefe_planes_programas").get("/organizacion/centros-de-costo/").content.decode()
    assert "La Aurora" in full and "Puerto Quetzal" in full


def test_area_liaison_export_is_scoped_too(client_as):
    import io

    from openpyxl import load_workbook

    data = client_as("enlace_area").get("/organizacion/centros-de-costo/excel/").content
    codes = {row[0].value for row in load_workbook(io.BytesIO(data))["Centros de costo"].iter_rows(min_row=2)}
    assert codes == set(CostCenter.objects.filter(org_unit__code="10.02.U0").values_list("code", flat=True))


def test_menu_follows_the_policy(client_as):
    admin = client_as("administrador").get("/").content.decode()
    professional = client_as("profesional_planes_programas").get("/").content.decode()
    external = client_as("segeplan").get("/").content.decode()
    assert "Bitácora de auditoría" in admin and "Personas y roles" in admin
    assert "Bitácora de auditoría" not in professional and "Centros de costo" in professional
    assert "Centros de costo" not in external and "Bandeja" in external


def test_segeplan_reads_what_was_sent_to_it_and_nothing_else(demo, client_as):
    from planea.procedures.drive import step_through
    from planea.strategy import case_link
    from planea.strategy.plans import create_plan

    sub = demo["subdirector_planificacion"]
    plan = create_plan(actor=sub, code="PEI-2027-2031", name="PEI 2027-2031", start_year=2027, end_year=2031)
    case = case_link.start_case(plan, actor=sub)
    other = sample_case()  # a P6 case: never sent outside
    segeplan = client_as("segeplan")
    step_through(case, until="9.2", people=demo)
    pages = (f"/expedientes/{case.pk}/", f"/pei/{plan.pk}/", f"/procedimientos/definiciones/{case.definition_id}/bpmn/")
    assert [segeplan.get(url).status_code for url in pages] == [403, 403, 403]  # not sent yet
    assert 'data-testid="inbox-decisions"' not in segeplan.get("/").content.decode()

    step_through(case, until="10", people=demo)  # step 9.2 sends the PEI to SEGEPLAN
    segeplan = client_as("segeplan")
    assert [segeplan.get(url).status_code for url in pages] == [200, 200, 200]
    sent = case.tasks.get(number="9.2").attachments.first()
    assert segeplan.get(f"/expedientes/{case.pk}/documentos/{sent.document_id}/").status_code == 200
    page = segeplan.get(f"/expedientes/{case.pk}/").content.decode()
    assert "procedures:task" not in page and "/pasos/" not in page  # read-only: no action on the step
    assert f'href="/pei/{plan.pk}/"' in page and 'href="/expedientes/"' not in page
    inbox = segeplan.get("/").content.decode()
    assert f'<a href="/expedientes/{case.pk}/">{case.number}</a>' in inbox and "Remitido para su revisión" in inbox

    # nothing else: another case, another PEI, the lists, the steps
    approved = sample_plans()["pei"]
    assert segeplan.get(f"/expedientes/{other.pk}/").status_code == 403
    assert segeplan.get(f"/pei/{approved.pk}/").status_code == 403
    for url in ("/expedientes/", "/pei/", "/planes/", f"/pasos/{case.tasks.get(number='10').pk}/tomar/"):
        assert segeplan.get(url).status_code in (403, 405), url
    assert segeplan.post(f"/pasos/{case.tasks.get(number='10').pk}/tomar/").status_code == 403
