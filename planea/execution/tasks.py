"""Background tasks of P6: the comprobantes of an approved month (a national PDF takes seconds: never inside a
request)."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.jobs.models import Job
from planea.jobs.services import running, set_result, start_job
from planea.org.models import Person

from . import comprobantes
from .models import ApprovedRevision
from .month_case import month_name


@task()
def generate_comprobantes_job(job_id: str, revision_pk: int) -> None:
    """Make the comprobantes of an approved revision that are still missing."""
    with running(job_id) as progress:
        job = Job.objects.select_related("created_by").get(pk=job_id)
        revision = ApprovedRevision.objects.select_related(
            "execution_month__plan", "execution_month__case__org_unit", "registered_by", "authorized_by", "approved_by"
        ).get(pk=revision_pk)
        made = comprobantes.generate(revision, actor=job.created_by, progress=progress)
        numbers = [c.number for c in comprobantes.comprobantes_of(revision)]
        set_result(
            job_id,
            {"comprobantes": numbers, "made": len(made)},
            ngettext(
                "%(n)s comprobante de ejecución listo: %(numbers)s.",
                "%(n)s comprobantes de ejecución listos: %(numbers)s.",
                len(numbers),
            )
            % {"n": len(numbers), "numbers": ", ".join(numbers)}
            if numbers
            else _("No se produjo ningún comprobante."),
        )


def schedule_comprobantes(revision: ApprovedRevision, *, actor: Person) -> Job:
    """Start the job that makes the revision's comprobantes once the approval commits (one at a time)."""
    month = revision.execution_month
    return start_job(
        task=generate_comprobantes_job,
        kind="p6_comprobantes",
        title=_("Comprobantes de ejecución de %(month)s, %(plan)s (revisión %(rev)s)")
        % {"month": month_name(month), "plan": month.plan.code, "rev": revision.revision},
        actor=actor,
        next_url=reverse("execution:month", args=[month.pk]),
        reuse_open=True,
        follows_decision=True,
        revision_pk=revision.pk,
    )
