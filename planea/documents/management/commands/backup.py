"""`python manage.py backup DIR`: a consistent copy of the database, the media files and a manifest (SHA-256 of
every file, rows per table, the audit chain's last hash), while Planea keeps running."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from planea.documents.backup import BackupError, backup


class Command(BaseCommand):
    help = "Copia de seguridad: base de datos, archivos y manifiesto verificable, en una carpeta nueva."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Carpeta nueva o vacía donde dejar la copia.")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            manifest = backup(directory)
        except BackupError as error:
            raise CommandError("\n".join(error.problems), returncode=1) from error
        self.stdout.write(
            ngettext(
                "Copia completa en %(dir)s: %(files)s archivo, %(rows)s filas en %(tables)s tablas; "
                "bitácora hasta el evento %(seq)s, último hash %(hash)s.",
                "Copia completa en %(dir)s: %(files)s archivos, %(rows)s filas en %(tables)s tablas; "
                "bitácora hasta el evento %(seq)s, último hash %(hash)s.",
                len(manifest["files"]),
            )
            % {
                "dir": directory,
                "files": len(manifest["files"]),
                "rows": f"{sum(manifest['rows'].values()):,}",
                "tables": len(manifest["rows"]),
                "seq": manifest["audit"]["last_seq"],
                "hash": manifest["audit"]["last_hash"],
            }
        )
