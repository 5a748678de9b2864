"""`python manage.py fail_abandoned_jobs`: mark failed the running jobs silent for longer than
PLANEA_JOB_SILENT_MINUTES (left by a stopped worker), as the pages that show jobs do; for cron after a restart."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from planea.jobs.services import fail_abandoned


class Command(BaseCommand):
    help = "Marca como fallidos los trabajos en proceso que dejaron de dar señal (su proceso se detuvo)."

    def handle(self, *args: object, **options: object) -> None:
        found = fail_abandoned()
        self.stdout.write(
            ngettext(
                "%(n)s trabajo interrumpido marcado como fallido.",
                "%(n)s trabajos interrumpidos marcados como fallidos.",
                found,
            )
            % {"n": found}
        )
