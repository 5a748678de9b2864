"""`python manage.py import_statistics FILE --user USERNAME`: the load of a long-form CSV or of a filled statistics
template (.xlsx) from the command line; it exits non-zero with the row errors and writes nothing when any is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from planea.core.command_files import read_file_argument
from planea.org.models import Person
from planea.spreadsheets.xlsx import ImportRejected
from planea.statistics.excel import load_xlsx
from planea.statistics.loading import StatisticsRejected, load_csv


class Command(BaseCommand):
    help = (
        "Carga estadísticas mensuales de un CSV (variable,centro_costo,mes,valor) o una plantilla .xlsx; todo o nada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", default="estadistica", help="usuario que hace la carga (queda en la bitácora)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        person = Person.objects.filter(username=options["user"], is_active=True).first()
        if person is None:
            raise CommandError(_("No hay una persona activa con el usuario «%(user)s».") % {"user": options["user"]})
        data = read_file_argument(path)
        load = load_xlsx if data[:4] == b"PK\x03\x04" else load_csv  # an .xlsx is a zip archive
        try:
            result = load(data, file_name=path.name, actor=person)
        except (StatisticsRejected, ImportRejected) as rejected:
            errors = rejected.errors if isinstance(rejected, StatisticsRejected) else rejected.messages
            raise CommandError(_("No se cargó nada:\n%(errors)s") % {"errors": "\n".join(errors)}) from None
        self.stdout.write(str(result))
