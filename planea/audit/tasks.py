"""Background task: verify the audit chain with progress (the demo job of the shell)."""

from django.tasks import task
from django.utils.translation import gettext as _

from planea.jobs.services import running, set_result

from .verify import verify_chain


@task()
def verify_audit_chain(job_id: str) -> dict[str, object]:
    with running(job_id) as progress:
        report = verify_chain(progress=lambda done, total: progress(done, total, _("Verificando eventos…")))
        if report.ok:
            message = _("Cadena íntegra: %(n)s eventos verificados.") % {"n": report.checked}
        else:
            message = _("Cadena ALTERADA en el evento #%(seq)s: %(reason)s") % {
                "seq": report.bad_seq,
                "reason": report.reason,
            }
        result = {
            "ok": report.ok,
            "checked": report.checked,
            "last_hash": report.last_hash,
            "bad_seq": report.bad_seq,
            "reason": report.reason,
        }
        set_result(job_id, result, message)
    return result
