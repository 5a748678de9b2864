"""`python manage.py export_execution --plan POA-2026 --month 2026-09 --output F.xlsx`: the execution template of a
POA's month, as the web offers it: one row per subproduct × cost center with the programmed, current and executed
quantities."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from planea.execution.excel import export_month
from planea.operations.models import OperationalPlan
from planea.strategy.models import PlanStatus

MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


class Command(BaseCommand):
    help = "Exporta la plantilla de ejecución de un mes de un POA (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="código del POA, como POA-2026")
        parser.add_argument("--month", required=True, help="mes como 2026-09")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = OperationalPlan.objects.filter(code=options["plan"]).first()
        if plan is None or not plan.is_annual:
            raise CommandError(_("«%(code)s» no es un POA.") % {"code": options["plan"][:40]})
        if plan.status != PlanStatus.APPROVED:
            raise CommandError(
                _("El %(plan)s no está aprobado: la ejecución se registra sobre un POA aprobado.") % {"plan": plan.code}
            )
        found = MONTH.match(options["month"])
        if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) != plan.start_year:
            raise CommandError(
                _("El mes debe escribirse como %(year)s-09, dentro del año del %(plan)s.")
                % {"year": plan.start_year, "plan": plan.code}
            )
        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(_("La carpeta «%(folder)s» no existe.") % {"folder": output.parent})
        try:
            output.write_bytes(export_month(plan, int(found.group(2))))
        except OSError:
            raise CommandError(
                _("No se pudo escribir «%(file)s»: revise los permisos de la carpeta y el espacio en disco.")
                % {"file": output}
            ) from None
        self.stdout.write(str(output))
