"""`python manage.py seed_demo`: build (or bring up to date) the IGM-like demo data. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from planea.execution.demo import seed_execution
from planea.forecasting.demo import seed_programming
from planea.operations import goals
from planea.operations.demo import seed_operations
from planea.org.demo import seed_organization
from planea.org.models import CostCenter, OrgUnit, Person
from planea.procedures.demo import seed_cases
from planea.procedures.models import Case
from planea.procedures.notifications import muted
from planea.procedures.versions import load_shipped_definitions
from planea.statistics.demo import seed_statistics
from planea.strategy.demo import seed_strategy


class Command(BaseCommand):
    help = "Crea o actualiza los datos de demostración (idempotente y determinista)."

    def handle(self, *args: object, **options: object) -> None:
        people = seed_organization()
        load_shipped_definitions()
        with muted():
            pei = seed_strategy()
            poa = seed_operations()
        cases = seed_cases()
        with muted():
            statistics = seed_statistics(statistician=Person.objects.get(username="estadistica"))
            programming = seed_programming()
            execution = seed_execution()
        self.stdout.write(
            self.style.SUCCESS(
                f"Datos de demostración listos: {OrgUnit.objects.count()} unidades, "
                f"{CostCenter.objects.count()} centros de costo, {len(people)} personas de demostración, "
                f"{cases} expedientes nuevos ({Case.objects.count()} en total), {pei}, "
                f"{poa.code if poa else 'sin POA'} con {len(goals.values_of(poa)) if poa else 0} metas mensuales, "
                f"{statistics} datos estadísticos nuevos"
                + (f", programación del {programming.plan.code} en el paso 6 del P5" if programming else "")
                + f", {execution} meses de ejecución del POA 2026 nuevos."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Usuarios de demostración (contraseña: {settings.DEMO_PASSWORD}):")
        for person in people:
            self.stdout.write(f"  {person.role:<38} {person.first_name} {person.last_name} — {person.position}")
