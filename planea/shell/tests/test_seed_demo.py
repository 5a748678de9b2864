"""`seed_demo` builds the IGM-like organization, deterministically and idempotently."""

import pytest
from django.core.management import call_command

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.execution.models import ExecutionMonth
from planea.forecasting import comparison
from planea.forecasting.models import Programming
from planea.org.demo import seed_organization
from planea.org.models import CostCenter, OrgUnit, Person, RoleAssignment
from planea.org.roles import Role
from planea.statistics.models import StatisticalVariable

from .demo_timeline import check_the_demo_cases_are_spread_over_past_weeks_as_real_work_would_be

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[object, ...]:
    return (
        list(OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")),
        list(CostCenter.objects.order_by("code").values_list("code", "name", "kind", "department", "org_unit__code")),
        list(Person.objects.order_by("username").values_list("username", "first_name", "last_name", "org_unit__code")),
        list(
            RoleAssignment.objects.order_by("person__username").values_list(
                "person__username", "role", "org_unit__code"
            )
        ),
    )


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    """One build of the whole demo (minutes): idempotent, its logins printed, its data as described, its cases spread
    over past weeks (demo_timeline.py)."""
    call_command("seed_demo")
    first = snapshot()
    events = AuditEvent.objects.count()
    out = capsys.readouterr().out
    assert "contraseña: planea2026" in out
    assert "POA-2026 con 588 metas mensuales, " in out  # 49 rows of a year, twelve months each
    assert "programación del POA-2027 en el paso 6 del P5, 11 meses de ejecución del POA 2026 nuevos." in out
    statuses = dict(ExecutionMonth.objects.filter(plan__code="POA-2026").values_list("month", "status"))
    assert statuses == {**dict.fromkeys(range(1, 10), "aprobado"), 10: "registrado", 11: "abierto"}
    assert ExecutionMonth.objects.get(plan__code="POA-2026", month=3).revision == 2
    for role in Role.values:
        assert role in out
    # The demo statistics measure the subproducts of the PEI the POA 2027 programs (not those of the PEI version
    # under review in the P1 case), so its P5 comparison and goal grid carry the forecasts.
    found = Programming.objects.get(plan__code="POA-2027")
    assert not StatisticalVariable.objects.exclude(subproduct__plan=found.plan.strategic_plan).exists()
    assert any(line.forecast for line in comparison.comparison(found).lines)
    call_command("seed_demo")
    assert snapshot() == first
    assert AuditEvent.objects.count() == events
    assert verify_chain().ok
    check_the_demo_cases_are_spread_over_past_weeks_as_real_work_would_be()


def test_seed_demo_has_an_igm_like_organization():
    seed_organization()  # what seed_demo builds first (the whole demo is built by the test above)
    assert OrgUnit.objects.get(code="11.01.U0").name == "Departamento de Planes y Programas"
    assert CostCenter.objects.count() >= 25
    names = set(CostCenter.objects.values_list("name", flat=True))
    for site in (
        "La Aurora",
        "Mundo Maya",
        "Puerto Quetzal",
        "Santo Tomás de Castilla",
        "Tecún Umán",
        "El Carmen",
        "La Mesilla",
        "Valle Nuevo",
        "Pedro de Alvarado",
        "San Cristóbal",
        "Agua Caliente",
        "El Florido",
        "Corinto",
        "Melchor de Mencos",
        "El Ceibo",
        "Anguiatú",
    ):
        assert any(site in name for name in names), site
    kinds = set(CostCenter.objects.values_list("kind", flat=True))
    assert kinds == {"airport", "land_border", "seaport", "passport_centre", "returnee_centre", "central_office"}
    for role in Role.values:
        person = Person.objects.get(username=role)
        assert person.check_password("planea2026") and person.role_slugs() == {role}


def test_demo_password_comes_from_the_environment(settings):
    settings.DEMO_PASSWORD = "otra-clave-2026"
    seed_organization()
    assert Person.objects.get(username="administrador").check_password("otra-clave-2026")
