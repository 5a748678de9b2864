"""`python manage.py restore DIR`: a backup into an empty database and media folder, refused when any file does
not match the manifest; then the rows, the audit chain and every document are checked."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.documents.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restaura una copia de seguridad de Planea en una base de datos y carpeta de archivos vacías."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Carpeta de la copia (con su manifest.json).")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = restore(directory)
        except BackupError as error:
            raise CommandError(_("No se restauró nada:") + "\n" + "\n".join(error.problems), returncode=1) from error
        if report.problems:
            raise CommandError(
                _("La copia se cargó pero NO coincide con su manifiesto:") + "\n" + "\n".join(report.problems),
                returncode=1,
            )
        self.stdout.write(
            ngettext(
                "Copia restaurada y verificada: %(rows)s filas en %(tables)s tablas como en el manifiesto; "
                "bitácora íntegra (%(events)s eventos, último hash %(hash)s); %(documents)s documento verificado.",
                "Copia restaurada y verificada: %(rows)s filas en %(tables)s tablas como en el manifiesto; "
                "bitácora íntegra (%(events)s eventos, último hash %(hash)s); %(documents)s documentos verificados.",
                report.documents,
            )
            % {
                "rows": f"{report.rows:,}",
                "tables": report.tables,
                "events": f"{report.audit_events:,}",
                "hash": report.last_hash,
                "documents": report.documents,
            }
        )
        if not report.signed:
            self.stdout.write(
                _(
                    "Aviso: la copia no está firmada (no hay PLANEA_BACKUP_KEY): el manifiesto prueba que nada se "
                    "dañó ni se perdió, no que nadie cambió a la vez un archivo y su manifiesto. Compare el último "
                    "hash con el que guardó fuera del servidor."
                )
            )
