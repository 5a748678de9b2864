"""`python manage.py import_statistics FILE --user USERNAME`: the long-form CSV load of the statistics page, from
the command line; it exits non-zero with the row errors and writes nothing when any row is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from planea.org.models import Person
from planea.statistics.loading import StatisticsRejected, load_csv


class Command(BaseCommand):
    help = "Carga estadísticas mensuales desde un CSV (variable,centro_costo,mes,valor); todo o nada."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", default="estadistica", help="usuario que hace la carga (queda en la bitácora)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        person = Person.objects.filter(username=options["user"], is_active=True).first()
        if person is None:
            raise CommandError(_("No hay una persona activa con el usuario «%(user)s».") % {"user": options["user"]})
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("No se pudo leer %(path)s: %(error)s") % {"path": path, "error": error}) from None
        try:
            result = load_csv(data, file_name=path.name, actor=person)
        except StatisticsRejected as rejected:
            raise CommandError(_("No se cargó nada:\n%(errors)s") % {"errors": "\n".join(rejected.errors)}) from None
        self.stdout.write(str(result))
