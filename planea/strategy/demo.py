"""IGM-like demo PEI 2021–2030: version 1 approved through its P1 case, version 2 (a modification) in draft after a
review sent it back. Built through the same services the screens use; deterministic and idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from planea.org.models import CostCenter, OrgUnit, Person
from planea.procedures.demo_timeline import spread_over_past_weeks
from planea.procedures.drive import step_through
from planea.procedures.models import Case

from . import case_link, plans, versions
from .models import (
    Frequency,
    Indicator,
    IndicatorTarget,
    Product,
    Result,
    ResultLevel,
    StrategicPlan,
    Subproduct,
    UnitOfMeasure,
)
from .results_chain import save_content

CODE = "PEI-2021-2030"

UNITS = (
    ("Documento", "Pasaportes, residencias, visas, tarjetas, planes e informes."),
    ("Persona", "Personas atendidas o registradas."),
    ("Evento", "Capacitaciones, jornadas y operativos."),
)

# (code, level, statement, parent)
RESULTS = (
    (
        "RE-01",
        ResultLevel.STRATEGIC,
        "Para 2032, Guatemala gestiona una migración ordenada, segura y regular, con respeto a los derechos humanos "
        "de las personas migrantes (K'atun 2032, Política Migratoria 2023-2032).",
        None,
    ),
    (
        "RI-01",
        ResultLevel.INSTITUTIONAL,
        "Para 2030, se incrementa la cobertura de documentos de identidad y viaje a guatemaltecos del 62 % (2020) "
        "al 80 % de la demanda atendida en el año.",
        "RE-01",
    ),
    (
        "RI-02",
        ResultLevel.INSTITUTIONAL,
        "Para 2030, el 100 % de las personas migrantes retornadas recibe atención inmediata y referencia a "
        "servicios de reintegración.",
        "RE-01",
    ),
    (
        "RM-01",
        ResultLevel.INTERMEDIATE,
        "Para 2028, se reduce el tiempo promedio de control migratorio en puestos fronterizos de 4 a 2 minutos "
        "por persona.",
        "RI-01",
    ),
)

# (code, result, name, formula, unit, baseline year, baseline value, source, frequency, unit code, targets 2021→)
INDICATORS = (
    (
        "IND-01",
        "RI-01",
        "Cobertura de la demanda de pasaportes",
        "(Pasaportes emitidos / pasaportes solicitados) × 100",
        "porcentaje",
        2020,
        "62",
        "Sistema de emisión de pasaportes; Departamento de Estadística",
        Frequency.FOUR_MONTHLY,
        "16.01.U0",
        ("64", "66", "68", "70", "72", "74", "76", "77", "79", "80"),
    ),
    (
        "IND-02",
        "RI-02",
        "Personas retornadas atendidas al llegar",
        "(Personas retornadas atendidas / personas retornadas recibidas) × 100",
        "porcentaje",
        2020,
        "91",
        "Registros de los centros de recepción de retornados",
        Frequency.MONTHLY,
        "13.01.U0",
        ("93", "95", "97", "98", "99", "100", "100", "100", "100", "100"),
    ),
    (
        "IND-03",
        "RM-01",
        "Tiempo promedio de control migratorio por persona",
        "Suma de minutos de atención / personas controladas",
        "minutos",
        2020,
        "4",
        "Sistema de control migratorio",
        Frequency.FOUR_MONTHLY,
        "10.02.U0",
        ("4", "3.8", "3.5", "3.2", "3", "2.8", "2.5", "2.2", "2", "2"),
    ),
    (
        "IND-04",
        "RE-01",
        "Personas con control migratorio en puestos oficiales",
        "Entradas + salidas registradas en puestos fronterizos",
        "personas",
        2020,
        "2900000",
        "Sistema de control migratorio; Departamento de Estadística",
        Frequency.YEARLY,
        "10",
        (
            "3100000",
            "4200000",
            "5100000",
            "5600000",
            "6100000",
            "6500000",
            "6900000",
            "7200000",
            "7500000",
            "7800000",
        ),
    ),
)

# (code, result, name, unit, program, subprogram, activity, responsible units)
PRODUCTS = (
    ("P01", "RI-01", "Documentos de viaje emitidos a guatemaltecos", "Documento", "11", "", "001", ("16",)),
    ("P02", "RM-01", "Control migratorio de personas nacionales y extranjeras", "Persona", "11", "", "002", ("10",)),
    ("P03", "RI-01", "Servicios de extranjería otorgados", "Documento", "11", "", "003", ("12",)),
    ("P04", "RI-02", "Personas migrantes retornadas atendidas", "Persona", "12", "", "001", ("13",)),
    ("P05", "RI-02", "Personas extranjeras atendidas y protegidas", "Persona", "12", "", "002", ("13",)),
    ("P06", "RE-01", "Dirección y coordinación institucional", "Documento", "01", "", "001", ("01", "11")),
)

# (code, product, name, unit, responsible units, cost centers)
PASSPORT_CENTRES = ("0401", "0402", "0403", "0404", "0405", "0406", "0407")
AIRPORTS = ("0101", "0102", "0103")
LAND = tuple(f"02{n:02d}" for n in range(1, 16))
SEAPORTS = ("0301", "0302", "0303", "0304")
SUBPRODUCTS = (
    ("P01-01", "P01", "Pasaportes ordinarios emitidos", "Documento", ("16.01.U0",), PASSPORT_CENTRES),
    ("P01-02", "P01", "Pasaportes oficiales y diplomáticos emitidos", "Documento", ("16.01.U0",), ("0401",)),
    ("P01-03", "P01", "Prórrogas de pasaporte otorgadas", "Documento", ("16.01.U0",), PASSPORT_CENTRES),
    ("P02-01", "P02", "Personas con control migratorio en puestos aéreos", "Persona", ("10.01.U0",), AIRPORTS),
    ("P02-02", "P02", "Personas con control migratorio en puestos terrestres", "Persona", ("10.02.U0",), LAND),
    ("P02-03", "P02", "Personas con control migratorio en puestos marítimos", "Persona", ("10.03.U0",), SEAPORTS),
    ("P03-01", "P03", "Residencias temporales otorgadas", "Documento", ("12.01.U0",), ("0001",)),
    ("P03-02", "P03", "Residencias permanentes otorgadas", "Documento", ("12.01.U0",), ("0001",)),
    ("P03-03", "P03", "Visas otorgadas", "Documento", ("12.02.U0",), ("0001", "0101")),
    ("P03-04", "P03", "Tarjetas de trabajador fronterizo emitidas", "Documento", ("12.02.U0",), ("0201", "0202")),
    ("P04-01", "P04", "Personas retornadas por vía aérea recibidas", "Persona", ("13.01.U0",), ("0501",)),
    ("P04-02", "P04", "Personas retornadas por vía terrestre recibidas", "Persona", ("13.01.U0",), ("0502",)),
    ("P05-01", "P05", "Personas extranjeras atendidas en el CAMIX", "Persona", ("13.02.U0",), ("0001",)),
    ("P05-02", "P05", "Solicitudes de refugio atendidas", "Persona", ("13.02.U0",), ("0001",)),
    ("P06-01", "P06", "Planes e informes institucionales elaborados", "Documento", ("11.01.U0",), ("0001",)),
    ("P06-02", "P06", "Capacitaciones al personal migratorio", "Evento", ("18",), ("0001",)),
)

FRAMES = {
    "mission": "Somos la institución que dirige y ejecuta la política migratoria del Estado, con servicios "
    "migratorios eficientes y seguros, y con atención y protección de los derechos de las personas migrantes.",
    "vision": "Ser en 2030 una institución moderna, confiable y cercana a las personas, referente regional en la "
    "gestión integral de la migración.",
    "principles": "Respeto a los derechos humanos\nTransparencia\nEficiencia\nIntegridad\nSolidaridad",
    "situation_analysis": "<p>El IGM atiende más de <strong>cinco millones</strong> de controles migratorios al "
    "año en 22 puestos fronterizos y emite cerca de un millón de pasaportes en siete centros del país y en los "
    'consulados.</p><ol><li data-list="bullet">Demanda de pasaportes creciente desde 2022.</li>'
    '<li data-list="bullet">Retornos aéreos desde Estados Unidos con alta variación mensual.</li></ol>',
    "conceptual_frame": "<p>Modelo conceptual de la Gestión por Resultados: el problema central es la "
    "<em>limitada cobertura y calidad de los servicios migratorios</em>.</p>",
    "strategic_frame": "<p>Ejes: documentos de viaje, control migratorio, extranjería, atención al migrante y "
    "fortalecimiento institucional.</p>",
    "logical_frame": "<p>Cadena de resultados: RE-01 → RI-01, RI-02 → RM-01; productos P01 a P06 con sus "
    "subproductos, metas e indicadores.</p>",
}


def _admin() -> Person:
    return Person.objects.get(username="jefe_planes_programas")


def build_content(plan: StrategicPlan, actor: Person) -> None:
    units = {u.code: u for u in OrgUnit.objects.all()}
    centers = {c.code: c for c in CostCenter.objects.all()}
    measures = {
        name: UnitOfMeasure.objects.get_or_create(name=name, defaults={"description": d})[0] for name, d in UNITS
    }
    results: dict[str, Result] = {}
    for code, level, name, parent in RESULTS:
        results[code] = save_content(
            Result(plan=plan, code=code, level=level, name=name, parent=results.get(parent or "")), actor=actor
        )
    for code, result, name, formula, unit, year, value, source, frequency, unit_code, targets in INDICATORS:
        indicator = save_content(
            Indicator(
                result=results[result],
                code=code,
                name=name,
                formula=formula,
                unit=unit,
                baseline_year=year,
                baseline_value=Decimal(value),
                source=source,
                frequency=frequency,
                responsible_unit=units[unit_code],
            ),
            actor=actor,
        )
        for offset, target in enumerate(targets):
            save_content(
                IndicatorTarget(indicator=indicator, year=plan.start_year + offset, value=Decimal(target)), actor=actor
            )
    products: dict[str, Product] = {}
    for code, result, name, unit, program, subprogram, activity, responsible in PRODUCTS:
        products[code] = save_content(
            Product(
                plan=plan,
                result=results[result],
                code=code,
                name=name,
                unit=measures[unit],
                program=program,
                subprogram=subprogram,
                activity=activity,
            ),
            actor=actor,
            m2m={"responsible_units": [units[c] for c in responsible]},
        )
    for code, product, name, unit, responsible, cost_centers in SUBPRODUCTS:
        save_content(
            Subproduct(product=products[product], code=code, name=name, unit=measures[unit]),
            actor=actor,
            m2m={
                "responsible_units": [units[c] for c in responsible],
                "cost_centers": [centers[c] for c in cost_centers],
            },
        )


def _people(case: Case) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.filter(username__in=[s["role"] for s in case.definition.steps])}


@transaction.atomic
def seed_strategy() -> StrategicPlan:
    """The approved PEI version (v1) and a modification in draft (v2); returns the approved one."""
    existing = StrategicPlan.objects.filter(code=CODE, version=1).first()
    if existing is not None:
        return existing
    actor = _admin()
    plan = plans.create_plan(
        actor=actor,
        code=CODE,
        name="Plan Estratégico Institucional 2021-2030",
        start_year=2021,
        end_year=2030,
        **FRAMES,
    )
    build_content(plan, actor)
    starter = Person.objects.get(username="subdirector_planificacion")
    case = case_link.start_case(plan, actor=starter)
    step_through(case, issue_oficios=True, people=_people(case))
    spread_over_past_weeks(case, ended_working_days_ago=140)
    case.refresh_from_db()  # approved when the case's last step did it, months ago
    StrategicPlan.objects.filter(pk=plan.pk).update(approved_at=case.completed_at)
    plan.refresh_from_db()

    draft = versions.new_version(
        plan, actor=actor, reason="Alineación con la Política Migratoria 2023-2032 y la Política General de Gobierno."
    )
    plans.update_plan(
        draft,
        actor=actor,
        data={"strategic_frame": FRAMES["strategic_frame"] + "<p>Se incorpora la Política Migratoria 2023-2032.</p>"},
    )
    save_content(
        Subproduct(
            product=draft.products.get(code="P03"),
            code="P03-05",
            name="Permisos de permanencia por razones humanitarias",
            unit=UnitOfMeasure.objects.get(name="Documento"),
        ),
        actor=actor,
        m2m={"cost_centers": [CostCenter.objects.get(code="0001")]},
    )
    review = case_link.start_case(draft, actor=starter)
    step_through(review, {"9": ["9.1"], "9.1": ["6"]}, max_steps=10, issue_oficios=True, people=_people(review))
    spread_over_past_weeks(review, ended_working_days_ago=1)
    return plan
