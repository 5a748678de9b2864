"""IGM-like demo organization: deterministic, idempotent, audited as the system."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Model

from planea.audit.services import save_audited, snapshot

from .geography import Department as D
from .models import CostCenter, CostCenterKind, Institution, OrgUnit, OrgUnitKind, Person, RoleAssignment
from .roles import Role

K = OrgUnitKind
C = CostCenterKind

# (code, name, kind, parent code)
UNITS: list[tuple[str, str, str, str | None]] = [
    ("01", "Dirección General", K.DIRECCION_GENERAL, None),
    ("01.01.U0", "Departamento de Auditoría Interna", K.DEPARTAMENTO, "01"),
    ("01.02.U0", "Departamento de Asesoría Jurídica", K.DEPARTAMENTO, "01"),
    ("02", "Subdirección General", K.SUBDIRECCION_GENERAL, "01"),
    ("10", "Subdirección de Control Migratorio", K.SUBDIRECCION, "02"),
    ("10.01.U0", "Departamento de Puestos Fronterizos Aéreos", K.DEPARTAMENTO, "10"),
    ("10.02.U0", "Departamento de Puestos Fronterizos Terrestres", K.DEPARTAMENTO, "10"),
    ("10.03.U0", "Departamento de Puestos Fronterizos Marítimos", K.DEPARTAMENTO, "10"),
    ("11", "Subdirección de Planificación", K.SUBDIRECCION, "02"),
    ("11.01.U0", "Departamento de Planes y Programas", K.DEPARTAMENTO, "11"),
    ("11.01.U1", "Unidad de Formulación", K.UNIDAD, "11.01.U0"),
    ("11.01.U2", "Unidad de Seguimiento y Evaluación", K.UNIDAD, "11.01.U0"),
    ("11.02.U0", "Departamento de Estadística y Archivos", K.DEPARTAMENTO, "11"),
    ("11.03.U0", "Departamento de Organización y Métodos", K.DEPARTAMENTO, "11"),
    ("12", "Subdirección de Extranjería", K.SUBDIRECCION, "02"),
    ("12.01.U0", "Departamento de Residencias", K.DEPARTAMENTO, "12"),
    ("12.02.U0", "Departamento de Visas", K.DEPARTAMENTO, "12"),
    ("13", "Subdirección de Atención y Protección de Derechos Fundamentales de los Migrantes", K.SUBDIRECCION, "02"),
    ("13.01.U0", "Departamento de Atención al Migrante Retornado", K.DEPARTAMENTO, "13"),
    ("13.02.U0", "Departamento de Atención a Extranjeros", K.DEPARTAMENTO, "13"),
    ("14", "Subdirección Financiera", K.SUBDIRECCION, "02"),
    ("14.01.U0", "Departamento de Presupuesto", K.DEPARTAMENTO, "14"),
    ("14.02.U0", "Departamento de Contabilidad", K.DEPARTAMENTO, "14"),
    ("15", "Subdirección Técnica Administrativa", K.SUBDIRECCION, "02"),
    ("15.01.U0", "Departamento de Compras", K.DEPARTAMENTO, "15"),
    ("15.02.U0", "Departamento de Servicios Generales", K.DEPARTAMENTO, "15"),
    ("16", "Subdirección de Documentos de Viaje", K.SUBDIRECCION, "02"),
    ("16.01.U0", "Departamento de Emisión de Pasaportes", K.DEPARTAMENTO, "16"),
    ("17", "Subdirección de Tecnologías de la Información", K.SUBDIRECCION, "02"),
    ("17.01.U0", "Departamento de Desarrollo de Sistemas", K.DEPARTAMENTO, "17"),
    ("18", "Subdirección de Recursos Humanos", K.SUBDIRECCION, "02"),
]

# (code, name, kind, department, municipality, org unit)
COST_CENTERS: list[tuple[str, str, str, str, str, str]] = [
    ("0001", "Oficinas Centrales", C.CENTRAL_OFFICE, D.GUATEMALA, "Guatemala", "15"),
    ("0101", "Aeropuerto Internacional La Aurora", C.AIRPORT, D.GUATEMALA, "Guatemala", "10.01.U0"),
    ("0102", "Aeropuerto Internacional Mundo Maya", C.AIRPORT, D.PETEN, "Flores", "10.01.U0"),
    ("0103", "Aeropuerto Internacional de Retalhuleu", C.AIRPORT, D.RETALHULEU, "Retalhuleu", "10.01.U0"),
    ("0201", "Puesto Fronterizo Tecún Umán", C.LAND_BORDER, D.SAN_MARCOS, "Ayutla", "10.02.U0"),
    ("0202", "Puesto Fronterizo El Carmen", C.LAND_BORDER, D.SAN_MARCOS, "Malacatán", "10.02.U0"),
    ("0203", "Puesto Fronterizo La Mesilla", C.LAND_BORDER, D.HUEHUETENANGO, "La Democracia", "10.02.U0"),
    ("0204", "Puesto Fronterizo Gracias a Dios", C.LAND_BORDER, D.HUEHUETENANGO, "Nentón", "10.02.U0"),
    ("0205", "Puesto Fronterizo El Ceibo", C.LAND_BORDER, D.PETEN, "La Libertad", "10.02.U0"),
    ("0206", "Puesto Fronterizo Bethel", C.LAND_BORDER, D.PETEN, "La Libertad", "10.02.U0"),
    ("0207", "Puesto Fronterizo Ingenieros", C.LAND_BORDER, D.PETEN, "San Andrés", "10.02.U0"),
    ("0208", "Puesto Fronterizo Melchor de Mencos", C.LAND_BORDER, D.PETEN, "Melchor de Mencos", "10.02.U0"),
    ("0209", "Puesto Fronterizo Valle Nuevo", C.LAND_BORDER, D.JUTIAPA, "Jalpatagua", "10.02.U0"),
    ("0210", "Puesto Fronterizo Pedro de Alvarado", C.LAND_BORDER, D.JUTIAPA, "Moyuta", "10.02.U0"),
    ("0211", "Puesto Fronterizo San Cristóbal", C.LAND_BORDER, D.JUTIAPA, "Atescatempa", "10.02.U0"),
    ("0212", "Puesto Fronterizo Anguiatú", C.LAND_BORDER, D.CHIQUIMULA, "Concepción Las Minas", "10.02.U0"),
    ("0213", "Puesto Fronterizo Agua Caliente", C.LAND_BORDER, D.CHIQUIMULA, "Esquipulas", "10.02.U0"),
    ("0214", "Puesto Fronterizo El Florido", C.LAND_BORDER, D.CHIQUIMULA, "Camotán", "10.02.U0"),
    ("0215", "Puesto Fronterizo Corinto", C.LAND_BORDER, D.IZABAL, "Puerto Barrios", "10.02.U0"),
    ("0301", "Puerto Quetzal", C.SEAPORT, D.ESCUINTLA, "San José", "10.03.U0"),
    ("0302", "Puerto Santo Tomás de Castilla", C.SEAPORT, D.IZABAL, "Puerto Barrios", "10.03.U0"),
    ("0303", "Puerto Barrios", C.SEAPORT, D.IZABAL, "Puerto Barrios", "10.03.U0"),
    ("0304", "Puerto de Livingston", C.SEAPORT, D.IZABAL, "Livingston", "10.03.U0"),
    ("0401", "Centro de Emisión de Pasaportes zona 4", C.PASSPORT_CENTRE, D.GUATEMALA, "Guatemala", "16.01.U0"),
    ("0402", "Centro de Emisión de Pasaportes zona 9", C.PASSPORT_CENTRE, D.GUATEMALA, "Guatemala", "16.01.U0"),
    ("0403", "Centro de Emisión de Pasaportes Petén", C.PASSPORT_CENTRE, D.PETEN, "Flores", "16.01.U0"),
    ("0404", "Centro de Emisión de Pasaportes Zacapa", C.PASSPORT_CENTRE, D.ZACAPA, "Zacapa", "16.01.U0"),
    ("0405", "Centro de Emisión de Pasaportes Chiquimula", C.PASSPORT_CENTRE, D.CHIQUIMULA, "Chiquimula", "16.01.U0"),
    (
        "0406",
        "Centro de Emisión de Pasaportes Quetzaltenango",
        C.PASSPORT_CENTRE,
        D.QUETZALTENANGO,
        "Quetzaltenango",
        "16.01.U0",
    ),
    ("0407", "Centro de Emisión de Pasaportes Escuintla", C.PASSPORT_CENTRE, D.ESCUINTLA, "Escuintla", "16.01.U0"),
    (
        "0501",
        "Centro de Recepción de Retornados Fuerza Aérea Guatemalteca",
        C.RETURNEE_CENTRE,
        D.GUATEMALA,
        "Guatemala",
        "13.01.U0",
    ),
    ("0502", "Centro de Recepción de Retornados Tecún Umán", C.RETURNEE_CENTRE, D.SAN_MARCOS, "Ayutla", "13.01.U0"),
]


@dataclass(frozen=True)
class DemoPerson:
    role: str
    first_name: str
    last_name: str
    position: str
    unit: str


# One person per role; the user name is the role slug. Fictitious names.
PEOPLE: list[DemoPerson] = [
    DemoPerson(Role.DIRECTOR_GENERAL, "Carlos Eduardo", "Morales Pineda", "Director General", "01"),
    DemoPerson(Role.SUBDIRECTOR_PLANIFICACION, "Ana Lucía", "Herrera Solís", "Subdirectora de Planificación", "11"),
    DemoPerson(
        Role.JEFE_PLANES_PROGRAMAS,
        "Marco Antonio",
        "Pérez Ajú",
        "Jefe del Departamento de Planes y Programas",
        "11.01.U0",
    ),
    DemoPerson(
        Role.PROFESIONAL_PLANES_PROGRAMAS,
        "Sofía Isabel",
        "Xicará López",
        "Profesional de Planes y Programas",
        "11.01.U0",
    ),
    DemoPerson(
        Role.ENLACE_AREA, "Luis Fernando", "Chávez Orellana", "Enlace de planificación, puestos terrestres", "10.02.U0"
    ),
    DemoPerson(Role.SUBDIRECCION_FINANCIERA, "María José", "Rodas Cifuentes", "Subdirectora Financiera", "14"),
    DemoPerson(
        Role.SUBDIRECCION_TECNICA_ADMINISTRATIVA,
        "Jorge Luis",
        "Méndez Ramírez",
        "Subdirector Técnico Administrativo",
        "15",
    ),
    DemoPerson(
        Role.ESTADISTICA, "Gabriela Alejandra", "Tzoc Pérez", "Jefa del Departamento de Estadística", "11.02.U0"
    ),
    DemoPerson(Role.AUDITORIA_INTERNA, "Roberto Carlos", "Juárez Monzón", "Auditor Interno", "01.01.U0"),
    DemoPerson(Role.SEGEPLAN, "Claudia Patricia", "Villatoro Gómez", "Sectorialista de SEGEPLAN", "11"),
    DemoPerson(Role.ADMINISTRADOR, "Diego Andrés", "Quiñónez Batz", "Administrador del sistema", "17.01.U0"),
]


def upsert[M: Model](model: type[M], lookup: Mapping[str, object], values: Mapping[str, object]) -> M:
    """Create or update one row; write (and audit) only when something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        save_audited(obj, actor=None, summary="Datos de demostración")
        return obj
    before = snapshot(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    if snapshot(obj) != before:
        save_audited(obj, actor=None, summary="Datos de demostración")
    return obj


# Prefixes of the oficios each unit issues (PyP-0042-2026).
ACRONYMS = {"01": "DG", "02": "SG", "11": "SP", "11.01.U0": "PyP", "11.02.U0": "DEA", "14": "SF", "15": "STA"}


@transaction.atomic
def seed_organization() -> list[DemoPerson]:
    institution = Institution.objects.order_by("pk").first()
    values = {
        "name": "Instituto Guatemalteco de Migración",
        "short_name": "IGM",
        "address": "6a. avenida 3-11, zona 4, Ciudad de Guatemala",
        "phone": "+502 2411 2411",
        "email": "info@igm.gob.gt",
        "website": "igm.gob.gt",
    }
    if institution is None:
        institution = upsert(Institution, {"short_name": "IGM"}, {k: v for k, v in values.items() if k != "short_name"})
    else:
        upsert(Institution, {"pk": institution.pk}, values)
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent in UNITS:
        units[code] = upsert(
            OrgUnit,
            {"code": code},
            {
                "name": name,
                "acronym": ACRONYMS.get(code, ""),
                "kind": kind,
                "institution": institution,
                "parent": units[parent] if parent else None,
                "active": True,
            },
        )
    for code, name, kind, department, municipality, unit in COST_CENTERS:
        upsert(
            CostCenter,
            {"code": code},
            {
                "name": name,
                "kind": kind,
                "department": department,
                "municipality": municipality,
                "org_unit": units[unit],
                "active": True,
            },
        )
    for person in PEOPLE:
        user = upsert(
            Person,
            {"username": person.role},
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "position": person.position,
                "org_unit": None if person.role == Role.SEGEPLAN else units[person.unit],
                "email": f"{person.role.replace('_', '.')}@demo.igm.gob.gt",
                "is_active": True,
            },
        )
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            save_audited(user, actor=None, action="password_set", summary="Contraseña de demostración")
        upsert(RoleAssignment, {"person": user, "role": person.role, "org_unit": units[person.unit]}, {"active": True})
    return PEOPLE
