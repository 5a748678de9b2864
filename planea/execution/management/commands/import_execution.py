"""`python manage.py import_execution FILE [--user USERNAME]`: a filled execution template of a month, imported as
the web does (all or nothing); exits non-zero with the row errors, writing nothing, when any is wrong or the month is
not open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from planea.core.command_files import read_file_argument
from planea.execution.excel import import_month, summary
from planea.execution.executed import ExecutionError
from planea.org.models import Person
from planea.spreadsheets.xlsx import ImportRejected


class Command(BaseCommand):
    help = "Importa la ejecución de un mes desde su plantilla .xlsx; todo o nada."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", default="profesional_planes_programas", help="quien importa (queda en la bitácora)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(username=options["user"], is_active=True).first()
        if person is None:
            raise CommandError(_("No hay una persona activa con el usuario «%(user)s».") % {"user": options["user"]})
        data = read_file_argument(options["file"])
        try:
            imported = import_month(data, actor=person, filename=options["file"].name)
        except ImportRejected as rejected:
            raise CommandError(
                _("No se importó nada:\n%(errors)s") % {"errors": "\n".join(rejected.messages)}
            ) from None
        except ExecutionError as refused:
            raise CommandError(_("No se importó nada: %(reason)s") % {"reason": refused}) from None
        plan = imported.plan
        self.stdout.write(f"{plan.code}, {imported.month:02d}/{plan.start_year}: {summary(imported)}")
