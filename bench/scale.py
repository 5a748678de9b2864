"""A national-scale organization for benchmarks: the demo org plus extra cost centers and people."""

from django.db import transaction

from planea.org.demo import seed_organization
from planea.org.models import CostCenter, CostCenterKind, OrgUnit, Person, RoleAssignment
from planea.org.roles import Role


@transaction.atomic
def build(cost_centers: int = 64, people: int = 320) -> tuple[int, int]:
    seed_organization()
    border = OrgUnit.objects.get(code="10.02.U0")
    for n in range(CostCenter.objects.count(), cost_centers):
        CostCenter.objects.get_or_create(
            code=f"9{n:03d}",
            defaults={
                "name": f"Delegación {n}",
                "kind": CostCenterKind.LAND_BORDER,
                "department": "13",
                "municipality": "Huehuetenango",
                "org_unit": border,
            },
        )
    units = list(OrgUnit.objects.order_by("code"))
    roles = [Role.PROFESIONAL_PLANES_PROGRAMAS, Role.ENLACE_AREA, Role.ESTADISTICA]
    for n in range(Person.objects.count(), people):
        person, created = Person.objects.get_or_create(
            username=f"persona{n:04d}", defaults={"first_name": "Persona", "last_name": str(n)}
        )
        if created:
            unit = units[n % len(units)]
            person.org_unit = unit
            person.save(update_fields=["org_unit"])
            RoleAssignment.objects.create(person=person, role=roles[n % len(roles)], org_unit=unit)
    return CostCenter.objects.count(), Person.objects.count()
