"""IGM-like demo operational plans: POM 2026-2030 and POA 2026 approved through their P2 case (with the anteproyectos
generated from the data), one approved and one pending reprogramming, and the POA 2027 in draft. Monthly goals
follow the seasonality of traveller entries (air, land and sea shares of 2023-2025, INGUAT/IGM series); an input
catalog of about a hundred items and a matrix per area with ceilings. Deterministic and idempotent."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils.translation import ngettext

from planea.org.models import CostCenter, Person
from planea.procedures.demo_timeline import spread_over_past_weeks
from planea.procedures.drive import step_through
from planea.procedures.models import TaskStatus
from planea.spreadsheets.imports import ImportSummary, apply_rows
from planea.strategy.models import StrategicPlan, Subproduct

from . import case_link, consistency, goals, inputs, plans, reprogramming
from .ceilings import CeilingKey, set_ceilings
from .inputs import amounts_by_product
from .models import WHOLE_YEAR, InputCatalogItem, InputRequirement, OperationalPlan, PlanKind

# Monthly shares (percent) of traveller entries, 2023-2025.
AIR = (8.24, 8.05, 9.3, 7.86, 7.46, 8.79, 9.85, 7.79, 6.24, 6.95, 8.98, 10.51)
LAND = (9.24, 7.26, 8.72, 8.87, 7.41, 6.99, 7.74, 9.3, 7.27, 7.16, 8.9, 11.14)
SEA = (9.21, 8.81, 10.0, 10.73, 8.15, 8.16, 8.76, 8.52, 5.12, 5.25, 8.3, 9.0)
FLAT = (1,) * 12

# subproduct: (annual goal 2026, seasonality, yearly growth, {cost center: weight})
GOALS: dict[str, tuple[int, tuple[float, ...], float, dict[str, float]]] = {
    "P01-01": (
        560_000,
        AIR,
        0.04,
        {"0401": 30, "0402": 25, "0403": 8, "0404": 8, "0405": 9, "0406": 12, "0407": 8},
    ),
    "P01-02": (2_400, FLAT, 0.0, {"0401": 1}),
    "P01-03": (12_000, AIR, 0.02, {"0401": 30, "0402": 25, "0403": 8, "0404": 8, "0405": 9, "0406": 12, "0407": 8}),
    "P02-01": (2_200_000, AIR, 0.05, {"0101": 94, "0102": 5, "0103": 1}),
    "P02-02": (
        4_700_000,
        LAND,
        0.03,
        {
            "0201": 15,
            "0202": 8,
            "0203": 7,
            "0204": 1,
            "0205": 1.5,
            "0206": 0.3,
            "0207": 0.2,
            "0208": 3,
            "0209": 25,
            "0210": 21,
            "0211": 3,
            "0212": 2,
            "0213": 6,
            "0214": 4,
            "0215": 3,
        },
    ),
    "P02-03": (13_400, SEA, 0.02, {"0301": 45, "0302": 30, "0303": 15, "0304": 10}),
    "P03-01": (2_200, FLAT, 0.03, {"0001": 1}),
    "P03-02": (1_700, FLAT, 0.03, {"0001": 1}),
    "P03-03": (9_000, AIR, 0.03, {"0001": 80, "0101": 20}),
    "P03-04": (6_000, LAND, 0.02, {"0201": 70, "0202": 30}),
    "P04-01": (60_000, FLAT, 0.0, {"0501": 1}),
    "P04-02": (11_000, FLAT, 0.0, {"0502": 1}),
    "P05-01": (1_500, FLAT, 0.0, {"0001": 1}),
    "P05-02": (600, FLAT, 0.0, {"0001": 1}),
    "P06-01": (24, FLAT, 0.0, {"0001": 1}),
    "P06-02": (36, FLAT, 0.0, {"0001": 1}),
}

# (name, renglón, unit, unit price, by month, variants)
CATALOG = (
    (
        "Energía eléctrica",
        "111",
        "kWh",
        "1.85",
        True,
        ("oficinas centrales", "puestos fronterizos", "centros de emisión"),
    ),
    ("Servicio de agua potable", "112", "m³", "9.50", True, ("oficinas", "puestos fronterizos")),
    ("Telefonía fija", "113", "línea-mes", "250.00", True, ("oficinas", "puestos fronterizos")),
    ("Enlace de datos", "113", "enlace-mes", "3200.00", True, ("fibra óptica", "satelital", "radioenlace")),
    ("Cartilla de pasaporte ordinario", "122", "cartilla", "118.00", True, ("32 páginas", "48 páginas")),
    ("Cartilla de pasaporte oficial", "122", "cartilla", "135.00", False, ("oficial", "diplomático")),
    ("Etiqueta de prórroga de pasaporte", "122", "etiqueta", "12.00", True, ("estándar",)),
    ("Formulario de control migratorio", "122", "millar", "450.00", True, ("entrada", "salida")),
    ("Tarjeta de residencia", "122", "tarjeta", "38.00", False, ("temporal", "permanente")),
    ("Visa autoadhesiva", "122", "etiqueta", "22.00", False, ("consular", "en puerto")),
    ("Tarjeta de trabajador fronterizo", "122", "tarjeta", "18.00", False, ("estándar",)),
    ("Viáticos en el interior", "133", "día", "420.00", True, ("personal técnico", "personal directivo")),
    ("Fletes y transporte de documentos", "142", "envío", "350.00", True, ("interior", "consulados")),
    ("Arrendamiento de edificio", "151", "mes", "45000.00", True, ("centro de emisión", "oficinas", "bodega")),
    ("Mantenimiento de equipo de cómputo", "165", "servicio", "1800.00", False, ("preventivo", "correctivo")),
    ("Mantenimiento de lectores biométricos", "165", "servicio", "2400.00", False, ("preventivo", "correctivo")),
    ("Licencia de software", "186", "licencia-año", "3600.00", False, ("ofimática", "base de datos", "antivirus")),
    ("Alimentos para personas retornadas", "211", "ración", "28.00", True, ("desayuno", "almuerzo", "cena")),
    ("Agua pura", "211", "garrafón", "18.00", True, ("5 galones",)),
    ("Uniforme de delegado migratorio", "233", "juego", "650.00", False, ("camisa", "pantalón", "chumpa")),
    ("Papel bond", "241", "resma", "42.00", True, ("carta", "oficio")),
    ("Sobres manila", "243", "caja", "95.00", False, ("carta", "oficio")),
    ("Gasolina", "262", "galón", "31.50", True, ("súper", "regular")),
    ("Diésel", "262", "galón", "29.80", True, ("vehículos", "planta eléctrica")),
    ("Tóner para impresora", "267", "unidad", "780.00", False, ("monocromático", "color", "alta capacidad")),
    ("Tinta para impresora de pasaportes", "267", "cartucho", "1450.00", True, ("negra", "color")),
    ("Laminado de seguridad", "268", "rollo", "2100.00", True, ("pasaporte", "residencia")),
    ("Útiles de oficina", "291", "kit", "175.00", False, ("básico", "completo")),
    ("Productos de limpieza", "292", "kit", "240.00", True, ("oficinas", "albergue")),
    ("Kit de higiene personal", "292", "kit", "65.00", True, ("adulto", "niñez")),
    ("Botiquín de primeros auxilios", "295", "botiquín", "380.00", False, ("puesto fronterizo", "albergue")),
    ("Repuestos para vehículos", "298", "lote", "2500.00", False, ("llantas", "frenos", "baterías")),
    ("Mobiliario de oficina", "322", "unidad", "1950.00", False, ("escritorio", "silla", "archivo")),
    ("Computadora de escritorio", "328", "unidad", "7800.00", False, ("estándar", "alto rendimiento")),
    ("Lector biométrico de huellas", "328", "unidad", "9500.00", False, ("diez dedos", "un dedo")),
    ("Cámara de captura facial", "328", "unidad", "6400.00", False, ("estándar",)),
    ("Escáner de documentos de viaje", "328", "unidad", "12500.00", False, ("pasaportes", "tarjetas")),
    ("Planta eléctrica", "329", "unidad", "48000.00", False, ("10 kVA", "25 kVA")),
    ("Servicio de capacitación", "181", "evento", "8500.00", False, ("presencial", "virtual")),
    ("Servicio de atención y protocolo", "196", "evento", "3500.00", False, ("talleres", "reuniones")),
    ("Mascarillas desechables", "295", "caja", "85.00", True, ("adulto", "niñez")),
    ("Colchoneta para albergue", "233", "unidad", "320.00", False, ("individual", "infantil")),
    ("Frazada", "233", "unidad", "110.00", False, ("adulto", "niñez")),
    ("Chaleco reflectivo", "233", "unidad", "95.00", False, ("delegado", "supervisor")),
    ("Radio portátil", "328", "unidad", "2800.00", False, ("VHF", "UHF")),
    ("Impresora de credenciales", "328", "unidad", "15800.00", False, ("una cara", "dos caras")),
    ("Cinta para impresora de credenciales", "267", "rollo", "680.00", True, ("color", "monocromática")),
    ("Seguro de vehículos", "191", "póliza", "6200.00", False, ("pick-up", "microbús")),
)


def catalog_rows() -> list[dict[str, object]]:
    rows = []
    for index, (name, line, unit, price, monthly, variants) in enumerate(CATALOG, start=1):
        for offset, variant in enumerate(variants, start=1):
            rows.append(
                {
                    "code": f"{line}-{index:02d}{offset:02d}",
                    "name": f"{name}, {variant}",
                    "budget_line": line,
                    "unit": unit,
                    "unit_price": Decimal(price),
                    "monthly": monthly,
                    "active": True,
                }
            )
    return rows


def split(total: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """Whole numbers proportional to `weights` that add up to `total` exactly (largest remainder)."""
    scale = sum(weights)
    raw = [total * w / scale for w in weights]
    whole = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - whole[i], reverse=True)
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole


def goal_values(plan: OperationalPlan) -> dict[goals.Key, int]:
    """Goals per subproduct × cost center: by month with its seasonality for a POA, by year for a POM."""
    subproducts = {s.code: s.pk for s in Subproduct.objects.filter(plan=plan.strategic_plan)}
    centers = {c.code: c.pk for c in CostCenter.objects.all()}
    values: dict[goals.Key, int] = {}
    for code, (annual, season, growth, weights) in GOALS.items():
        for year in plan.years:
            year_total = round(annual * (1 + growth) ** (year - 2026))
            for cc_code, cc_total in zip(weights, split(year_total, list(weights.values())), strict=True):
                key = (subproducts[code], centers[cc_code], year)
                if plan.is_annual:
                    for month, value in enumerate(split(cc_total, season), start=1):
                        values[(*key, month)] = value
                else:
                    values[(*key, WHOLE_YEAR)] = cc_total
    return values


def matrix(plan: OperationalPlan, values: dict[goals.Key, int]) -> list[InputRequirement]:
    """A plausible matrix: per subproduct, the area responsible for it asks for items in proportion to its goals."""
    items = {i.code: i for i in InputCatalogItem.objects.all()}
    by_name = {i.name: i for i in items.values()}
    subproducts = {
        s.pk: s for s in Subproduct.objects.filter(plan=plan.strategic_plan).prefetch_related("responsible_units")
    }
    monthly_goal: dict[tuple[int, int], int] = {}
    for (s, _c, _y, m), value in values.items():
        monthly_goal[(s, m)] = monthly_goal.get((s, m), 0) + value
    needs = {
        "P01-01": [("Cartilla de pasaporte ordinario, 32 páginas", 1.02), ("Laminado de seguridad, pasaporte", 0.0004)],
        "P01-02": [("Cartilla de pasaporte oficial, oficial", 1.05)],
        "P01-03": [("Etiqueta de prórroga de pasaporte, estándar", 1.02)],
        "P02-01": [
            ("Formulario de control migratorio, entrada", 0.0005),
            ("Energía eléctrica, puestos fronterizos", 0.01),
        ],
        "P02-02": [("Formulario de control migratorio, salida", 0.0005), ("Gasolina, súper", 0.0004)],
        "P02-03": [("Diésel, vehículos", 0.02)],
        "P03-01": [("Tarjeta de residencia, temporal", 1.0)],
        "P03-02": [("Tarjeta de residencia, permanente", 1.0)],
        "P03-03": [("Visa autoadhesiva, consular", 1.0)],
        "P03-04": [("Tarjeta de trabajador fronterizo, estándar", 1.0)],
        "P04-01": [("Alimentos para personas retornadas, almuerzo", 1.0), ("Kit de higiene personal, adulto", 0.5)],
        "P04-02": [("Alimentos para personas retornadas, desayuno", 1.0)],
        "P05-01": [("Kit de higiene personal, niñez", 0.3), ("Agua pura, 5 galones", 0.1)],
        "P05-02": [("Viáticos en el interior, personal técnico", 0.05)],
        "P06-01": [("Papel bond, carta", 2.0)],
    }
    lines = []
    for sub in sorted(subproducts.values(), key=lambda s: s.code):
        area = sub.responsible_units.order_by("code").first()
        for name, ratio in needs.get(sub.code, []):
            item = by_name[name]
            months = list(range(1, 13)) if item.monthly and plan.is_annual else [0]
            for month in months:
                goal = (
                    monthly_goal.get((sub.pk, month), 0)
                    if month
                    else sum(v for (s, m), v in monthly_goal.items() if s == sub.pk)
                )
                quantity = Decimal(max(1, round(goal * ratio)))
                lines.append(
                    InputRequirement(
                        plan=plan,
                        org_unit=area,
                        subproduct=sub,
                        item=item,
                        month=month,
                        quantity=quantity,
                        unit_price=item.unit_price,
                    )
                )
    return lines


def _people(case: object) -> dict[str, Person]:
    steps = case.definition.steps  # type: ignore[attr-defined]
    return {p.username: p for p in Person.objects.filter(username__in=[s["role"] for s in steps])}


def _fill(plan: OperationalPlan, actor: Person, values: dict[goals.Key, int]) -> None:
    locked = goals.lock_plan(plan)
    goals.write(locked, values, actor=actor, action="goals_imported", summary=demo_goals_summary)


def demo_goals_summary(n: int) -> str:
    return ngettext("%(n)s meta de demostración", "%(n)s metas de demostración", n) % {"n": n}


def _ceilings(plan: OperationalPlan, actor: Person, overrides: dict[str, float]) -> None:
    amounts = amounts_by_product(plan)
    products = {p.pk: p for p in plan.strategic_plan.products.all()}
    values: dict[CeilingKey, Decimal | None] = {}
    for pk, product in products.items():
        factor = overrides.get(product.code, 1.08)
        amount = amounts.get(pk, Decimal(0)) * Decimal(str(factor))
        values[(pk, None)] = (amount / 1000).quantize(Decimal(1), rounding=ROUND_CEILING) * 1000
    set_ceilings(plan, values, actor=actor)


# The demo's requests are dated when the demo is built: months of 2026 may have passed by then (recorded only then).
PAST_MONTHS_REASON = "La solicitud se registra en Planea después de la fecha en que la Subdirección la conoció."


@transaction.atomic
def seed_operations() -> OperationalPlan | None:
    pei = StrategicPlan.objects.filter(code="PEI-2021-2030", version=1).first()
    if pei is None or OperationalPlan.objects.filter(code="POA-2026").exists():
        return OperationalPlan.objects.filter(code="POA-2026").first()
    jefe = Person.objects.get(username="jefe_planes_programas")
    sub = Person.objects.get(username="subdirector_planificacion")
    finance = Person.objects.get(username="subdireccion_financiera")
    staff = Person.objects.get(username="subdireccion_tecnica_administrativa")
    apply_rows(InputCatalogItem, catalog_rows(), staff, ImportSummary())

    pom = plans.create_plan(kind=PlanKind.MULTIANNUAL, start_year=2026, strategic_plan=pei, actor=jefe)
    poa = plans.create_plan(kind=PlanKind.ANNUAL, start_year=2026, strategic_plan=pei, actor=jefe, multiannual=pom)
    pom_values = goal_values(pom)
    retornados = Subproduct.objects.get(plan=pei, code="P04-01").pk
    for key in [k for k in pom_values if k[0] == retornados and k[2] == 2026]:
        pom_values[key] = 65_000  # the POA plans fewer returnees than the POM foresaw: shown as a difference
    _fill(pom, jefe, pom_values)
    poa_values = goal_values(poa)
    _fill(poa, jefe, poa_values)
    InputRequirement.objects.bulk_create(matrix(poa, poa_values))
    _ceilings(poa, finance, {"P02": 0.9})
    case = case_link.start_case(poa, actor=sub)
    people = _people(case)
    step_through(case, until=case_link.DRAFTING_STEP, issue_oficios=True, people=people)
    drafting = case.tasks.get(number=case_link.DRAFTING_STEP, status=TaskStatus.READY)
    case_link.generate_anteproyectos(drafting, actor=jefe)
    step_through(case, until=case_link.REVIEW_STEP, issue_oficios=True, people=people)
    # Product P02's inputs exceed its ceiling: the Subdirector acknowledges it, with the reason, at the visto bueno.
    review = case.tasks.get(number=case_link.REVIEW_STEP, status=TaskStatus.READY)
    if inputs.consistency(poa).problems:
        consistency.acknowledge(
            review,
            actor=sub,
            note="La Subdirección Financiera ajusta los techos de control migratorio en la presentación del "
            "presupuesto; se continúa con las metas programadas.",
        )
    step_through(case, issue_oficios=True, people=people)
    spread_over_past_weeks(case, ended_working_days_ago=60)
    case.refresh_from_db()  # approved when the case's last step sent them, weeks ago
    OperationalPlan.objects.filter(case=case).update(approved_at=case.completed_at)

    # Reprogramming: more air returnees from July (one approved), a pending request for land control posts.
    poa.refresh_from_db()
    air = Subproduct.objects.get(plan=pei, code="P04-01")
    reception = CostCenter.objects.get(code="0501")
    approved = reprogramming.request(
        poa,
        changes={
            (air.pk, reception.pk, 2026, m): poa_values[(air.pk, reception.pk, 2026, m)] + 900 for m in range(7, 13)
        },
        justification="Aumento de vuelos de retorno desde Estados Unidos a partir de julio (oficio de la Subdirección "
        "de Atención al Migrante).",
        past_justification=PAST_MONTHS_REASON,
        actor=jefe,
    )
    reprogramming.approve(approved, actor=sub, note="Procede según el registro de vuelos.")
    mesilla = CostCenter.objects.get(code="0203")
    land = Subproduct.objects.get(plan=pei, code="P02-02")
    reprogramming.request(
        poa,
        changes={(land.pk, mesilla.pk, 2026, m): 0 for m in (11, 12)},
        justification="Cierre temporal del puesto fronterizo La Mesilla por obras de remozamiento en noviembre y "
        "diciembre.",
        past_justification=PAST_MONTHS_REASON,
        actor=Person.objects.get(username="enlace_area"),
    )

    # POA 2027 in formulation: goals carried forward with growth, matrix for most areas, P2 case at step 5.
    poa27 = plans.create_plan(kind=PlanKind.ANNUAL, start_year=2027, strategic_plan=pei, actor=jefe, multiannual=pom)
    values27 = goal_values(poa27)
    training = Subproduct.objects.get(plan=pei, code="P06-02").pk
    _fill(poa27, jefe, values27)
    InputRequirement.objects.bulk_create(line for line in matrix(poa27, values27) if line.subproduct_id != training)
    _ceilings(poa27, finance, {"P01": 0.95})
    case27 = case_link.start_case(poa27, actor=sub)
    step_through(case27, until="5", issue_oficios=True, people=_people(case27))
    spread_over_past_weeks(case27, ended_working_days_ago=3)
    return poa
