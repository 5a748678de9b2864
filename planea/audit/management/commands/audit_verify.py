"""`python manage.py audit_verify`: exit 0 when the audit chain is intact, 1 naming the first bad event."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verifica la cadena de hashes de la bitácora de auditoría."

    def handle(self, *args: object, **options: object) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                _(
                    "Cadena de auditoría ALTERADA en el evento #%(seq)s (id %(id)s): %(reason)s. "
                    "Eventos íntegros antes de él: %(checked)s."
                )
                % {
                    "seq": report.bad_seq,
                    "id": report.bad_id or "-",
                    "reason": report.reason,
                    "checked": report.checked,
                },
                returncode=1,
            )
        self.stdout.write(
            ngettext(
                "Cadena de auditoría íntegra: %(checked)s evento verificado. Último hash: %(hash)s",
                "Cadena de auditoría íntegra: %(checked)s eventos verificados. Último hash: %(hash)s",
                report.checked,
            )
            % {"checked": report.checked, "hash": report.last_hash}
        )
