"""`python manage.py verify_documents`: every stored document against its SHA-256; exit 1 naming each missing or
altered file."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.documents.verify import verify_documents


class Command(BaseCommand):
    help = "Verifica cada documento guardado contra el SHA-256 registrado al guardarlo."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_documents()
        for problem in report.problems:
            line = (
                _("FALTA el archivo del documento #%(id)s «%(title)s»: %(path)s")
                if problem.problem == "missing"
                else _("ALTERADO el archivo del documento #%(id)s «%(title)s»: %(path)s (su SHA-256 ya no coincide)")
            )
            self.stderr.write(line % {"id": problem.document_id, "title": problem.title, "path": problem.path})
        if not report.ok:
            raise CommandError(
                ngettext(
                    "%(n)s documento con problemas de %(total)s verificados.",
                    "%(n)s documentos con problemas de %(total)s verificados.",
                    len(report.problems),
                )
                % {"n": len(report.problems), "total": report.checked},
                returncode=1,
            )
        self.stdout.write(
            ngettext(
                "%(n)s documento verificado: su archivo está y coincide con su SHA-256.",
                "%(n)s documentos verificados: todos sus archivos están y coinciden con su SHA-256.",
                report.checked,
            )
            % {"n": report.checked}
        )
