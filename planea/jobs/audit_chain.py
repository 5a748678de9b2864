"""The audit chain verified as a background job, with its progress: the task and the view that starts it."""

from django.http import HttpRequest, HttpResponse
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from planea.audit.verify import verify_chain

from .responses import started
from .services import running, set_result


@task()
def verify_audit_chain(job_id: str) -> dict[str, object]:
    with running(job_id) as progress:
        report = verify_chain(progress=lambda done, total: progress(done, total, _("Verificando eventos…")))
        if report.ok:
            message = ngettext(
                "Cadena íntegra: %(n)s evento verificado.", "Cadena íntegra: %(n)s eventos verificados.", report.checked
            ) % {"n": report.checked}
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


@require_POST
def start_verification(request: HttpRequest) -> HttpResponse:
    return started(
        request,
        task=verify_audit_chain,
        kind="audit_verify",
        title=_("Verificación de la cadena de auditoría"),
        actor=request.user,
        next_url=reverse("audit:event_list"),
    )
