"""`python manage.py export_goals --plan POA-2026 --output goals.xlsx [--area 10.02.U0]`"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planea.operations.goals_excel import export_goals
from planea.operations.models import OperationalPlan
from planea.org.models import OrgUnit


class Command(BaseCommand):
    help = "Exporta las metas físicas de un plan a Excel: una fila por subproducto × centro de costo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="Código del plan, por ejemplo POA-2026.")
        parser.add_argument("--output", required=True, help="Archivo .xlsx de salida.")
        parser.add_argument("--area", default="", help="Código de la unidad: solo sus centros de costo.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = OperationalPlan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(f"El plan «{options['plan']}» no existe.")
        area = None
        if options["area"]:
            area = OrgUnit.objects.filter(code=options["area"]).first()
            if area is None:
                raise CommandError(f"La unidad «{options['area']}» no existe.")
        data = export_goals(plan, area)
        Path(options["output"]).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Metas de {plan.code} exportadas a {options['output']}."))
