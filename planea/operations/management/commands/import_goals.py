"""`python manage.py import_goals goals.xlsx`: all rows or none; exits non-zero with the row errors."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from planea.core.command_files import read_file_argument
from planea.operations.goals_excel import import_goals
from planea.spreadsheets.xlsx import ImportRejected


class Command(BaseCommand):
    help = "Importa metas físicas desde una plantilla de Planea. Si alguna fila tiene errores no se escribe nada."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Plantilla .xlsx exportada por Planea.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            summary = import_goals(read_file_argument(path), None, filename=path.name)
        except ImportRejected as rejected:
            for message in rejected.messages:
                self.stderr.write(message)
            count = len(rejected.issues)
            raise CommandError(
                ngettext(
                    "Importación rechazada: %(n)s error; no se escribió nada.",
                    "Importación rechazada: %(n)s errores; no se escribió nada.",
                    count,
                )
                % {"n": count}
            ) from rejected
        self.stdout.write(self.style.SUCCESS(f"Importación completada: {summary}"))
